#include "settings_store.hpp"

namespace tidings::storage_sqlite {

sdk::Status SettingsStoreImpl::getAll(std::vector<sdk::Setting>& out) noexcept {
    return sdk::Status::internal("storage-sqlite: not implemented yet");
}

sdk::Status SettingsStoreImpl::put(const std::vector<sdk::Setting>& settings) noexcept {
    return sdk::Status::internal("storage-sqlite: not implemented yet");
}

sdk::Status SettingsStoreImpl::revision(std::int64_t& out) noexcept {
    return sdk::Status::internal("storage-sqlite: not implemented yet");
}

}  // namespace tidings::storage_sqlite
