// The exception kernel handlers throw to answer with a 4xx/5xx and {"message": ...}.
#pragma once

#include <stdexcept>
#include <string>

#include <tidings/sdk/v1/status.hpp>

namespace tidings::kernel {

namespace sdk = tidings::sdk::v1;

/// Thrown by kernel route handlers; the server turns it into `status` + {"message": what()}.
/// Plugin handlers never throw it: they fill in the Response themselves.
class HttpError : public std::runtime_error {
public:
    HttpError(int status, const std::string& message) : std::runtime_error(message), status_(status) {}
    int status() const noexcept { return status_; }

private:
    int status_;
};

/// The HTTP status for an SDK status code (Invalid 400, Forbidden 403, NotFound 404,
/// Conflict 409, Unavailable 503, Internal 500).
int httpStatusFor(sdk::StatusCode code) noexcept;

/// Throws HttpError for a failed status; Internal messages are replaced by a generic text (the
/// original is logged by the server with the request id). Does nothing when `status` is ok.
void throwIfError(const sdk::Status& status);

}  // namespace tidings::kernel
