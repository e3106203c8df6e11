// SQLite implementation of sdk::DeliveryStore.
#pragma once

#include <tidings/sdk/v1/storage.hpp>

#include "database.hpp"

namespace tidings::storage_sqlite {

class DeliveryStoreImpl final : public sdk::DeliveryStore {
public:
    explicit DeliveryStoreImpl(Database& db) : db_(db) {}

    sdk::Status claimBatch(sdk::Id campaign_id, std::size_t size, std::chrono::seconds lease,
                           sdk::RecipientBatch& out) noexcept override;
    sdk::Status renewBatch(sdk::Id batch_id, std::chrono::seconds lease) noexcept override;
    sdk::Status record(sdk::Id campaign_id, const std::vector<sdk::Delivery>& deliveries) noexcept override;
    sdk::Status completeBatch(sdk::Id batch_id) noexcept override;
    sdk::Status finishIfDone(sdk::Id campaign_id, bool& finished) noexcept override;
    sdk::Status deliveries(sdk::Id campaign_id, std::optional<sdk::DeliveryStatus> status, std::int64_t page,
                           std::int64_t per_page, sdk::DeliveryPage& out) noexcept override;
    sdk::Status retryFailed(sdk::Id campaign_id, std::int64_t& affected) noexcept override;

private:
    Database& db_;
};

}  // namespace tidings::storage_sqlite
