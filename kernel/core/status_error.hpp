// The exception core services throw for a failed operation, carrying the SDK status code so the
// API layer can choose the HTTP status. Core never speaks HTTP.
#pragma once

#include <stdexcept>
#include <string>

#include <tidings/sdk/v1/status.hpp>

namespace tidings::kernel {

namespace sdk = tidings::sdk::v1;

class StatusError : public std::runtime_error {
public:
    explicit StatusError(sdk::Status status)
        : std::runtime_error(status.message()), status_(std::move(status)) {}
    const sdk::Status& status() const noexcept { return status_; }

private:
    sdk::Status status_;
};

/// Throws StatusError when `status` is not ok. Used on every storage call.
inline void check(const sdk::Status& status) {
    if (!status.ok()) throw StatusError(status);
}

/// Throws an Invalid StatusError; `message` names the field ("email: invalid e-mail address").
[[noreturn]] inline void invalid(const std::string& message) {
    throw StatusError(sdk::Status::invalid(message));
}

}  // namespace tidings::kernel
