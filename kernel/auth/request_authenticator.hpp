// Authenticates admin API requests the three ways clients do it:
//
//   Authorization: Basic base64(user:password)   people; API users may put their token here
//   Authorization: token user:token              listmonk's API-user form
//   Authorization: Bearer token                  the seeds' form
//
// A successful authentication is remembered for one second (keyed by a digest of the header),
// so a busy client costs one user lookup per second instead of one per request; disabling a
// user or deleting a token therefore takes effect within a second in every process, the same
// bound as runtime settings. The PBKDF2 computation is memoised separately, keyed by the stored
// hash, so a password change invalidates it by construction.
#pragma once

#include <chrono>
#include <mutex>
#include <optional>
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
    AuthOutcome authenticateHeader(std::string_view value);
    AuthOutcome byUserAndSecret(const std::string& username, const std::string& secret, bool token_only);
    AuthOutcome byToken(const std::string& token);
    bool passwordMatches(const std::string& username, const std::string& password, const std::string& stored);

    std::optional<Principal> recent(const std::string& key, std::chrono::steady_clock::time_point now);
    void remember(const std::string& key, const Principal& principal, std::chrono::steady_clock::time_point now);

    sdk::UserStore& users_;
    std::mutex recent_mutex_;
    std::unordered_map<std::string, std::pair<Principal, std::chrono::steady_clock::time_point>> recent_;
    std::mutex cache_mutex_;
    // sha256(username, password, stored hash) -> when it was verified.
    std::unordered_map<std::string, std::chrono::steady_clock::time_point> verified_;
};

}  // namespace tidings::kernel
