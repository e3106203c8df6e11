// Tidings plugin SDK, version 1: the result type of every call across the plugin boundary.
//
// No exception crosses the boundary. Every interface method is `noexcept` and reports failure by
// returning a Status. The kernel maps codes to HTTP statuses (Invalid -> 400, NotFound -> 404,
// Conflict -> 409, Forbidden -> 403, Unavailable -> 503, Internal -> 500), so a plugin chooses the
// code that describes the caller's mistake, not the HTTP status it hopes for. Unconfirmed (SDK 1.2)
// -> 502.
#pragma once

#include <cstdint>
#include <string>
#include <utility>

namespace tidings::sdk::v1 {

/// Why an operation failed. Values are fixed: new codes are appended, never renumbered.
enum class StatusCode : std::uint8_t {
    Ok = 0,
    Invalid = 1,      ///< The input is wrong; the message names the field and the problem.
    NotFound = 2,     ///< The addressed object does not exist.
    Conflict = 3,     ///< The change collides with existing data (duplicate e-mail, name, ...).
    Forbidden = 4,    ///< The caller may not do this.
    Unavailable = 5,  ///< A dependency (database, relay) is down or timed out; retrying may help.
    Internal = 6,     ///< A bug or an unexpected failure; the message is for the log.
    /// (SDK 1.2) The request went out in full but its answer was lost (the connection dropped or
    /// timed out before the peer replied): it may have taken effect, so repeating it may do it
    /// twice. Returned only by plugins built for 1.2 or later.
    Unconfirmed = 7,
};

/// The outcome of an operation: `ok()` or a code with a human-readable message.
///
/// Messages for Invalid, NotFound, Conflict and Forbidden are shown to API clients verbatim, so
/// they must be plain sentences that name the problem ("email: invalid e-mail address") and must
/// never contain secrets or SQL. Internal messages are logged and replaced by a generic text.
class Status {
public:
    /// A successful status.
    Status() = default;

    /// A status with the given code and message. `code` may be Ok, in which case `message` is
    /// ignored by every consumer.
    Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

    static Status success() { return {}; }
    static Status invalid(std::string m) { return {StatusCode::Invalid, std::move(m)}; }
    static Status notFound(std::string m) { return {StatusCode::NotFound, std::move(m)}; }
    static Status conflict(std::string m) { return {StatusCode::Conflict, std::move(m)}; }
    static Status forbidden(std::string m) { return {StatusCode::Forbidden, std::move(m)}; }
    static Status unavailable(std::string m) { return {StatusCode::Unavailable, std::move(m)}; }
    static Status internal(std::string m) { return {StatusCode::Internal, std::move(m)}; }
    static Status unconfirmed(std::string m) { return {StatusCode::Unconfirmed, std::move(m)}; }

    bool ok() const noexcept { return code_ == StatusCode::Ok; }
    explicit operator bool() const noexcept { return ok(); }
    StatusCode code() const noexcept { return code_; }
    const std::string& message() const noexcept { return message_; }

private:
    StatusCode code_ = StatusCode::Ok;
    std::string message_;
};

}  // namespace tidings::sdk::v1
