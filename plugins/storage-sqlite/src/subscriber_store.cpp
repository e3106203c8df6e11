#include "subscriber_store.hpp"

namespace tidings::storage_sqlite {

sdk::Status SubscriberStoreImpl::query(const sdk::SubscriberQuery& q, sdk::SubscriberPage& out) noexcept {
    return sdk::Status::internal("storage-sqlite: not implemented yet");
}

sdk::Status SubscriberStoreImpl::stream(const sdk::SubscriberQuery& q, std::size_t batch_size,
                       const sdk::BatchSink<sdk::Subscriber>& sink) noexcept {
    return sdk::Status::internal("storage-sqlite: not implemented yet");
}

sdk::Status SubscriberStoreImpl::get(sdk::Id id, sdk::Subscriber& out) noexcept {
    return sdk::Status::internal("storage-sqlite: not implemented yet");
}

sdk::Status SubscriberStoreImpl::getByUuid(std::string_view uuid, sdk::Subscriber& out) noexcept {
    return sdk::Status::internal("storage-sqlite: not implemented yet");
}

sdk::Status SubscriberStoreImpl::getByEmail(std::string_view email, sdk::Subscriber& out) noexcept {
    return sdk::Status::internal("storage-sqlite: not implemented yet");
}

sdk::Status SubscriberStoreImpl::create(const sdk::SubscriberDraft& draft, const std::vector<sdk::Id>& list_ids,
                       sdk::SubscriptionStatus status, sdk::Subscriber& out) noexcept {
    return sdk::Status::internal("storage-sqlite: not implemented yet");
}

sdk::Status SubscriberStoreImpl::update(sdk::Id id, const sdk::SubscriberDraft& draft,
                       const std::optional<std::vector<sdk::Id>>& list_ids,
                       sdk::SubscriptionStatus status, sdk::Subscriber& out) noexcept {
    return sdk::Status::internal("storage-sqlite: not implemented yet");
}

sdk::Status SubscriberStoreImpl::subscribe(const sdk::SubscriberDraft& draft, const std::vector<sdk::ListMembership>& lists,
                          bool overwrite, sdk::Subscriber& out, bool& created) noexcept {
    return sdk::Status::internal("storage-sqlite: not implemented yet");
}

sdk::Status SubscriberStoreImpl::remove(const sdk::SubscriberFilter& filter, std::int64_t& affected) noexcept {
    return sdk::Status::internal("storage-sqlite: not implemented yet");
}

sdk::Status SubscriberStoreImpl::blocklist(const sdk::SubscriberFilter& filter, std::int64_t& affected) noexcept {
    return sdk::Status::internal("storage-sqlite: not implemented yet");
}

sdk::Status SubscriberStoreImpl::changeSubscriptions(const sdk::SubscriberFilter& filter,
                                    const sdk::SubscriptionChange& change,
                                    std::int64_t& affected) noexcept {
    return sdk::Status::internal("storage-sqlite: not implemented yet");
}

}  // namespace tidings::storage_sqlite
