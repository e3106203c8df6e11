#include "delivery_store.hpp"

namespace tidings::storage_sqlite {

sdk::Status DeliveryStoreImpl::claimBatch(sdk::Id campaign_id, std::size_t size, std::chrono::seconds lease,
                           sdk::RecipientBatch& out) noexcept {
    return sdk::Status::internal("storage-sqlite: not implemented yet");
}

sdk::Status DeliveryStoreImpl::renewBatch(sdk::Id batch_id, std::chrono::seconds lease) noexcept {
    return sdk::Status::internal("storage-sqlite: not implemented yet");
}

sdk::Status DeliveryStoreImpl::record(sdk::Id campaign_id, const std::vector<sdk::Delivery>& deliveries) noexcept {
    return sdk::Status::internal("storage-sqlite: not implemented yet");
}

sdk::Status DeliveryStoreImpl::completeBatch(sdk::Id batch_id) noexcept {
    return sdk::Status::internal("storage-sqlite: not implemented yet");
}

sdk::Status DeliveryStoreImpl::finishIfDone(sdk::Id campaign_id, bool& finished) noexcept {
    return sdk::Status::internal("storage-sqlite: not implemented yet");
}

sdk::Status DeliveryStoreImpl::deliveries(sdk::Id campaign_id, std::optional<sdk::DeliveryStatus> status, std::int64_t page,
                           std::int64_t per_page, sdk::DeliveryPage& out) noexcept {
    return sdk::Status::internal("storage-sqlite: not implemented yet");
}

sdk::Status DeliveryStoreImpl::retryFailed(sdk::Id campaign_id, std::int64_t& affected) noexcept {
    return sdk::Status::internal("storage-sqlite: not implemented yet");
}

}  // namespace tidings::storage_sqlite
