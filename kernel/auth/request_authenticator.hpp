// Authenticates admin API requests the three ways clients do it:
//
//   Authorization: Basic base64(user:password)   people; API users may put their token here
//   Authorization: token user:token              listmonk's API-user form
//   Authorization: Bearer token                  the seeds' form
//
// The user is read from storage on every request, so disabling a user or rotating a token
// takes effect at once in every process. Only the PBKDF2 computation is memoised, keyed by the
// stored hash, so a password change invalidates it by construction.
#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <unordered_map>

#include <tidings/sdk/v1/storage.hpp>

#include "kernel/http/authenticator.hpp"

namespace tidings::kernel {

namespace sdk = tidings::sdk::v1;

class RequestAuthenticator final : public Authenticator {
public:
    explicit RequestAuthenticator(sdk::UserStore& users);

    AuthOutcome authenticate(const sdk::Request& request) override;

    /// Builds the principal for a stored user.
    static Principal principalFor(const sdk::User& user);

private:
    AuthOutcome byUserAndSecret(const std::string& username, const std::string& secret, bool token_only);
    AuthOutcome byToken(const std::string& token);
    bool passwordMatches(const std::string& username, const std::string& password, const std::string& stored);

    sdk::UserStore& users_;
    std::mutex cache_mutex_;
    // sha256(username, password, stored hash) -> when it was verified.
    std::unordered_map<std::string, std::chrono::steady_clock::time_point> verified_;
};

}  // namespace tidings::kernel
