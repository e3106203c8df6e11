// DeliveryStoreImpl: the send engine's batches and the per-recipient delivery ledger.
//
// Claiming a new batch is optimistic: the next recipients are selected outside any write
// transaction (a segment may only run read-only), then one short transaction moves the
// campaign's cursor from the value the selection started at — compare-and-swap — and records
// the batch with its lease. A process that loses the race selects again. Expired batches are
// reclaimed with FOR UPDATE SKIP LOCKED, so concurrent claimers never wait on each other.
#pragma once

#include <tidings/sdk/v1/campaign.hpp>

#include "database.hpp"

namespace tidings::storage_pg {

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

}  // namespace tidings::storage_pg
