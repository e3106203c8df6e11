// PostgreSQL implementation of sdk::OutboxStore, in table outbox (migration 8). Every time that
// decides what is due is the server's NOW(), so processes with skewed clocks agree.
#pragma once

#include <tidings/sdk/v1/outbox.hpp>

#include "database.hpp"

namespace tidings::storage_pg {

class OutboxStoreImpl final : public sdk::OutboxStore {
public:
    explicit OutboxStoreImpl(Database& db) : db_(db) {}

    sdk::Status enqueue(const sdk::OutboxDraft& draft, sdk::OutboxJob& out) noexcept override;
    sdk::Status claimDue(std::string_view channel, std::string_view token, std::size_t limit,
                         std::chrono::milliseconds lease, std::vector<sdk::OutboxClaim>& out) noexcept override;
    sdk::Status markSucceeded(sdk::Id id, std::string_view token, std::int32_t code) noexcept override;
    sdk::Status markFailed(sdk::Id id, std::string_view token, std::int32_t code, std::string_view error,
                           std::optional<std::chrono::milliseconds> retry_after) noexcept override;
    sdk::Status list(const sdk::OutboxQuery& q, sdk::OutboxPage& out) noexcept override;
    sdk::Status get(sdk::Id id, sdk::OutboxJob& out) noexcept override;
    sdk::Status prune(std::string_view channel, std::chrono::seconds older_than,
                      std::int64_t& affected) noexcept override;

private:
    Database& db_;
};

}  // namespace tidings::storage_pg
