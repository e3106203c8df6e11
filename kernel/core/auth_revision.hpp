// The version of users, roles and credentials that every process on one database shares.
//
// Authentication results are cached (a password check is deliberately slow), and a cache must
// never outlive a change: a deleted user's token, an old password or a disabled account has to
// stop working on the very next request, in every process. So every change to users or roles
// replaces a token in the shared state store, and a cached authentication is used only while the
// token it was made under is still the current one. Reading the token is a single key lookup,
// far cheaper than the user lookup and password check it saves.
#pragma once

#include <string>

#include <tidings/sdk/v1/storage.hpp>

namespace tidings::kernel {

namespace sdk = tidings::sdk::v1;

class AuthRevision {
public:
    explicit AuthRevision(sdk::StateStore& state) : state_(state) {}

    /// The current revision ("" before the first change). Throws StatusError when storage fails.
    std::string current() const;

    /// Records that users, roles or credentials changed, after the change is stored: every
    /// authentication cached under an earlier revision is checked again on its next use.
    /// Throws StatusError when storage fails.
    void bump();

private:
    sdk::StateStore& state_;
};

}  // namespace tidings::kernel
