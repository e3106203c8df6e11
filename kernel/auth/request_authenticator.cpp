#include "kernel/auth/request_authenticator.hpp"

#include <algorithm>
#include <sstream>

#include <Poco/Base64Decoder.h>

#include "kernel/auth/credentials.hpp"
#include "kernel/core/status_error.hpp"

namespace tidings::kernel {

namespace sdk = tidings::sdk::v1;

namespace {

constexpr auto kVerifiedTtl = std::chrono::minutes(5);
// Changes through the API bump the revision; this bounds how long one made by hand goes unseen.
constexpr auto kCachedTtl = std::chrono::minutes(5);
constexpr std::size_t kMaxCachedVerifications = 10000;

AuthOutcome fail(std::string message) {
    AuthOutcome out;
    out.result = AuthOutcome::Result::Invalid;
    out.message = std::move(message);
    return out;
}

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

AuthOutcome unavailable(const sdk::Status& why) {
    AuthOutcome out;
    out.result = AuthOutcome::Result::Unavailable;
    out.message = "authentication is temporarily unavailable, retry shortly";
    out.detail = why.message();
    return out;
}

}  // namespace

RequestAuthenticator::RequestAuthenticator(sdk::UserStore& users, sdk::StateStore& state)
    : users_(users), revision_(state) {}

Principal RequestAuthenticator::principalFor(const sdk::User& user) {
    Principal p;
    p.username = user.username;
    p.permissions = user.role.permissions;
    std::sort(p.permissions.begin(), p.permissions.end());
    // As in listmonk, role 1 is the Super Admin role created at installation.
    p.super_admin = user.role.id == 1;
    return p;
}

std::optional<Principal> RequestAuthenticator::cached(const std::string& key, const std::string& revision,
                                                     std::chrono::steady_clock::time_point now) {
    std::lock_guard lock(cache_mutex_);
    auto it = cache_.find(key);
    if (it == cache_.end() || it->second.revision != revision || now - it->second.at > kCachedTtl) return std::nullopt;
    return it->second.principal;
}

void RequestAuthenticator::remember(const std::string& key, Cached entry) {
    std::lock_guard lock(cache_mutex_);
    if (cache_.size() >= kMaxCachedVerifications) cache_.clear();
    cache_[key] = std::move(entry);
}

AuthOutcome RequestAuthenticator::authenticate(const sdk::Request& request) {
    auto header = request.header("authorization");
    if (!header || header->empty()) {
        AuthOutcome out;
        out.result = AuthOutcome::Result::Missing;
        out.message = "authentication required";
        return out;
    }
    const auto now = std::chrono::steady_clock::now();
    // Read before checking the credentials: a change stored meanwhile bumps the revision after
    // it, so what is cached below is re-checked on its next use.
    std::string revision;
    try {
        revision = revision_.current();
    } catch (const StatusError& e) {
        return unavailable(e.status());
    }
    const std::string key = sha256Hex(*header);
    if (auto principal = cached(key, revision, now)) {
        AuthOutcome out;
        out.result = AuthOutcome::Result::Ok;
        out.principal = std::move(*principal);
        return out;
    }
    AuthOutcome outcome = authenticateHeader(*header);
    if (outcome.result == AuthOutcome::Result::Ok) remember(key, {outcome.principal, std::move(revision), now});
    return outcome;
}

AuthOutcome RequestAuthenticator::authenticateHeader(std::string_view value) {
    auto space = value.find(' ');
    if (space == std::string_view::npos) return fail("invalid Authorization header");
    std::string_view scheme = value.substr(0, space);
    std::string credentials(value.substr(space + 1));
    while (!credentials.empty() && credentials.front() == ' ') credentials.erase(0, 1);

    if (equalsIgnoreCase(scheme, "bearer")) return byToken(credentials);
    if (equalsIgnoreCase(scheme, "token") || equalsIgnoreCase(scheme, "basic")) {
        bool basic = equalsIgnoreCase(scheme, "basic");
        std::string pair = credentials;
        if (basic) {
            std::istringstream in(credentials);
            Poco::Base64Decoder decoder(in);
            std::ostringstream decoded;
            try {
                decoded << decoder.rdbuf();
            } catch (const std::exception&) {
                return fail("invalid Basic credentials encoding");
            }
            pair = decoded.str();
        }
        auto colon = pair.find(':');
        if (colon == std::string::npos || colon == 0) return fail("invalid API credentials");
        return byUserAndSecret(pair.substr(0, colon), pair.substr(colon + 1), !basic);
    }
    return fail("unsupported Authorization scheme");
}

AuthOutcome RequestAuthenticator::byToken(const std::string& token) {
    if (token.empty()) return fail("invalid API credentials");
    sdk::User user;
    auto status = users_.findUserByCredential(tokenDigest(token), user);
    if (status.code() == sdk::StatusCode::NotFound) return fail("invalid API credentials");
    if (!status.ok()) return unavailable(status);
    if (user.type != sdk::UserType::Api || user.status != sdk::UserStatus::Enabled) {
        return fail("invalid API credentials");
    }
    AuthOutcome out;
    out.result = AuthOutcome::Result::Ok;
    out.principal = principalFor(user);
    return out;
}

AuthOutcome RequestAuthenticator::byUserAndSecret(const std::string& username, const std::string& secret,
                                                  bool token_only) {
    sdk::User user;
    auto status = users_.findUserByName(username, user);
    if (status.code() == sdk::StatusCode::NotFound) return fail("invalid API credentials");
    if (!status.ok()) return unavailable(status);
    if (user.status != sdk::UserStatus::Enabled) return fail("invalid API credentials");

    bool ok = false;
    if (user.type == sdk::UserType::Api) {
        ok = constantTimeEquals(tokenDigest(secret), user.credential_hash);
    } else if (!token_only && user.password_login) {
        ok = passwordMatches(username, secret, user.credential_hash);
    }
    if (!ok) return fail("invalid API credentials");
    AuthOutcome out;
    out.result = AuthOutcome::Result::Ok;
    out.principal = principalFor(user);
    return out;
}

bool RequestAuthenticator::passwordMatches(const std::string& username, const std::string& password,
                                           const std::string& stored) {
    std::string key = sha256Hex(username + '\0' + password + '\0' + stored);
    auto now = std::chrono::steady_clock::now();
    {
        std::lock_guard lock(verified_mutex_);
        auto it = verified_.find(key);
        if (it != verified_.end() && now - it->second < kVerifiedTtl) return true;
    }
    if (!verifyPassword(password, stored)) return false;
    std::lock_guard lock(verified_mutex_);
    if (verified_.size() >= kMaxCachedVerifications) verified_.clear();
    verified_[key] = now;
    return true;
}

}  // namespace tidings::kernel
