#include "user_store.hpp"

namespace tidings::storage_sqlite {

sdk::Status UserStoreImpl::listUsers(std::vector<sdk::User>& out) noexcept {
    return sdk::Status::internal("storage-sqlite: not implemented yet");
}

sdk::Status UserStoreImpl::getUser(sdk::Id id, sdk::User& out) noexcept {
    return sdk::Status::internal("storage-sqlite: not implemented yet");
}

sdk::Status UserStoreImpl::findUserByName(std::string_view username, sdk::User& out) noexcept {
    return sdk::Status::internal("storage-sqlite: not implemented yet");
}

sdk::Status UserStoreImpl::findUserByCredential(std::string_view digest, sdk::User& out) noexcept {
    return sdk::Status::internal("storage-sqlite: not implemented yet");
}

sdk::Status UserStoreImpl::createUser(const sdk::UserDraft& draft, sdk::User& out) noexcept {
    return sdk::Status::internal("storage-sqlite: not implemented yet");
}

sdk::Status UserStoreImpl::updateUser(sdk::Id id, const sdk::UserDraft& draft, sdk::User& out) noexcept {
    return sdk::Status::internal("storage-sqlite: not implemented yet");
}

sdk::Status UserStoreImpl::removeUser(sdk::Id id) noexcept {
    return sdk::Status::internal("storage-sqlite: not implemented yet");
}

sdk::Status UserStoreImpl::touchUserLogin(sdk::Id id) noexcept {
    return sdk::Status::internal("storage-sqlite: not implemented yet");
}

sdk::Status UserStoreImpl::listRoles(std::vector<sdk::Role>& out) noexcept {
    return sdk::Status::internal("storage-sqlite: not implemented yet");
}

sdk::Status UserStoreImpl::getRole(sdk::Id id, sdk::Role& out) noexcept {
    return sdk::Status::internal("storage-sqlite: not implemented yet");
}

sdk::Status UserStoreImpl::createRole(const std::string& name, const std::vector<std::string>& permissions,
                           sdk::Role& out) noexcept {
    return sdk::Status::internal("storage-sqlite: not implemented yet");
}

sdk::Status UserStoreImpl::updateRole(sdk::Id id, const std::string& name,
                           const std::vector<std::string>& permissions, sdk::Role& out) noexcept {
    return sdk::Status::internal("storage-sqlite: not implemented yet");
}

sdk::Status UserStoreImpl::removeRole(sdk::Id id) noexcept {
    return sdk::Status::internal("storage-sqlite: not implemented yet");
}

}  // namespace tidings::storage_sqlite
