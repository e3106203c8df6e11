// SQLite implementation of sdk::CampaignStore.
#pragma once

#include <tidings/sdk/v1/storage.hpp>

#include "database.hpp"

namespace tidings::storage_sqlite {

class CampaignStoreImpl final : public sdk::CampaignStore {
public:
    explicit CampaignStoreImpl(Database& db) : db_(db) {}

    sdk::Status query(const sdk::CampaignQuery& q, sdk::CampaignPage& out) noexcept override;
    sdk::Status get(sdk::Id id, sdk::Campaign& out) noexcept override;
    sdk::Status getByUuid(std::string_view uuid, sdk::Campaign& out) noexcept override;
    sdk::Status create(const sdk::CampaignDraft& draft, sdk::Campaign& out) noexcept override;
    sdk::Status update(sdk::Id id, const sdk::CampaignDraft& draft, sdk::Campaign& out) noexcept override;
    sdk::Status remove(sdk::Id id) noexcept override;
    sdk::Status transition(sdk::Id id, const std::vector<sdk::CampaignStatus>& from, sdk::CampaignStatus to,
                           sdk::Campaign& out) noexcept override;
    sdk::Status startDue(sdk::Timestamp now, std::vector<sdk::Id>& started) noexcept override;
    sdk::Status statuses(const std::vector<sdk::Id>& ids,
                         std::vector<std::pair<sdk::Id, sdk::CampaignStatus>>& out) noexcept override;

private:
    Database& db_;
};

}  // namespace tidings::storage_sqlite
