// Users, API users and their roles; creation of the first Super Admin.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <tidings/sdk/v1/storage.hpp>

#include "kernel/core/auth_revision.hpp"

namespace tidings::kernel {

namespace sdk = tidings::sdk::v1;

/// A user as a client sent it; unset optionals were absent from the request.
struct UserInput {
    std::optional<std::string> username;
    std::optional<std::string> name;
    std::optional<std::string> email;
    std::optional<std::string> type;
    std::optional<std::string> status;
    std::optional<bool> password_login;
    std::optional<std::string> password;
    std::optional<sdk::Id> user_role_id;
};

/// A created user; for API users `token` holds the only copy of the plain token.
struct CreatedUser {
    sdk::User user;
    std::optional<std::string> token;
};

/// The name and id of the role that holds every permission.
inline constexpr const char* kSuperAdminRole = "Super Admin";

class UserService {
public:
    explicit UserService(sdk::Storage& storage);

    /// Every user, ordered by `order_by` (an orderColumn() value) in `order`.
    std::vector<sdk::User> list(const std::string& order_by = "id", sdk::SortOrder order = sdk::SortOrder::Asc);
    sdk::User get(sdk::Id id);
    CreatedUser create(const UserInput& input);
    sdk::User update(sdk::Id id, const UserInput& input);
    /// Refuses to delete the last enabled Super Admin.
    void remove(sdk::Id id);

    std::vector<sdk::Role> roles();
    sdk::Role createRole(const std::string& name, const std::vector<std::string>& permissions);
    /// Role 1 (Super Admin) cannot be changed.
    sdk::Role updateRole(sdk::Id id, const std::string& name, const std::vector<std::string>& permissions);
    void removeRole(sdk::Id id);

    /// On a database without users, creates the Super Admin role and a password user with it.
    /// Returns false (doing nothing) when users already exist. Safe against several processes
    /// starting at once: a concurrent creation is treated as done.
    bool bootstrapAdmin(const std::string& username, const std::string& password);

    /// Maps an `order_by` value to a user field ("user_type", the column's name in listmonk,
    /// is "type"); Invalid for anything else.
    static std::string orderColumn(const std::string& order_by);

private:
    void validateUsername(const std::string& username);
    void validatePermissions(const std::vector<std::string>& permissions);

    sdk::Storage& storage_;
    AuthRevision revision_{storage_.state()};  ///< Bumped by every change to a user or role.
};

}  // namespace tidings::kernel
