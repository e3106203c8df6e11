// CampaignStoreImpl: campaigns, their lists and their status in PostgreSQL.
#pragma once

#include <tidings/sdk/v1/campaign.hpp>

#include "database.hpp"

namespace tidings::storage_pg {

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
    /// Writes a draft's fields and lists: inserts when `id` is 0, else updates. Returns the id.
    sdk::Id write(Lease& lease, sdk::Id id, const sdk::CampaignDraft& draft);

    Database& db_;
};

/// Reads one campaign with its lists on `lease`; false when absent. Shared with the delivery store.
bool fetchCampaign(Lease& lease, sdk::Id id, sdk::Campaign& out);

}  // namespace tidings::storage_pg
