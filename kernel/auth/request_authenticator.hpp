// Authenticates admin API requests the three ways clients do it:
//
//   Authorization: Basic base64(user:password)   people; API users may put their token here
//   Authorization: token user:token              listmonk's API-user form
//   Authorization: Bearer token                  the seeds' form
//
// A successful authentication is remembered, keyed by a digest of the header, together with the
// shared auth revision it was made under (see kernel/core/auth_revision.hpp): it is reused only
// while that revision is current, so deleting or disabling a user, or changing a password, role
// or token, takes effect on the next request in every process, while an unchanged client costs
// one key lookup per request instead of a user lookup and password check. Entries also expire
// after a few minutes, for changes made to the database by hand. The PBKDF2 computation is
// memoised separately, keyed by the stored hash, so a password change invalidates it by
// construction.
#pragma once

#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include <tidings/sdk/v1/storage.hpp>

#include "kernel/core/auth_revision.hpp"
#include "kernel/http/authenticator.hpp"

namespace tidings::kernel {

namespace sdk = tidings::sdk::v1;

class RequestAuthenticator final : public Authenticator {
public:
    RequestAuthenticator(sdk::UserStore& users, sdk::StateStore& state);

    AuthOutcome authenticate(const sdk::Request& request) override;

    /// Builds the principal for a stored user.
    static Principal principalFor(const sdk::User& user);

private:
    AuthOutcome authenticateHeader(std::string_view value);
    AuthOutcome byUserAndSecret(const std::string& username, const std::string& secret, bool token_only);
    AuthOutcome byToken(const std::string& token);
    bool passwordMatches(const std::string& username, const std::string& password, const std::string& stored);

    struct Cached {
        Principal principal;
        std::string revision;  ///< The auth revision current when it was checked.
        std::chrono::steady_clock::time_point at;
    };
    std::optional<Principal> cached(const std::string& key, const std::string& revision,
                                    std::chrono::steady_clock::time_point now);
    void remember(const std::string& key, Cached entry);

    sdk::UserStore& users_;
    AuthRevision revision_;
    std::mutex cache_mutex_;
    std::unordered_map<std::string, Cached> cache_;
    std::mutex verified_mutex_;
    // sha256(username, password, stored hash) -> when it was verified.
    std::unordered_map<std::string, std::chrono::steady_clock::time_point> verified_;
};

}  // namespace tidings::kernel
