// How database failures travel inside the plugin and how they become SDK Statuses.
//
// Inside the plugin, helpers throw PgError (carrying the SQLSTATE and the constraint name) so
// that store code reads as a straight line of queries; every noexcept SDK method funnels its body
// through guarded(), which is the only place exceptions are caught and mapped.
#pragma once

#include <stdexcept>
#include <string>

#include <tidings/sdk/v1/status.hpp>

namespace tidings::storage_pg {

namespace sdk = ::tidings::sdk::v1;

/// A failed statement or connection. `sqlstate` is empty for client-side failures.
class PgError : public std::runtime_error {
public:
    PgError(std::string message, std::string sqlstate, std::string constraint = {},
            bool connection_lost = false)
        : std::runtime_error(std::move(message)),
          sqlstate_(std::move(sqlstate)),
          constraint_(std::move(constraint)),
          connection_lost_(connection_lost) {}

    const std::string& sqlstate() const noexcept { return sqlstate_; }
    const std::string& constraint() const noexcept { return constraint_; }
    bool connectionLost() const noexcept { return connection_lost_; }

private:
    std::string sqlstate_;
    std::string constraint_;
    bool connection_lost_;
};

/// A Status the store decided on itself (NotFound, Invalid...), thrown to leave nested code.
class StatusError : public std::runtime_error {
public:
    explicit StatusError(sdk::Status status)
        : std::runtime_error(status.message()), status_(std::move(status)) {}
    const sdk::Status& status() const noexcept { return status_; }

private:
    sdk::Status status_;
};

/// Maps a database error to the Status the SDK contract asks for. `user_sql` is true while a
/// user-supplied sql_expression is being run: its SQL errors are the caller's mistake (Invalid,
/// "query: <reason>") rather than ours (Internal).
sdk::Status toStatus(const PgError& error, bool user_sql = false);

/// Runs `body` (returning sdk::Status) and converts any escaping exception into a Status, so the
/// noexcept SDK methods never leak one.
template <typename Body>
sdk::Status guarded(Body&& body) noexcept {
    try {
        return body();
    } catch (const StatusError& e) {
        return e.status();
    } catch (const PgError& e) {
        return toStatus(e);
    } catch (const std::exception& e) {
        return sdk::Status::internal(std::string("storage-postgres: ") + e.what());
    } catch (...) {
        return sdk::Status::internal("storage-postgres: unknown error");
    }
}

}  // namespace tidings::storage_pg
