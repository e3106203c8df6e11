// A file on disk that is deleted when its owner goes away: uploads spooled for an import.
#pragma once

#include <string>

namespace tidings::kernel {

class TempFile {
public:
    TempFile() = default;
    /// Creates a new empty file in `dir` (mkstemp, mode 0600) whose name starts with `prefix`;
    /// throws std::runtime_error naming the directory when it cannot.
    static TempFile create(const std::string& dir, const std::string& prefix);

    TempFile(TempFile&& other) noexcept : path_(std::move(other.path_)) { other.path_.clear(); }
    TempFile& operator=(TempFile&& other) noexcept;
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;
    ~TempFile();

    const std::string& path() const noexcept { return path_; }
    bool empty() const noexcept { return path_.empty(); }

private:
    explicit TempFile(std::string path) : path_(std::move(path)) {}
    std::string path_;
};

}  // namespace tidings::kernel
