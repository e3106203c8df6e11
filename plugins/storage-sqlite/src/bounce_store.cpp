#include "bounce_store.hpp"

namespace tidings::storage_sqlite {

sdk::Status BounceStoreImpl::record(const sdk::BounceEvent& event, const sdk::BounceRule& rule,
                       sdk::BounceOutcome& out) noexcept {
    return sdk::Status::internal("storage-sqlite: not implemented yet");
}

sdk::Status BounceStoreImpl::query(const sdk::BounceQuery& q, sdk::BouncePage& out) noexcept {
    return sdk::Status::internal("storage-sqlite: not implemented yet");
}

sdk::Status BounceStoreImpl::get(sdk::Id id, sdk::Bounce& out) noexcept {
    return sdk::Status::internal("storage-sqlite: not implemented yet");
}

sdk::Status BounceStoreImpl::remove(const std::vector<sdk::Id>& ids, std::int64_t& affected) noexcept {
    return sdk::Status::internal("storage-sqlite: not implemented yet");
}

sdk::Status BounceStoreImpl::removeAll(std::optional<sdk::Id> subscriber_id, std::int64_t& affected) noexcept {
    return sdk::Status::internal("storage-sqlite: not implemented yet");
}

sdk::Status BounceStoreImpl::blocklistBounced(std::int64_t& affected) noexcept {
    return sdk::Status::internal("storage-sqlite: not implemented yet");
}

}  // namespace tidings::storage_sqlite
