#include "list_store.hpp"

namespace tidings::storage_sqlite {

sdk::Status ListStoreImpl::query(const sdk::ListQuery& q, sdk::ListPage& out) noexcept {
    return sdk::Status::internal("storage-sqlite: not implemented yet");
}

sdk::Status ListStoreImpl::get(sdk::Id id, sdk::List& out) noexcept {
    return sdk::Status::internal("storage-sqlite: not implemented yet");
}

sdk::Status ListStoreImpl::getByUuids(const std::vector<std::string>& uuids, std::vector<sdk::List>& out) noexcept {
    return sdk::Status::internal("storage-sqlite: not implemented yet");
}

sdk::Status ListStoreImpl::create(const sdk::ListDraft& draft, sdk::List& out) noexcept {
    return sdk::Status::internal("storage-sqlite: not implemented yet");
}

sdk::Status ListStoreImpl::update(sdk::Id id, const sdk::ListDraft& draft, sdk::List& out) noexcept {
    return sdk::Status::internal("storage-sqlite: not implemented yet");
}

sdk::Status ListStoreImpl::remove(const std::vector<sdk::Id>& ids, std::int64_t& affected) noexcept {
    return sdk::Status::internal("storage-sqlite: not implemented yet");
}

}  // namespace tidings::storage_sqlite
