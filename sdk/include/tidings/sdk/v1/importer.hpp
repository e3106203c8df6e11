// Tidings plugin SDK, version 1: the importer capability (CSV, ...).
//
// An importer turns an uploaded file into a stream of subscriber rows. The kernel validates each
// row (e-mail syntax and domain rules, name, attributes), hands the store batches (import.hpp)
// and logs rejected rows with their line numbers. Importers never touch storage themselves.
//
// Memory: a source must read its file incrementally, holding at most one batch of rows and a
// bounded read buffer, whatever the file's size; over-long fields are reported as row errors,
// not buffered.
//
// Threading: open() may be called from any kernel thread, concurrently; each source it returns
// is used by one thread at a time (the import's worker) and destroyed on that thread.
//
// Errors: open() and next() never throw; a file that is unusable as a whole (not this format, no
// e-mail column, unreadable) is Invalid with a message naming the problem, which the kernel shows
// to the client (at open) or records in the import log (while reading).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "status.hpp"

namespace tidings::sdk::v1 {

/// One parsed row. Fields are raw text as found in the file: the kernel trims, validates and
/// normalises them.
struct ImportRow {
    /// 1-based line number in the file where the row starts (a quoted field may span lines),
    /// counting the header as line 1; used in error reports.
    std::int64_t line = 0;
    std::string email;         ///< The `email` column.
    std::string name;          ///< The `name` column; empty when the file has none.
    std::string attribs_json;  ///< The `attributes` column as given (may be empty).
    /// Set when the row could not be parsed (too few fields, a field over the size limit, broken
    /// quoting): the kernel skips the row and logs this message with the line number.
    std::string error;
};

/// How to read a file, from the import request.
struct ImportOptions {
    /// The field separator (listmonk's `delim`). The kernel only passes a single printable
    /// character other than the quote, CR and LF.
    char delimiter = ',';
    /// The longest field accepted, in bytes; a longer one makes its row an error (and is not
    /// kept in memory).
    std::size_t max_field_bytes = 64 * 1024;
};

/// A stream of rows from one file, owned by the kernel once open() returns it.
class ImportSource {
public:
    virtual ~ImportSource() = default;

    /// Clears `batch`, then appends up to `max_rows` rows in file order, including rows with
    /// `error` set. Sets `done` once the end of the file has been reached (the batch may still
    /// hold rows then). Invalid when the rest of the file cannot be read (a corrupt archive, an
    /// I/O error); rows already returned stay valid.
    virtual Status next(std::vector<ImportRow>& batch, std::size_t max_rows, bool& done) noexcept = 0;

    /// An estimate of the number of data rows, for progress reports (listmonk counts line breaks
    /// minus the header), or -1 when unknown. Cheap; may be called any time.
    virtual std::int64_t estimatedRows() const noexcept = 0;
};

/// A file format. The plugin owns the object; it stays alive until the plugin's stop() returns.
class Importer {
public:
    /// Stable name, e.g. "csv"; the kernel picks an importer by it.
    virtual std::string_view name() const noexcept = 0;

    /// Opens the file at `path` (a temporary copy of the upload owned by the kernel, which
    /// deletes it after the source is destroyed) and reads its header. On success `source` holds
    /// the new source. Invalid when the file is not of this format or lacks a required column
    /// (the message says which); the kernel answers the upload with 400 and that message.
    virtual Status open(const std::string& path, const ImportOptions& options,
                        std::unique_ptr<ImportSource>& source) noexcept = 0;

protected:
    ~Importer() = default;
};

}  // namespace tidings::sdk::v1
