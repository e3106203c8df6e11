// A streaming RFC 4180 record reader: quoted fields with doubled quotes, delimiters and line
// breaks inside quotes, CRLF or LF line ends, a leading UTF-8 byte-order mark, any one-byte
// delimiter. It holds one read buffer and one record, so memory stays flat for any file, and a
// field longer than the limit makes its record an error instead of growing the buffer.
//
// Why not a library: Debian's libcsv reports neither the line a record starts on nor lets a
// field be capped before it is buffered; both are needed here (line numbers in the import log,
// flat memory on hostile input), and the state machine is small.
#pragma once

#include <cstddef>
#include <cstdint>
#include <istream>
#include <string>
#include <vector>

namespace tidings::importer_csv {

/// One record. `fields` keep their capacity between records to avoid reallocations.
struct CsvRecord {
    std::int64_t line = 0;            ///< 1-based line the record starts on.
    std::vector<std::string> fields;  ///< Only the first `count` are this record's.
    std::size_t count = 0;
    std::string error;                ///< Non-empty: the record is malformed (fields unreliable).
};

class CsvReader {
public:
    /// Reads from `in`, which must outlive the reader.
    CsvReader(std::istream& in, char delimiter, std::size_t max_field_bytes);

    /// Reads the next non-empty record into `record`; false at the end of the input. Blank
    /// lines are skipped. A malformed record (text after a closing quote, an unterminated quote,
    /// an over-long field) is returned with `error` set and reading continues after it.
    bool next(CsvRecord& record);

    /// False when the stream failed for another reason than reaching its end.
    bool healthy() const noexcept { return !in_.bad(); }

private:
    bool fill();
    int peek();
    int get();
    void endField(CsvRecord& record);

    std::istream& in_;
    /// The delimiter as peek() returns bytes, 0..255: compared as a (signed) char, a byte of
    /// 0x80 or above would never match what peek() returns, and 0xFF would equal kEnd.
    const int delimiter_;
    const std::size_t max_field_bytes_;
    std::vector<char> buffer_;
    std::size_t pos_ = 0;
    std::size_t end_ = 0;
    std::int64_t line_ = 1;
    bool started_ = false;
    std::string field_;
    bool field_too_long_ = false;
};

}  // namespace tidings::importer_csv
