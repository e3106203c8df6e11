// Reading a multipart/form-data body as a stream: small fields into memory, file parts straight
// to temporary files, each with a size limit, so an upload of any size keeps memory flat.
#pragma once

#include <cstdint>
#include <istream>
#include <string>
#include <vector>

#include <tidings/sdk/v1/http.hpp>

#include "kernel/core/temp_file.hpp"

namespace tidings::kernel {

namespace sdk = tidings::sdk::v1;

struct MultipartLimits {
    std::uint64_t max_file_bytes = 1ull << 30;  ///< Per file part; larger -> 413.
    std::size_t max_field_bytes = 64 * 1024;    ///< Per non-file part; larger -> 413.
    std::size_t max_parts = 64;                 ///< More parts -> 400.
    std::string temp_dir = "/tmp";              ///< Where file parts are spooled.
};

struct UploadedFile {
    std::string field;     ///< The form field name ("file").
    std::string filename;  ///< As the client sent it (not sanitised; not a path to use).
    std::string content_type;  ///< The part's Content-Type; application/octet-stream if absent.
    std::uint64_t size = 0;
    TempFile file;
};

struct MultipartBody {
    sdk::Pairs fields;  ///< Non-file parts, in order.
    std::vector<UploadedFile> files;

    /// The first field with this name, or nullptr.
    const std::string* field(std::string_view name) const;
    /// The first file part with this field name, or nullptr.
    UploadedFile* file(std::string_view name);
};

/// Reads the whole multipart body of `request` from `body`. Throws HttpError: 400 when the
/// request is not multipart/form-data or is malformed, 413 when a part exceeds its limit.
MultipartBody readMultipart(const sdk::Request& request, std::istream& body, const MultipartLimits& limits);

}  // namespace tidings::kernel
