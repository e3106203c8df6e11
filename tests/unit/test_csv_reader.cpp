// The importer's streaming CSV reader: RFC 4180 quoting, line numbers of multi-line records,
// BOM, CRLF, custom delimiters, malformed records that do not stop the reading, and the field
// cap that keeps memory flat on hostile input.
#include <catch2/catch.hpp>

#include <sstream>

#include "csv_reader.hpp"

using tidings::importer_csv::CsvReader;
using tidings::importer_csv::CsvRecord;

namespace {

struct Row {
    std::int64_t line;
    std::vector<std::string> fields;
    std::string error;
};

std::vector<Row> readAll(const std::string& text, char delimiter = ',', std::size_t max_field = 1024) {
    std::istringstream in(text);
    CsvReader reader(in, delimiter, max_field);
    std::vector<Row> out;
    CsvRecord r;
    while (reader.next(r)) {
        out.push_back({r.line, std::vector<std::string>(r.fields.begin(), r.fields.begin() + static_cast<long>(r.count)), r.error});
    }
    REQUIRE(reader.healthy());
    return out;
}

}  // namespace

TEST_CASE("csv: quoted fields with delimiters, doubled quotes and line breaks", "[csv]") {
    const auto rows = readAll("email,name,attributes\r\n"
                              "a@x.org,\"Doe, Jane\",\"{\"\"city\"\":\"\"Oslo\"\"}\"\r\n"
                              "b@x.org,\"two\nlines\",{}\r\n"
                              "c@x.org,plain,\r\n");
    REQUIRE(rows.size() == 4);
    CHECK(rows[0].fields == std::vector<std::string>{"email", "name", "attributes"});
    CHECK(rows[1].fields == std::vector<std::string>{"a@x.org", "Doe, Jane", R"({"city":"Oslo"})"});
    CHECK(rows[2].fields == std::vector<std::string>{"b@x.org", "two\nlines", "{}"});
    CHECK(rows[3].line == 5);  // the record before it spans lines 3 and 4
    CHECK(rows[3].fields == std::vector<std::string>{"c@x.org", "plain", ""});
}

TEST_CASE("csv: a BOM, LF endings, blank lines and a custom delimiter", "[csv]") {
    const auto rows = readAll("\xEF\xBB\xBF" "email;name\n\nx@y.z;X\n\n", ';');
    REQUIRE(rows.size() == 2);
    CHECK(rows[0].fields[0] == "email");  // no BOM glued to the first header
    CHECK(rows[1].line == 3);
    CHECK(rows[1].fields == std::vector<std::string>{"x@y.z", "X"});
}

TEST_CASE("csv: a delimiter byte of 0x80 or above splits fields like any other", "[csv]") {
    // Such a byte once never matched (char is signed here) and 0xFF read as the end of input:
    // the reader looped forever on the first delimiter.
    const auto rows = readAll("email\xffname\r\nx@example.test\xffX\r\n\"q\xffuoted\"\xff\"Y\"\r\n", '\xff');
    REQUIRE(rows.size() == 3);
    CHECK(rows[0].fields == std::vector<std::string>{"email", "name"});
    CHECK(rows[1].fields == std::vector<std::string>{"x@example.test", "X"});
    CHECK(rows[2].fields == std::vector<std::string>{"q\xffuoted", "Y"});
    CHECK(rows[2].error.empty());

    const auto latin = readAll("email\x80name\nz@example.test\x80\xc3\xa9\n", '\x80');
    REQUIRE(latin.size() == 2);
    CHECK(latin[1].fields == std::vector<std::string>{"z@example.test", "\xc3\xa9"});
}

TEST_CASE("csv: malformed records are reported and reading goes on", "[csv]") {
    const auto rows = readAll("a,\"bad\"x,c\nok,1,2\nlong," + std::string(50, 'z') + ",3\nlast,\"unterminated\n", ',', 20);
    REQUIRE(rows.size() == 4);
    CHECK_FALSE(rows[0].error.empty());
    CHECK(rows[1].error.empty());
    CHECK(rows[1].fields == std::vector<std::string>{"ok", "1", "2"});
    CHECK_FALSE(rows[2].error.empty());  // a field over the cap
    CHECK(rows[2].line == 3);
    CHECK_FALSE(rows[3].error.empty());  // a quote left open at the end of the input
}

TEST_CASE("csv: a file without a final line break ends its last record", "[csv]") {
    const auto rows = readAll("email\nlast@x.org");
    REQUIRE(rows.size() == 2);
    CHECK(rows[1].fields == std::vector<std::string>{"last@x.org"});
}
