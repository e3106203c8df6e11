// SQLite implementation of sdk::TrackingStore.
#pragma once

#include <tidings/sdk/v1/storage.hpp>

#include "database.hpp"

namespace tidings::storage_sqlite {

class TrackingStoreImpl final : public sdk::TrackingStore {
public:
    explicit TrackingStoreImpl(Database& db) : db_(db) {}

    sdk::Status registerLink(std::string_view url, std::string& uuid) noexcept override;
    sdk::Status recordClick(std::string_view link_uuid, std::string_view campaign_uuid,
                            std::string_view subscriber_uuid, std::string& url) noexcept override;
    sdk::Status recordView(std::string_view campaign_uuid, std::string_view subscriber_uuid,
                           bool& recorded) noexcept override;
    sdk::Status analytics(sdk::AnalyticsKind kind, const sdk::AnalyticsQuery& q,
                          std::vector<sdk::AnalyticsPoint>& out) noexcept override;
    sdk::Status topLinks(const sdk::AnalyticsQuery& q, std::size_t limit,
                         std::vector<sdk::LinkCount>& out) noexcept override;
    sdk::Status subscriberActivity(sdk::Id subscriber_id, std::vector<sdk::CampaignViewCount>& views,
                                   std::vector<sdk::LinkClickCount>& clicks) noexcept override;

private:
    Database& db_;
};

}  // namespace tidings::storage_sqlite
