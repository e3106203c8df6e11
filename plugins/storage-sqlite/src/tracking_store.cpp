#include "tracking_store.hpp"

namespace tidings::storage_sqlite {

sdk::Status TrackingStoreImpl::registerLink(std::string_view url, std::string& uuid) noexcept {
    return sdk::Status::internal("storage-sqlite: not implemented yet");
}

sdk::Status TrackingStoreImpl::recordClick(std::string_view link_uuid, std::string_view campaign_uuid,
                            std::string_view subscriber_uuid, std::string& url) noexcept {
    return sdk::Status::internal("storage-sqlite: not implemented yet");
}

sdk::Status TrackingStoreImpl::recordView(std::string_view campaign_uuid, std::string_view subscriber_uuid,
                           bool& recorded) noexcept {
    return sdk::Status::internal("storage-sqlite: not implemented yet");
}

sdk::Status TrackingStoreImpl::analytics(sdk::AnalyticsKind kind, const sdk::AnalyticsQuery& q,
                          std::vector<sdk::AnalyticsPoint>& out) noexcept {
    return sdk::Status::internal("storage-sqlite: not implemented yet");
}

sdk::Status TrackingStoreImpl::topLinks(const sdk::AnalyticsQuery& q, std::size_t limit,
                         std::vector<sdk::LinkCount>& out) noexcept {
    return sdk::Status::internal("storage-sqlite: not implemented yet");
}

sdk::Status TrackingStoreImpl::subscriberActivity(sdk::Id subscriber_id, std::vector<sdk::CampaignViewCount>& views,
                                   std::vector<sdk::LinkClickCount>& clicks) noexcept {
    return sdk::Status::internal("storage-sqlite: not implemented yet");
}

}  // namespace tidings::storage_sqlite
