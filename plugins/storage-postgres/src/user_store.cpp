#include "user_store.hpp"

#include "errors.hpp"
#include "rows.hpp"

namespace tidings::storage_pg {
namespace {

const std::string& userSelect() {
    static const std::string sql =
        "SELECT " + userColumns() + " FROM users JOIN roles ON roles.id = users.role_id";
    return sql;
}

template <typename Enum>
std::optional<std::string> optEnum(const std::optional<Enum>& v) {
    if (!v) return std::nullopt;
    return std::string(sdk::toString(*v));
}

std::optional<std::string> optBool(const std::optional<bool>& v) {
    if (!v) return std::nullopt;
    return std::string(*v ? "true" : "false");
}

std::optional<std::string> optId(const std::optional<sdk::Id>& v) {
    if (!v) return std::nullopt;
    return std::to_string(*v);
}

}  // namespace

sdk::Status UserStoreImpl::findUser(const char* name, const char* where, std::string_view value,
                                    sdk::User& out) {
    auto lease = db_.lease();
    Params p;
    p.add(value);
    Result r = lease->execPrepared(name, userSelect() + " WHERE " + where, p);
    if (r.rows() == 0) return sdk::Status::notFound("user: not found");
    out = readUser(r, 0);
    return {};
}

sdk::Status UserStoreImpl::listUsers(std::vector<sdk::User>& out) noexcept {
    return guarded([&] {
        auto lease = db_.lease();
        Result r = lease->execPrepared("users_all", userSelect() + " ORDER BY users.id");
        std::vector<sdk::User> users;
        for (int i = 0; i < r.rows(); ++i) users.push_back(readUser(r, i));
        out = std::move(users);
        return sdk::Status{};
    });
}

sdk::Status UserStoreImpl::getUser(sdk::Id id, sdk::User& out) noexcept {
    return guarded([&] { return findUser("user_by_id", "users.id = $1::int8", std::to_string(id), out); });
}

sdk::Status UserStoreImpl::findUserByName(std::string_view username, sdk::User& out) noexcept {
    return guarded([&] { return findUser("user_by_name", "users.username = $1", username, out); });
}

sdk::Status UserStoreImpl::findUserByCredential(std::string_view digest, sdk::User& out) noexcept {
    return guarded([&] {
        if (digest.empty()) return sdk::Status::notFound("user: not found");
        // Matches the partial index idx_users_api_credential.
        return findUser("user_by_credential", "users.type = 'api' AND users.credential_hash = $1",
                        digest, out);
    });
}

sdk::Status UserStoreImpl::createUser(const sdk::UserDraft& d, sdk::User& out) noexcept {
    auto st = guarded([&] {
        if (!d.username || d.username->empty()) return sdk::Status::invalid("username: required");
        if (!d.email || d.email->empty()) return sdk::Status::invalid("email: required");
        if (!d.role_id) return sdk::Status::invalid("role_id: required");
        auto lease = db_.lease();
        Params p;
        p.add(*d.username);
        p.add(*d.email);
        p.add(d.name);
        p.add(optEnum(d.type));
        p.add(optEnum(d.status));
        p.add(optBool(d.password_login));
        p.add(d.credential_hash);
        p.add(optId(d.role_id));
        Result r = lease->execPrepared(
            "user_insert",
            "INSERT INTO users (username, email, name, type, status, password_login, credential_hash,"
            " role_id) VALUES ($1, $2, COALESCE($3, ''), COALESCE($4, 'user'), COALESCE($5, 'enabled'),"
            " COALESCE($6::bool, false), COALESCE($7, ''), $8::int8) RETURNING id",
            p);
        out.id = r.int64(0, 0);
        return sdk::Status{};
    });
    if (!st) return st;
    return getUser(out.id, out);
}

sdk::Status UserStoreImpl::updateUser(sdk::Id id, const sdk::UserDraft& d, sdk::User& out) noexcept {
    auto st = guarded([&] {
        auto lease = db_.lease();
        Params p;
        p.add(id);
        p.add(d.username);
        p.add(d.email);
        p.add(d.name);
        p.add(optEnum(d.type));
        p.add(optEnum(d.status));
        p.add(optBool(d.password_login));
        p.add(d.credential_hash);
        p.add(optId(d.role_id));
        Result r = lease->execPrepared(
            "user_update",
            "UPDATE users SET username = COALESCE($2, username), email = COALESCE($3, email),"
            " name = COALESCE($4, name), type = COALESCE($5, type), status = COALESCE($6, status),"
            " password_login = COALESCE($7::bool, password_login),"
            " credential_hash = COALESCE($8, credential_hash), role_id = COALESCE($9::int8, role_id),"
            " updated_at = NOW() WHERE id = $1::int8",
            p);
        if (r.affected() == 0) return sdk::Status::notFound("user: not found");
        return sdk::Status{};
    });
    if (!st) return st;
    return getUser(id, out);
}

sdk::Status UserStoreImpl::removeUser(sdk::Id id) noexcept {
    return guarded([&] {
        auto lease = db_.lease();
        Params p;
        p.add(id);
        if (lease->execPrepared("user_delete", "DELETE FROM users WHERE id = $1::int8", p).affected() == 0)
            return sdk::Status::notFound("user: not found");
        return sdk::Status{};
    });
}

sdk::Status UserStoreImpl::touchUserLogin(sdk::Id id) noexcept {
    return guarded([&] {
        auto lease = db_.lease();
        Params p;
        p.add(id);
        if (lease->execPrepared("user_touch", "UPDATE users SET loggedin_at = NOW() WHERE id = $1::int8", p)
                .affected() == 0)
            return sdk::Status::notFound("user: not found");
        return sdk::Status{};
    });
}

sdk::Status UserStoreImpl::listRoles(std::vector<sdk::Role>& out) noexcept {
    return guarded([&] {
        auto lease = db_.lease();
        Result r = lease->execPrepared("roles_all", "SELECT " + roleColumns() + " FROM roles ORDER BY roles.id");
        std::vector<sdk::Role> roles;
        for (int i = 0; i < r.rows(); ++i) roles.push_back(readRole(r, i));
        out = std::move(roles);
        return sdk::Status{};
    });
}

sdk::Status UserStoreImpl::getRole(sdk::Id id, sdk::Role& out) noexcept {
    return guarded([&] {
        auto lease = db_.lease();
        Params p;
        p.add(id);
        Result r = lease->execPrepared("role_by_id", "SELECT " + roleColumns() + " FROM roles WHERE roles.id = $1::int8", p);
        if (r.rows() == 0) return sdk::Status::notFound("role: not found");
        out = readRole(r, 0);
        return sdk::Status{};
    });
}

sdk::Status UserStoreImpl::createRole(const std::string& name, const std::vector<std::string>& permissions,
                                      sdk::Role& out) noexcept {
    return guarded([&] {
        if (name.empty()) return sdk::Status::invalid("name: required");
        auto lease = db_.lease();
        Params p;
        p.add(name);
        p.add(textArrayLiteral(permissions));
        Result r = lease->execPrepared(
            "role_insert",
            "INSERT INTO roles (name, permissions) VALUES ($1, $2::text[]) RETURNING " + roleColumns(), p);
        out = readRole(r, 0);
        return sdk::Status{};
    });
}

sdk::Status UserStoreImpl::updateRole(sdk::Id id, const std::string& name,
                                      const std::vector<std::string>& permissions, sdk::Role& out) noexcept {
    return guarded([&] {
        if (name.empty()) return sdk::Status::invalid("name: required");
        auto lease = db_.lease();
        Params p;
        p.add(id);
        p.add(name);
        p.add(textArrayLiteral(permissions));
        Result r = lease->execPrepared(
            "role_update",
            "UPDATE roles SET name = $2, permissions = $3::text[], updated_at = NOW()"
            " WHERE id = $1::int8 RETURNING " + roleColumns(), p);
        if (r.rows() == 0) return sdk::Status::notFound("role: not found");
        out = readRole(r, 0);
        return sdk::Status{};
    });
}

sdk::Status UserStoreImpl::removeRole(sdk::Id id) noexcept {
    return guarded([&] {
        auto lease = db_.lease();
        Params p;
        p.add(id);
        try {
            if (lease->execPrepared("role_delete", "DELETE FROM roles WHERE id = $1::int8", p).affected() == 0)
                return sdk::Status::notFound("role: not found");
        } catch (const PgError& e) {
            if (e.sqlstate() == "23503") return sdk::Status::conflict("role: still assigned to users");
            throw;
        }
        return sdk::Status{};
    });
}

}  // namespace tidings::storage_pg
