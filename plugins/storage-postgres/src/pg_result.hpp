// Thin RAII and conversion helpers over libpq results and parameters.
//
// Every query is parameterised and sent through PQexecParams/PQexecPrepared (the extended
// protocol), which also refuses to run more than one statement per call: that is one of the
// guards around user-supplied sql_expression text. Values travel in text format; SQL casts
// ($1::bigint[], $2::jsonb) keep the statements self-describing.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <libpq-fe.h>

#include <tidings/sdk/v1/model.hpp>

namespace tidings::storage_pg {

namespace sdk = ::tidings::sdk::v1;

/// Positional parameters ($1, $2, ...) in text format; nullopt binds SQL NULL.
class Params {
public:
    /// Appends a value and returns its placeholder, e.g. "$3", for building SQL alongside.
    std::string add(std::optional<std::string> value) {
        values_.push_back(std::move(value));
        return "$" + std::to_string(values_.size());
    }
    std::string add(std::string value) { return add(std::optional<std::string>(std::move(value))); }
    std::string add(std::int64_t value) { return add(std::optional<std::string>(std::to_string(value))); }
    std::string add(const char* value) { return add(std::optional<std::string>(value)); }
    std::string add(std::string_view value) { return add(std::optional<std::string>(std::string(value))); }
    std::string add(bool value) { return add(std::optional<std::string>(value ? "true" : "false")); }

    int size() const noexcept { return static_cast<int>(values_.size()); }
    /// Pointers for libpq; valid while this object is alive and unchanged.
    std::vector<const char*> pointers() const;

private:
    std::vector<std::optional<std::string>> values_;
};

/// Owns a PGresult.
class Result {
public:
    Result() = default;
    explicit Result(PGresult* r) : r_(r, &PQclear) {}

    int rows() const noexcept { return r_ ? PQntuples(r_.get()) : 0; }
    bool isNull(int row, int col) const noexcept { return PQgetisnull(r_.get(), row, col) != 0; }
    std::string_view text(int row, int col) const noexcept {
        return {PQgetvalue(r_.get(), row, col),
                static_cast<std::size_t>(PQgetlength(r_.get(), row, col))};
    }
    std::string str(int row, int col) const { return std::string(text(row, col)); }
    std::int64_t int64(int row, int col) const;
    bool boolean(int row, int col) const noexcept { return text(row, col) == "t"; }
    /// A column selected as microseconds since the epoch (see sql::us()).
    sdk::Timestamp timestamp(int row, int col) const {
        return sdk::Timestamp(std::chrono::microseconds(int64(row, col)));
    }
    /// A text[] column in PostgreSQL's array output syntax.
    std::vector<std::string> textArray(int row, int col) const;
    /// Number of rows changed by INSERT/UPDATE/DELETE.
    std::int64_t affected() const;

private:
    std::unique_ptr<PGresult, decltype(&PQclear)> r_{nullptr, &PQclear};
};

/// Array literals for $n::bigint[] and $n::text[] parameters.
std::string bigintArray(const std::vector<std::int64_t>& ids);
std::string textArrayLiteral(const std::vector<std::string>& items);
/// Parses PostgreSQL's array output ("{a,\"b c\",NULL}"); NULL elements become "".
std::vector<std::string> parseTextArray(std::string_view literal);

/// Escapes LIKE wildcards so a search term matches literally (default escape character '\').
std::string likeContains(std::string_view term);

/// SQL for a timestamptz column as integer microseconds since the epoch.
inline std::string us(std::string_view column) {
    return "(EXTRACT(EPOCH FROM " + std::string(column) + ") * 1000000)::int8";
}

}  // namespace tidings::storage_pg
