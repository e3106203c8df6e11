#include "user_store.hpp"

#include "errors.hpp"
#include "json_array.hpp"
#include "values.hpp"

namespace tidings::storage_sqlite {
namespace {

constexpr const char* kRoleColumns = "roles.id, roles.name, roles.permissions, roles.created_at, roles.updated_at";

sdk::Role readRole(const Statement& st, int c = 0) {
    sdk::Role role;
    role.id = st.int64(c);
    role.name = st.text(c + 1);
    role.permissions = fromJsonArray(st.text(c + 2));
    role.created_at = parseTimestamp(st.text(c + 3));
    role.updated_at = parseTimestamp(st.text(c + 4));
    return role;
}

const std::string& userSelect() {
    static const std::string sql =
        "SELECT users.id, users.username, users.email, users.name, users.type, users.status, users.password_login,"
        " users.credential_hash, users.loggedin_at, users.created_at, users.updated_at, " +
        std::string(kRoleColumns) + " FROM users JOIN roles ON roles.id = users.role_id";
    return sql;
}

sdk::User readUser(const Statement& st) {
    sdk::User u;
    u.id = st.int64(0);
    u.username = st.text(1);
    u.email = st.text(2);
    u.name = st.text(3);
    u.type = enumFrom<sdk::UserType>(st.text(4));
    u.status = enumFrom<sdk::UserStatus>(st.text(5));
    u.password_login = st.boolean(6);
    u.credential_hash = st.text(7);
    if (!st.isNull(8)) u.loggedin_at = parseTimestamp(st.text(8));
    u.created_at = parseTimestamp(st.text(9));
    u.updated_at = parseTimestamp(st.text(10));
    u.role = readRole(st, 11);
    return u;
}

template <typename Value>
sdk::Status findUser(Database& db, const char* where, const Value& value, sdk::User& out) {
    auto lease = db.reader();
    auto st = lease->prepare(userSelect() + " WHERE " + where);
    st.bindAll(value);
    if (!st.step()) return sdk::Status::notFound("user: not found");
    out = readUser(st);
    return {};
}

template <typename Enum>
std::optional<std::string> optEnum(const std::optional<Enum>& v) {
    if (!v) return std::nullopt;
    return std::string(sdk::toString(*v));
}

std::optional<std::int64_t> optBool(const std::optional<bool>& v) {
    if (!v) return std::nullopt;
    return *v ? 1 : 0;
}

// The role must exist: SQLite reports a missing one as a bare foreign-key failure.
sdk::Status checkRole(Connection& c, const std::optional<sdk::Id>& role_id) {
    if (!role_id) return {};
    auto st = c.prepare("SELECT 1 FROM roles WHERE id = ?");
    st.bindAll(*role_id);
    return st.step() ? sdk::Status{} : sdk::Status::invalid("role_id: role does not exist");
}

}  // namespace

sdk::Status UserStoreImpl::listUsers(std::vector<sdk::User>& out) noexcept {
    return guarded([&] {
        auto lease = db_.reader();
        auto st = lease->prepare(userSelect() + " ORDER BY users.id");
        std::vector<sdk::User> users;
        while (st.step()) users.push_back(readUser(st));
        out = std::move(users);
        return sdk::Status{};
    });
}

sdk::Status UserStoreImpl::getUser(sdk::Id id, sdk::User& out) noexcept {
    return guarded([&] { return findUser(db_, "users.id = ?", id, out); });
}

sdk::Status UserStoreImpl::findUserByName(std::string_view username, sdk::User& out) noexcept {
    return guarded([&] { return findUser(db_, "users.username = ?", username, out); });
}

sdk::Status UserStoreImpl::findUserByCredential(std::string_view digest, sdk::User& out) noexcept {
    return guarded([&] {
        if (digest.empty()) return sdk::Status::notFound("user: not found");
        // Matches the partial index idx_users_api_credential.
        return findUser(db_, "users.type = 'api' AND users.credential_hash = ?", digest, out);
    });
}

sdk::Status UserStoreImpl::createUser(const sdk::UserDraft& d, sdk::User& out) noexcept {
    auto st = guarded([&] {
        if (!d.username || d.username->empty()) return sdk::Status::invalid("username: required");
        if (!d.email || d.email->empty()) return sdk::Status::invalid("email: required");
        if (!d.role_id) return sdk::Status::invalid("role_id: required");
        auto lease = db_.writer();
        if (auto role = checkRole(*lease, d.role_id); !role) return role;
        lease->prepare("INSERT INTO users (username, email, name, type, status, password_login, credential_hash,"
                       " role_id) VALUES (?, ?, COALESCE(?, ''), COALESCE(?, 'user'), COALESCE(?, 'enabled'),"
                       " COALESCE(?, 0), COALESCE(?, ''), ?)")
            .bindAll(*d.username, *d.email, d.name, optEnum(d.type), optEnum(d.status), optBool(d.password_login),
                     d.credential_hash, *d.role_id)
            .run();
        out.id = lease->lastInsertId();
        return sdk::Status{};
    });
    if (!st) return st;
    return getUser(out.id, out);
}

sdk::Status UserStoreImpl::updateUser(sdk::Id id, const sdk::UserDraft& d, sdk::User& out) noexcept {
    auto st = guarded([&] {
        auto lease = db_.writer();
        if (auto role = checkRole(*lease, d.role_id); !role) return role;
        const auto changed =
            lease->prepare("UPDATE users SET username = COALESCE(?2, username), email = COALESCE(?3, email),"
                           " name = COALESCE(?4, name), type = COALESCE(?5, type), status = COALESCE(?6, status),"
                           " password_login = COALESCE(?7, password_login),"
                           " credential_hash = COALESCE(?8, credential_hash), role_id = COALESCE(?9, role_id),"
                           " updated_at = strftime('%Y-%m-%d %H:%M:%f', 'now') WHERE id = ?1")
                .bindAll(id, d.username, d.email, d.name, optEnum(d.type), optEnum(d.status),
                         optBool(d.password_login), d.credential_hash, d.role_id)
                .run();
        if (changed == 0) return sdk::Status::notFound("user: not found");
        return sdk::Status{};
    });
    if (!st) return st;
    return getUser(id, out);
}

sdk::Status UserStoreImpl::removeUser(sdk::Id id) noexcept {
    return guarded([&] {
        auto lease = db_.writer();
        if (lease->prepare("DELETE FROM users WHERE id = ?").bindAll(id).run() == 0)
            return sdk::Status::notFound("user: not found");
        return sdk::Status{};
    });
}

sdk::Status UserStoreImpl::touchUserLogin(sdk::Id id) noexcept {
    return guarded([&] {
        auto lease = db_.writer();
        if (lease->prepare("UPDATE users SET loggedin_at = ? WHERE id = ?").bindAll(nowText(), id).run() == 0)
            return sdk::Status::notFound("user: not found");
        return sdk::Status{};
    });
}

sdk::Status UserStoreImpl::listRoles(std::vector<sdk::Role>& out) noexcept {
    return guarded([&] {
        auto lease = db_.reader();
        auto st = lease->prepare(std::string("SELECT ") + kRoleColumns + " FROM roles ORDER BY roles.id");
        std::vector<sdk::Role> roles;
        while (st.step()) roles.push_back(readRole(st));
        out = std::move(roles);
        return sdk::Status{};
    });
}

sdk::Status UserStoreImpl::getRole(sdk::Id id, sdk::Role& out) noexcept {
    return guarded([&] {
        auto lease = db_.reader();
        auto st = lease->prepare(std::string("SELECT ") + kRoleColumns + " FROM roles WHERE roles.id = ?");
        st.bindAll(id);
        if (!st.step()) return sdk::Status::notFound("role: not found");
        out = readRole(st);
        return sdk::Status{};
    });
}

sdk::Status UserStoreImpl::createRole(const std::string& name, const std::vector<std::string>& permissions,
                                      sdk::Role& out) noexcept {
    return guarded([&] {
        if (name.empty()) return sdk::Status::invalid("name: required");
        auto lease = db_.writer();
        auto st = lease->prepare(std::string("INSERT INTO roles (name, permissions) VALUES (?, ?) RETURNING ") +
                                 kRoleColumns);
        st.bindAll(name, toJsonArray(permissions));
        st.step();
        out = readRole(st);
        st.run();
        return sdk::Status{};
    });
}

sdk::Status UserStoreImpl::updateRole(sdk::Id id, const std::string& name, const std::vector<std::string>& permissions,
                                      sdk::Role& out) noexcept {
    return guarded([&] {
        if (name.empty()) return sdk::Status::invalid("name: required");
        auto lease = db_.writer();
        auto st = lease->prepare(
            std::string("UPDATE roles SET name = ?2, permissions = ?3, updated_at = strftime('%Y-%m-%d %H:%M:%f', 'now')"
                        " WHERE id = ?1 RETURNING ") +
            kRoleColumns);
        st.bindAll(id, name, toJsonArray(permissions));
        if (!st.step()) return sdk::Status::notFound("role: not found");
        out = readRole(st);
        st.run();
        return sdk::Status{};
    });
}

sdk::Status UserStoreImpl::removeRole(sdk::Id id) noexcept {
    return guarded([&] {
        auto lease = db_.writer();
        try {
            if (lease->prepare("DELETE FROM roles WHERE id = ?").bindAll(id).run() == 0)
                return sdk::Status::notFound("role: not found");
        } catch (const SqliteError& e) {
            // ON DELETE RESTRICT reports as SQLITE_CONSTRAINT_TRIGGER, not _FOREIGNKEY.
            if (e.primary() == SQLITE_CONSTRAINT) return sdk::Status::conflict("role: still assigned to users");
            throw;
        }
        return sdk::Status{};
    });
}

}  // namespace tidings::storage_sqlite
