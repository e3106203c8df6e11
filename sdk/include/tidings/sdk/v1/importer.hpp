// Tidings plugin SDK, version 1: the importer capability (CSV, ...).
//
// An importer turns an uploaded file into a stream of subscriber rows. The kernel validates each
// row, hands the store batches, and logs rejected rows with their line numbers. Importers never
// touch storage themselves.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "status.hpp"

namespace tidings::sdk::v1 {

/// One parsed row. Fields are raw: the kernel validates and normalises them.
struct ImportRow {
    std::int64_t line = 0;  ///< 1-based line number of the row in the file, for error reports.
    std::string email;
    std::string name;
    std::string attribs_json;  ///< The row's attributes column as given (may be empty).
    std::string error;         ///< Set when the row could not be parsed; the row is then skipped.
};

/// Options for opening a file.
struct ImportOptions {
    char delimiter = ',';
};

/// A stream of rows from one file. Used from one thread at a time.
class ImportSource {
public:
    virtual ~ImportSource() = default;

    /// Appends up to `max_rows` rows to `batch` (cleared first). Sets `done` when the file is
    /// exhausted. Invalid when the file is unreadable as a whole (missing header column, ...).
    virtual Status next(std::vector<ImportRow>& batch, std::size_t max_rows, bool& done) noexcept = 0;
};

class Importer {
public:
    /// Stable name, e.g. "csv".
    virtual std::string_view name() const noexcept = 0;

    /// Opens the file at `path` (a temporary copy of the upload owned by the kernel, which
    /// deletes it after the source is destroyed). Invalid when the file is not of this format.
    virtual Status open(const std::string& path, const ImportOptions& options,
                        std::unique_ptr<ImportSource>& source) noexcept = 0;

protected:
    ~Importer() = default;
};

}  // namespace tidings::sdk::v1
