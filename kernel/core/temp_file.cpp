#include "kernel/core/temp_file.hpp"

#include <stdexcept>
#include <vector>

#include <unistd.h>
#include <cerrno>
#include <cstdio>
#include <cstring>

namespace tidings::kernel {

TempFile TempFile::create(const std::string& dir, const std::string& prefix) {
    std::string pattern = dir + "/" + prefix + "XXXXXX";
    std::vector<char> name(pattern.begin(), pattern.end());
    name.push_back('\0');
    const int fd = ::mkstemp(name.data());
    if (fd < 0) throw std::runtime_error("cannot create a file in " + dir + ": " + std::strerror(errno));
    ::close(fd);
    return TempFile(std::string(name.data()));
}

TempFile& TempFile::operator=(TempFile&& other) noexcept {
    if (this != &other) {
        if (!path_.empty()) std::remove(path_.c_str());
        path_ = std::move(other.path_);
        other.path_.clear();
    }
    return *this;
}

TempFile::~TempFile() {
    if (!path_.empty()) std::remove(path_.c_str());
}

}  // namespace tidings::kernel
