// SQLite implementation of sdk::BounceStore.
#pragma once

#include <tidings/sdk/v1/storage.hpp>

#include "database.hpp"

namespace tidings::storage_sqlite {

class BounceStoreImpl final : public sdk::BounceStore {
public:
    explicit BounceStoreImpl(Database& db) : db_(db) {}

    sdk::Status record(const sdk::BounceEvent& event, const sdk::BounceRule& rule,
                       sdk::BounceOutcome& out) noexcept override;
    sdk::Status query(const sdk::BounceQuery& q, sdk::BouncePage& out) noexcept override;
    sdk::Status get(sdk::Id id, sdk::Bounce& out) noexcept override;
    sdk::Status remove(const std::vector<sdk::Id>& ids, std::int64_t& affected) noexcept override;
    sdk::Status removeAll(std::optional<sdk::Id> subscriber_id, std::int64_t& affected) noexcept override;
    sdk::Status blocklistBounced(std::int64_t& affected) noexcept override;

private:
    Database& db_;
};

}  // namespace tidings::storage_sqlite
