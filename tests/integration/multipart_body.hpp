// multipart/form-data request bodies for the upload tests (imports, transactional attachments).
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace tidings::test {

inline const std::string kMultipartBoundary = "----tidings-test-boundary-7f3a";

/// The Content-Type header value that goes with multipart() bodies.
inline std::string multipartContentType() { return "multipart/form-data; boundary=" + kMultipartBoundary; }

/// One file part of a multipart body.
struct FilePart {
    std::string field = "file";
    std::string filename;
    std::string content_type = "application/octet-stream";
    std::string content;
};

/// A body with the text `fields` first, then the `files`.
inline std::string multipart(const std::vector<std::pair<std::string, std::string>>& fields,
                             const std::vector<FilePart>& files) {
    std::string out;
    for (const auto& [k, v] : fields)
        out += "--" + kMultipartBoundary + "\r\nContent-Disposition: form-data; name=\"" + k + "\"\r\n\r\n" + v + "\r\n";
    for (const auto& f : files)
        out += "--" + kMultipartBoundary + "\r\nContent-Disposition: form-data; name=\"" + f.field + "\"; filename=\"" +
               f.filename + "\"\r\nContent-Type: " + f.content_type + "\r\n\r\n" + f.content + "\r\n";
    out += "--" + kMultipartBoundary + "--\r\n";
    return out;
}

}  // namespace tidings::test
