#include "campaign_store.hpp"

namespace tidings::storage_sqlite {

sdk::Status CampaignStoreImpl::query(const sdk::CampaignQuery& q, sdk::CampaignPage& out) noexcept {
    return sdk::Status::internal("storage-sqlite: not implemented yet");
}

sdk::Status CampaignStoreImpl::get(sdk::Id id, sdk::Campaign& out) noexcept {
    return sdk::Status::internal("storage-sqlite: not implemented yet");
}

sdk::Status CampaignStoreImpl::getByUuid(std::string_view uuid, sdk::Campaign& out) noexcept {
    return sdk::Status::internal("storage-sqlite: not implemented yet");
}

sdk::Status CampaignStoreImpl::create(const sdk::CampaignDraft& draft, sdk::Campaign& out) noexcept {
    return sdk::Status::internal("storage-sqlite: not implemented yet");
}

sdk::Status CampaignStoreImpl::update(sdk::Id id, const sdk::CampaignDraft& draft, sdk::Campaign& out) noexcept {
    return sdk::Status::internal("storage-sqlite: not implemented yet");
}

sdk::Status CampaignStoreImpl::remove(sdk::Id id) noexcept {
    return sdk::Status::internal("storage-sqlite: not implemented yet");
}

sdk::Status CampaignStoreImpl::transition(sdk::Id id, const std::vector<sdk::CampaignStatus>& from, sdk::CampaignStatus to,
                           sdk::Campaign& out) noexcept {
    return sdk::Status::internal("storage-sqlite: not implemented yet");
}

sdk::Status CampaignStoreImpl::startDue(sdk::Timestamp now, std::vector<sdk::Id>& started) noexcept {
    return sdk::Status::internal("storage-sqlite: not implemented yet");
}

sdk::Status CampaignStoreImpl::statuses(const std::vector<sdk::Id>& ids,
                         std::vector<std::pair<sdk::Id, sdk::CampaignStatus>>& out) noexcept {
    return sdk::Status::internal("storage-sqlite: not implemented yet");
}

}  // namespace tidings::storage_sqlite
