#include "kernel/core/user_service.hpp"

#include <algorithm>
#include <cctype>

#include "kernel/auth/credentials.hpp"
#include "kernel/auth/permissions.hpp"
#include "kernel/core/email.hpp"
#include "kernel/core/sort_keys.hpp"
#include "kernel/core/status_error.hpp"
#include "kernel/core/text.hpp"

namespace tidings::kernel {

namespace sdk = tidings::sdk::v1;

namespace {

constexpr std::size_t kMinPassword = 8;
constexpr std::size_t kMaxPassword = 2000;

bool isSuperAdmin(const sdk::User& u) { return u.role.id == 1 && u.status == sdk::UserStatus::Enabled; }

}  // namespace

UserService::UserService(sdk::Storage& storage) : storage_(storage) {}

void UserService::validateUsername(const std::string& username) {
    if (username.size() < 3 || username.size() > 2000) invalid("username: must be 3 to 2000 characters");
    bool ok = std::all_of(username.begin(), username.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '@' || c == '-';
    });
    if (!ok) invalid("username: may contain only letters, digits and _ . @ -");
}

void UserService::validatePermissions(const std::vector<std::string>& permissions) {
    for (const auto& p : permissions) {
        if (!isKnownPermission(p)) invalid("permissions: unknown permission '" + p + "'");
    }
}

std::string UserService::orderColumn(const std::string& order_by) {
    std::string key = sortKey(order_by, {"id", "username", "name", "type", "user_type", "status", "created_at", "updated_at"},
                              "id", "users");
    return key == "user_type" ? "type" : key;
}

std::vector<sdk::User> UserService::list(const std::string& order_by, sdk::SortOrder order) {
    std::vector<sdk::User> out;
    check(storage_.users().listUsers(out));
    // The store returns them all, by id: there are few, so any other order is applied here.
    using U = sdk::User;
    if (order_by == "username") {
        sortListing(out, order, [](const U& u) -> const std::string& { return u.username; });
    } else if (order_by == "name") {
        sortListing(out, order, [](const U& u) -> const std::string& { return u.name; });
    } else if (order_by == "type") {
        sortListing(out, order, [](const U& u) { return sdk::toString(u.type); });
    } else if (order_by == "status") {
        sortListing(out, order, [](const U& u) { return sdk::toString(u.status); });
    } else if (order_by == "created_at") {
        sortListing(out, order, [](const U& u) { return u.created_at; });
    } else if (order_by == "updated_at") {
        sortListing(out, order, [](const U& u) { return u.updated_at; });
    } else {
        sortListing(out, order, [](const U& u) { return u.id; });
    }
    return out;
}

sdk::User UserService::get(sdk::Id id) {
    if (id < 1) invalid("id: invalid user id");
    sdk::User out;
    check(storage_.users().getUser(id, out));
    return out;
}

CreatedUser UserService::create(const UserInput& input) {
    sdk::UserDraft draft;
    std::string username = trimmed(input.username.value_or(""));
    validateUsername(username);
    draft.username = username;
    auto type = sdk::parseEnum<sdk::UserType>(input.type.value_or("user"));
    if (!type) invalid("type: must be user or api");
    draft.type = *type;
    auto status = sdk::parseEnum<sdk::UserStatus>(input.status.value_or("enabled"));
    if (!status) invalid("status: must be enabled or disabled");
    draft.status = *status;
    if (!input.user_role_id || *input.user_role_id < 1) invalid("user_role_id: is required");
    draft.role_id = *input.user_role_id;
    draft.name = trimmed(input.name.value_or(username));

    CreatedUser created;
    if (*type == sdk::UserType::Api) {
        // API users authenticate with a generated token only; their e-mail is a placeholder.
        std::string token = randomToken();
        draft.credential_hash = tokenDigest(token);
        draft.password_login = false;
        draft.email = username + "@api";
        created.token = token;
    } else {
        auto email = normaliseEmail(input.email.value_or(""));
        if (!email) invalid("email: invalid e-mail address");
        draft.email = *email;
        draft.password_login = input.password_login.value_or(true);
        if (*draft.password_login) {
            const std::string& pw = input.password.value_or("");
            if (pw.size() < kMinPassword || pw.size() > kMaxPassword) {
                invalid("password: must be 8 to 2000 characters");
            }
            draft.credential_hash = hashPassword(pw);
        } else {
            draft.credential_hash = "";
        }
    }
    check(storage_.users().createUser(draft, created.user));
    return created;
}

sdk::User UserService::update(sdk::Id id, const UserInput& input) {
    sdk::User current = get(id);
    sdk::UserDraft draft;
    if (input.username && !trimmed(*input.username).empty()) {
        validateUsername(trimmed(*input.username));
        draft.username = trimmed(*input.username);
    }
    if (input.name) draft.name = trimmed(*input.name);
    if (input.email && !input.email->empty() && current.type == sdk::UserType::User) {
        auto email = normaliseEmail(*input.email);
        if (!email) invalid("email: invalid e-mail address");
        draft.email = *email;
    }
    if (input.status && !input.status->empty()) {
        auto status = sdk::parseEnum<sdk::UserStatus>(*input.status);
        if (!status) invalid("status: must be enabled or disabled");
        draft.status = *status;
    }
    if (input.user_role_id) draft.role_id = *input.user_role_id;
    if (current.type == sdk::UserType::User) {
        if (input.password_login) draft.password_login = *input.password_login;
        if (input.password && !input.password->empty()) {
            if (input.password->size() < kMinPassword || input.password->size() > kMaxPassword) {
                invalid("password: must be 8 to 2000 characters");
            }
            draft.credential_hash = hashPassword(*input.password);
        }
    }
    bool demotes = isSuperAdmin(current) &&
                   ((draft.role_id && *draft.role_id != 1) ||
                    (draft.status && *draft.status == sdk::UserStatus::Disabled));
    if (demotes) {
        auto users = list();
        auto supers = std::count_if(users.begin(), users.end(), isSuperAdmin);
        if (supers <= 1) invalid("user_role_id: cannot demote or disable the last Super Admin");
    }
    sdk::User out;
    check(storage_.users().updateUser(id, draft, out));
    revision_.bump();
    return out;
}

void UserService::remove(sdk::Id id) {
    sdk::User current = get(id);
    if (isSuperAdmin(current)) {
        auto users = list();
        if (std::count_if(users.begin(), users.end(), isSuperAdmin) <= 1) {
            invalid("id: cannot delete the last Super Admin");
        }
    }
    check(storage_.users().removeUser(id));
    revision_.bump();
}

std::vector<sdk::Role> UserService::roles() {
    std::vector<sdk::Role> out;
    check(storage_.users().listRoles(out));
    return out;
}

sdk::Role UserService::createRole(const std::string& raw_name, const std::vector<std::string>& permissions) {
    std::string name = trimmed(raw_name);
    if (name.empty() || name.size() > 200) invalid("name: must be 1 to 200 characters");
    validatePermissions(permissions);
    sdk::Role out;
    check(storage_.users().createRole(name, permissions, out));
    return out;
}

sdk::Role UserService::updateRole(sdk::Id id, const std::string& raw_name, const std::vector<std::string>& permissions) {
    if (id < 1) invalid("id: invalid role id");
    if (id == 1) invalid("id: the Super Admin role cannot be changed");
    std::string name = trimmed(raw_name);
    if (name.empty() || name.size() > 200) invalid("name: must be 1 to 200 characters");
    validatePermissions(permissions);
    sdk::Role out;
    check(storage_.users().updateRole(id, name, permissions, out));
    revision_.bump();
    return out;
}

void UserService::removeRole(sdk::Id id) {
    if (id < 1) invalid("id: invalid role id");
    if (id == 1) invalid("id: the Super Admin role cannot be deleted");
    check(storage_.users().removeRole(id));
    revision_.bump();
}

bool UserService::bootstrapAdmin(const std::string& username, const std::string& password) {
    if (!list().empty()) return false;
    sdk::Role role;
    auto status = storage_.users().createRole(kSuperAdminRole, allPermissions(), role);
    if (status.code() == sdk::StatusCode::Conflict) {
        auto all = roles();
        auto it = std::find_if(all.begin(), all.end(), [](const sdk::Role& r) { return r.name == kSuperAdminRole; });
        if (it == all.end()) check(status);
        role = *it;
    } else {
        check(status);
    }
    if (role.id != 1) {
        throw StatusError(sdk::Status::internal("the Super Admin role must have id 1, got " + std::to_string(role.id)));
    }
    UserInput input;
    input.username = username;
    input.name = username;
    input.email = username.find('@') == std::string::npos ? username + "@localhost.localdomain" : username;
    input.type = "user";
    input.password = password;
    input.password_login = true;
    input.user_role_id = role.id;
    try {
        create(input);
    } catch (const StatusError& e) {
        if (e.status().code() != sdk::StatusCode::Conflict) throw;
        return false;  // another process created it first
    }
    return true;
}

}  // namespace tidings::kernel
