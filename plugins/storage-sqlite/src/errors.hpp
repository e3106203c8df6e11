// How database failures travel inside the plugin and how they become SDK Statuses.
//
// Helpers throw SqliteError (carrying SQLite's extended result code) so that store code reads as
// a straight line of statements; every noexcept SDK method funnels its body through guarded(),
// the only place exceptions are caught and mapped.
#pragma once

#include <stdexcept>
#include <string>

#include <tidings/sdk/v1/status.hpp>

namespace tidings::storage_sqlite {

namespace sdk = ::tidings::sdk::v1;

/// A failed SQLite call. `code` is the extended result code (SQLITE_CONSTRAINT_UNIQUE, ...).
class SqliteError : public std::runtime_error {
public:
    SqliteError(std::string message, int code) : std::runtime_error(std::move(message)), code_(code) {}
    int code() const noexcept { return code_; }
    /// The primary result code (the low byte of the extended one).
    int primary() const noexcept { return code_ & 0xff; }

private:
    int code_;
};

/// A Status the store decided on itself (NotFound, Invalid...), thrown to leave nested code.
class StatusError : public std::runtime_error {
public:
    explicit StatusError(sdk::Status status) : std::runtime_error(status.message()), status_(std::move(status)) {}
    const sdk::Status& status() const noexcept { return status_; }

private:
    sdk::Status status_;
};

/// Maps a database error to the Status the SDK contract asks for: unique violations become
/// Conflict naming the field, busy/locked/interrupted become Unavailable. `user_sql` is true while
/// a user-supplied sql_expression runs: its errors are the caller's mistake ("query: <reason>").
sdk::Status toStatus(const SqliteError& error, bool user_sql = false);

/// Runs `body` (returning sdk::Status) and converts any escaping exception into a Status, so the
/// noexcept SDK methods never leak one.
template <typename Body>
sdk::Status guarded(Body&& body) noexcept {
    try {
        return body();
    } catch (const StatusError& e) {
        return e.status();
    } catch (const SqliteError& e) {
        return toStatus(e);
    } catch (const std::exception& e) {
        return sdk::Status::internal(std::string("storage-sqlite: ") + e.what());
    } catch (...) {
        return sdk::Status::internal("storage-sqlite: unknown error");
    }
}

}  // namespace tidings::storage_sqlite
