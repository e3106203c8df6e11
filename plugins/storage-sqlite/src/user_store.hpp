// SQLite implementation of sdk::UserStore.
#pragma once

#include <tidings/sdk/v1/storage.hpp>

#include "database.hpp"

namespace tidings::storage_sqlite {

class UserStoreImpl final : public sdk::UserStore {
public:
    explicit UserStoreImpl(Database& db) : db_(db) {}

    sdk::Status listUsers(std::vector<sdk::User>& out) noexcept override;
    sdk::Status getUser(sdk::Id id, sdk::User& out) noexcept override;
    sdk::Status findUserByName(std::string_view username, sdk::User& out) noexcept override;
    sdk::Status findUserByCredential(std::string_view digest, sdk::User& out) noexcept override;
    sdk::Status createUser(const sdk::UserDraft& draft, sdk::User& out) noexcept override;
    sdk::Status updateUser(sdk::Id id, const sdk::UserDraft& draft, sdk::User& out) noexcept override;
    sdk::Status removeUser(sdk::Id id) noexcept override;
    sdk::Status touchUserLogin(sdk::Id id) noexcept override;
    sdk::Status listRoles(std::vector<sdk::Role>& out) noexcept override;
    sdk::Status getRole(sdk::Id id, sdk::Role& out) noexcept override;
    sdk::Status createRole(const std::string& name, const std::vector<std::string>& permissions,
                           sdk::Role& out) noexcept override;
    sdk::Status updateRole(sdk::Id id, const std::string& name,
                           const std::vector<std::string>& permissions, sdk::Role& out) noexcept override;
    sdk::Status removeRole(sdk::Id id) noexcept override;

private:
    Database& db_;
};

}  // namespace tidings::storage_sqlite
