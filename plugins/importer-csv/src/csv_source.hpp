// The CSV import source: maps the header (email, name, attributes in any order, other columns
// ignored) and turns records into sdk::ImportRow.
#pragma once

#include <cstdint>
#include <istream>
#include <memory>
#include <optional>

#include <tidings/sdk/v1/importer.hpp>

#include "csv_reader.hpp"

namespace tidings::importer_csv {

namespace sdk = ::tidings::sdk::v1;

/// Where the known columns are in a header row.
struct ColumnMap {
    std::size_t email = 0;
    std::optional<std::size_t> name;
    std::optional<std::size_t> attributes;
    std::size_t needed = 1;  ///< Fields a row must have to reach every mapped column.
};

/// Maps a header record: names are trimmed, stripped of non-ASCII bytes (a stray BOM) and
/// compared case-insensitively; the first occurrence of a name wins. Invalid when there is no
/// email column.
sdk::Status mapHeader(const CsvRecord& header, ColumnMap& out);

class CsvSource final : public sdk::ImportSource {
public:
    /// Takes the input stream (and whatever owns what it reads from, kept alive by `keepalive`).
    CsvSource(std::shared_ptr<void> keepalive, std::unique_ptr<std::istream> in, const sdk::ImportOptions& options,
              std::int64_t estimated_rows);

    /// Reads and maps the header; Invalid when the file is empty or has no email column.
    sdk::Status readHeader();

    sdk::Status next(std::vector<sdk::ImportRow>& batch, std::size_t max_rows, bool& done) noexcept override;
    std::int64_t estimatedRows() const noexcept override { return estimated_rows_; }

private:
    std::shared_ptr<void> keepalive_;
    std::unique_ptr<std::istream> in_;
    CsvReader reader_;
    CsvRecord record_;
    ColumnMap columns_;
    std::int64_t estimated_rows_;
};

}  // namespace tidings::importer_csv
