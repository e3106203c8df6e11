#include "csv_reader.hpp"

namespace tidings::importer_csv {
namespace {
constexpr std::size_t kBufferBytes = 256 * 1024;
constexpr int kEnd = -1;
}  // namespace

CsvReader::CsvReader(std::istream& in, char delimiter, std::size_t max_field_bytes)
    : in_(in),
      delimiter_(static_cast<unsigned char>(delimiter)),
      max_field_bytes_(max_field_bytes),
      buffer_(kBufferBytes) {}

bool CsvReader::fill() {
    if (!in_) return false;
    in_.read(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
    pos_ = 0;
    end_ = static_cast<std::size_t>(in_.gcount());
    return end_ > 0;
}

int CsvReader::peek() {
    if (pos_ == end_ && !fill()) return kEnd;
    return static_cast<unsigned char>(buffer_[pos_]);
}

int CsvReader::get() {
    const int c = peek();
    if (c != kEnd) ++pos_;
    if (c == '\n') ++line_;
    return c;
}

void CsvReader::endField(CsvRecord& record) {
    if (field_too_long_ && record.error.empty()) {
        record.error = "field " + std::to_string(record.count + 1) + " is longer than " +
                       std::to_string(max_field_bytes_) + " bytes";
    }
    if (record.fields.size() <= record.count) record.fields.emplace_back();
    record.fields[record.count].swap(field_);
    ++record.count;
    field_.clear();
    field_too_long_ = false;
}

bool CsvReader::next(CsvRecord& record) {
    record.count = 0;
    record.error.clear();
    field_.clear();
    field_too_long_ = false;
    if (!started_) {
        started_ = true;
        // A UTF-8 byte-order mark, as spreadsheet programs write, is not part of the header.
        if (peek() == 0xEF) {
            const std::size_t saved = pos_;
            if (end_ - pos_ >= 3 && static_cast<unsigned char>(buffer_[pos_ + 1]) == 0xBB &&
                static_cast<unsigned char>(buffer_[pos_ + 2]) == 0xBF) {
                pos_ += 3;
            } else {
                pos_ = saved;
            }
        }
    }
    // Skip blank lines (LF or CRLF) between records.
    for (;;) {
        const int c = peek();
        if (c == '\n') {
            get();
        } else if (c == '\r') {
            get();
            if (peek() != '\n') {  // a lone CR is data: put nothing back, start a record with it
                field_.push_back('\r');
                break;
            }
        } else if (c == kEnd) {
            return false;
        } else {
            break;
        }
    }
    record.line = line_;
    auto append = [&](char ch) {
        if (field_.size() < max_field_bytes_) {
            field_.push_back(ch);
        } else {
            field_too_long_ = true;
        }
    };
    for (;;) {
        // At the start of a field.
        int c = peek();
        if (c == '"' && field_.empty()) {
            get();
            const std::int64_t opened = line_;
            bool closed = false;
            while (!closed) {
                c = get();
                if (c == kEnd) {
                    if (record.error.empty())
                        record.error = "quoted field opened on line " + std::to_string(opened) + " is never closed";
                    endField(record);
                    return true;
                }
                if (c == '"') {
                    if (peek() == '"') {
                        get();
                        append('"');
                    } else {
                        closed = true;
                    }
                } else {
                    append(static_cast<char>(c));
                }
            }
            // After the closing quote: a delimiter, a line end or the end of input.
            c = peek();
            if (c != delimiter_ && c != '\n' && c != '\r' && c != kEnd) {
                if (record.error.empty()) record.error = "unexpected text after a closing quote";
                // Skip the rest of this field, unquoted, to resynchronise at the next delimiter.
                while ((c = peek()) != kEnd && c != delimiter_ && c != '\n' && c != '\r') get();
            }
        } else {
            // Unquoted: up to the delimiter or line end. A quote inside is kept literally.
            for (;;) {
                c = peek();
                if (c == kEnd || c == delimiter_ || c == '\n') break;
                if (c == '\r') {
                    get();
                    if (peek() == '\n') break;  // CRLF: the LF ends the record below
                    append('\r');
                    continue;
                }
                // Copy a run of ordinary bytes at once; this loop is the parser's hot path.
                std::size_t run = pos_;
                while (run < end_) {
                    const int ch = static_cast<unsigned char>(buffer_[run]);
                    if (ch == delimiter_ || ch == '\n' || ch == '\r') break;
                    ++run;
                }
                const std::size_t n = run - pos_;
                const std::size_t room = max_field_bytes_ > field_.size() ? max_field_bytes_ - field_.size() : 0;
                field_.append(buffer_.data() + pos_, std::min(n, room));
                if (n > room) field_too_long_ = true;
                pos_ = run;
            }
        }
        // End of field.
        c = peek();
        if (c == delimiter_) {
            get();
            endField(record);
            continue;
        }
        if (c == '\r') {
            get();
        }
        endField(record);
        if (peek() == '\n') get();
        return true;
    }
}

}  // namespace tidings::importer_csv
