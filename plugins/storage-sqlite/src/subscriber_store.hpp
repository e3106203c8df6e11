// SQLite implementation of sdk::SubscriberStore. Reads and single-subscriber writes live in
// subscriber_store.cpp, subscribe() in subscriber_subscribe.cpp, bulk writes by filter in
// subscriber_bulk.cpp. Reads run on reader leases, writes in a transaction on the writer lease.
#pragma once

#include <optional>

#include <tidings/sdk/v1/storage.hpp>

#include "database.hpp"

namespace tidings::storage_sqlite {

class SubscriberStoreImpl final : public sdk::SubscriberStore {
public:
    explicit SubscriberStoreImpl(Database& db) : db_(db) {}

    sdk::Status query(const sdk::SubscriberQuery& q, sdk::SubscriberPage& out) noexcept override;
    sdk::Status stream(const sdk::SubscriberQuery& q, std::size_t batch_size,
                       const sdk::BatchSink<sdk::Subscriber>& sink) noexcept override;
    sdk::Status get(sdk::Id id, sdk::Subscriber& out) noexcept override;
    sdk::Status getByUuid(std::string_view uuid, sdk::Subscriber& out) noexcept override;
    sdk::Status getByEmail(std::string_view email, sdk::Subscriber& out) noexcept override;
    sdk::Status create(const sdk::SubscriberDraft& draft, const std::vector<sdk::Id>& list_ids,
                       sdk::SubscriptionStatus status, sdk::Subscriber& out) noexcept override;
    sdk::Status update(sdk::Id id, const sdk::SubscriberDraft& draft,
                       const std::optional<std::vector<sdk::Id>>& list_ids,
                       sdk::SubscriptionStatus status, sdk::Subscriber& out) noexcept override;
    sdk::Status subscribe(const sdk::SubscriberDraft& draft, const std::vector<sdk::ListMembership>& lists,
                          bool overwrite, sdk::Subscriber& out, bool& created) noexcept override;
    sdk::Status remove(const sdk::SubscriberFilter& filter, std::int64_t& affected) noexcept override;
    sdk::Status blocklist(const sdk::SubscriberFilter& filter, std::int64_t& affected) noexcept override;
    sdk::Status changeSubscriptions(const sdk::SubscriberFilter& filter,
                                    const sdk::SubscriptionChange& change,
                                    std::int64_t& affected) noexcept override;

private:
    /// For bulk writes: the filter to apply on the writer, with an expression replaced by the ids
    /// it matched on a reader. Empty optional: the expression matched nobody.
    std::optional<sdk::SubscriberFilter> writableFilter(const sdk::SubscriberFilter& f);

    Database& db_;
};

}  // namespace tidings::storage_sqlite
