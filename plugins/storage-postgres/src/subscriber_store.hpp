// PostgreSQL implementation of sdk::SubscriberStore. Reads live in subscriber_store.cpp,
// single-subscriber writes too; bulk writes by filter live in subscriber_bulk.cpp.
#pragma once

#include <tidings/sdk/v1/storage.hpp>

#include "database.hpp"

namespace tidings::storage_pg {

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
    /// Loads one subscriber by a prepared single-row lookup; NotFound when absent.
    sdk::Status loadOne(Lease& lease, const char* name, const std::string& where,
                        std::string_view value, sdk::Subscriber& out);
    /// The total for a filter without an expression: maintained counters when the filter
    /// allows, otherwise a live count.
    std::int64_t total(Lease& lease, const sdk::SubscriberFilter& filter);
    /// For bulk writes: the filter to apply, with an expression replaced by the ids it matched
    /// (resolved under the guard). Empty optional: the expression matched nobody.
    std::optional<sdk::SubscriberFilter> writableFilter(Lease& lease, const sdk::SubscriberFilter& f);

    Database& db_;
};

}  // namespace tidings::storage_pg
