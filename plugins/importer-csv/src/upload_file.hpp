// Opening an uploaded file as a stream of CSV text: a plain CSV file as it is, or the first
// .csv entry of a ZIP archive, decompressed as it is read (nothing is extracted to disk, so
// entry names cannot escape anywhere).
#pragma once

#include <cstdint>
#include <istream>
#include <memory>
#include <string>

#include <tidings/sdk/v1/status.hpp>

namespace tidings::importer_csv {

namespace sdk = ::tidings::sdk::v1;

struct OpenedUpload {
    std::shared_ptr<void> keepalive;    ///< Owns the file and archive objects `stream` reads from.
    std::unique_ptr<std::istream> stream;
    std::int64_t estimated_rows = -1;   ///< Line breaks minus the header, or -1 (ZIP).
};

/// Opens `path`. Invalid when the file cannot be read, or is a ZIP archive without a .csv entry.
sdk::Status openUpload(const std::string& path, OpenedUpload& out);

}  // namespace tidings::importer_csv
