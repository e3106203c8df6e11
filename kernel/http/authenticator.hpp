// The server's view of authentication: implemented in kernel/auth, consulted by the server
// before every Authenticated route.
#pragma once

#include <string>
#include <vector>

#include <tidings/sdk/v1/http.hpp>

namespace tidings::kernel {

namespace sdk = tidings::sdk::v1;

/// Who is calling.
struct Principal {
    std::string username;
    std::vector<std::string> permissions;  ///< Sorted.
    bool super_admin = false;              ///< Holds every permission.

    bool can(const std::string& permission) const;
};

struct AuthOutcome {
    /// Unavailable: the credentials could not be checked (storage down); answered 503, and the
    /// reason is for the log only, never for the client.
    enum class Result { Ok, Missing, Invalid, Unavailable };
    Result result = Result::Missing;
    Principal principal;  ///< Set when Ok.
    std::string message;  ///< Why it failed, safe to show ("invalid API credentials").
    std::string detail;   ///< Unavailable only: the storage's reason, for the log.
};

class Authenticator {
public:
    virtual ~Authenticator() = default;
    /// Checks the request's Authorization header. Called on HTTP worker threads concurrently.
    virtual AuthOutcome authenticate(const sdk::Request& request) = 0;
};

}  // namespace tidings::kernel
