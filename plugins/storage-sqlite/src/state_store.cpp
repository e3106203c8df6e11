#include "state_store.hpp"

namespace tidings::storage_sqlite {

sdk::Status StateStoreImpl::get(std::string_view key, std::optional<std::string>& value) noexcept {
    return sdk::Status::internal("storage-sqlite: not implemented yet");
}

sdk::Status StateStoreImpl::put(std::string_view key, std::string_view value, std::chrono::seconds ttl) noexcept {
    return sdk::Status::internal("storage-sqlite: not implemented yet");
}

sdk::Status StateStoreImpl::insertIfAbsent(std::string_view key, std::string_view value, std::chrono::seconds ttl,
                               bool& inserted) noexcept {
    return sdk::Status::internal("storage-sqlite: not implemented yet");
}

sdk::Status StateStoreImpl::remove(std::string_view key) noexcept {
    return sdk::Status::internal("storage-sqlite: not implemented yet");
}

}  // namespace tidings::storage_sqlite
