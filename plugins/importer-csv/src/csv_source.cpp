#include "csv_source.hpp"

#include <algorithm>
#include <cctype>

namespace tidings::importer_csv {
namespace {

std::string headerName(const std::string& raw) {
    std::string out;
    for (unsigned char c : raw) {
        if (c < 0x80) out.push_back(static_cast<char>(std::tolower(c)));
    }
    const auto first = out.find_first_not_of(" \t");
    if (first == std::string::npos) return {};
    const auto last = out.find_last_not_of(" \t");
    return out.substr(first, last - first + 1);
}

}  // namespace

sdk::Status mapHeader(const CsvRecord& header, ColumnMap& out) {
    if (!header.error.empty()) return sdk::Status::invalid("file: the CSV header is malformed: " + header.error);
    std::optional<std::size_t> email;
    std::string seen;
    for (std::size_t i = 0; i < header.count; ++i) {
        const std::string name = headerName(header.fields[i]);
        seen += (seen.empty() ? "" : ", ") + name;
        if (name == "email" && !email) email = i;
        if (name == "name" && !out.name) out.name = i;
        if ((name == "attributes" || name == "attribs") && !out.attributes) out.attributes = i;
    }
    if (!email) {
        return sdk::Status::invalid("file: the CSV header has no email column (found: " + seen +
                                    "); check the delimiter");
    }
    out.email = *email;
    out.needed = std::max({out.email, out.name.value_or(0), out.attributes.value_or(0)}) + 1;
    return {};
}

CsvSource::CsvSource(std::shared_ptr<void> keepalive, std::unique_ptr<std::istream> in,
                     const sdk::ImportOptions& options, std::int64_t estimated_rows)
    : keepalive_(std::move(keepalive)),
      in_(std::move(in)),
      reader_(*in_, options.delimiter, options.max_field_bytes),
      estimated_rows_(estimated_rows) {}

sdk::Status CsvSource::readHeader() {
    if (!reader_.next(record_)) {
        return reader_.healthy() ? sdk::Status::invalid("file: the CSV file is empty")
                                 : sdk::Status::invalid("file: cannot read the CSV file");
    }
    return mapHeader(record_, columns_);
}

sdk::Status CsvSource::next(std::vector<sdk::ImportRow>& batch, std::size_t max_rows, bool& done) noexcept {
    try {
        batch.clear();
        done = false;
        while (batch.size() < max_rows) {
            if (!reader_.next(record_)) {
                done = true;
                if (!reader_.healthy()) return sdk::Status::invalid("file: reading the upload failed");
                return {};
            }
            sdk::ImportRow& row = batch.emplace_back();
            row.line = record_.line;
            if (!record_.error.empty()) {
                row.error = record_.error;
                continue;
            }
            if (record_.count < columns_.needed) {
                row.error = "expected " + std::to_string(columns_.needed) + " fields, found " +
                            std::to_string(record_.count);
                continue;
            }
            row.email.swap(record_.fields[columns_.email]);
            if (columns_.name) row.name.swap(record_.fields[*columns_.name]);
            if (columns_.attributes) row.attribs_json.swap(record_.fields[*columns_.attributes]);
        }
        return {};
    } catch (const std::exception& e) {
        done = true;
        return sdk::Status::internal(std::string("importer-csv: ") + e.what());
    }
}

}  // namespace tidings::importer_csv
