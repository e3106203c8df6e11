#include "counts.hpp"

#include "pg_result.hpp"

namespace tidings::storage_pg {

const char* listCountsCte() noexcept {
    return "SELECT list_id,"
           " SUM(n) FILTER (WHERE status = 'unconfirmed') AS unconfirmed,"
           " SUM(n) FILTER (WHERE status = 'confirmed') AS confirmed,"
           " SUM(n) FILTER (WHERE status = 'unsubscribed') AS unsubscribed"
           " FROM (SELECT list_id, status, count AS n FROM subscription_counts WHERE list_id > 0"
           "       UNION ALL"
           "       SELECT list_id, status, delta FROM count_deltas WHERE list_id > 0) x"
           " GROUP BY list_id";
}

std::unordered_map<sdk::Id, sdk::SubscriptionCounts> listCounts(Lease& lease,
                                                                const std::vector<sdk::Id>& ids) {
    std::unordered_map<sdk::Id, sdk::SubscriptionCounts> out;
    if (ids.empty()) return out;
    Params p;
    p.add(bigintArray(ids));
    Result r = lease.execPrepared(
        "counts_by_list",
        "SELECT list_id, status, SUM(n)::int8 FROM ("
        " SELECT list_id, status, count AS n FROM subscription_counts WHERE list_id = ANY($1::int8[])"
        " UNION ALL"
        " SELECT list_id, status, delta FROM count_deltas WHERE list_id = ANY($1::int8[])) x"
        " GROUP BY list_id, status",
        p);
    for (int i = 0; i < r.rows(); ++i) {
        auto& c = out[r.int64(i, 0)];
        const auto status = sdk::parseEnum<sdk::SubscriptionStatus>(r.text(i, 1));
        const std::int64_t n = r.int64(i, 2);
        if (status == sdk::SubscriptionStatus::Unconfirmed) c.unconfirmed = n;
        if (status == sdk::SubscriptionStatus::Confirmed) c.confirmed = n;
        if (status == sdk::SubscriptionStatus::Unsubscribed) c.unsubscribed = n;
    }
    return out;
}

std::int64_t subscriberTotal(Lease& lease) {
    Result r = lease.execPrepared(
        "subscriber_total",
        "SELECT COALESCE(SUM(n), 0)::int8 FROM ("
        " SELECT count AS n FROM subscription_counts WHERE list_id = 0"
        " UNION ALL SELECT delta FROM count_deltas WHERE list_id = 0) x");
    return r.int64(0, 0);
}

std::int64_t membershipTotal(Lease& lease, sdk::Id list_id,
                             const std::optional<sdk::SubscriptionStatus>& status) {
    const auto counts = listCounts(lease, {list_id});
    const auto it = counts.find(list_id);
    if (it == counts.end()) return 0;
    const auto& c = it->second;
    if (!status) return c.unconfirmed + c.confirmed + c.unsubscribed;
    switch (*status) {
    case sdk::SubscriptionStatus::Unconfirmed: return c.unconfirmed;
    case sdk::SubscriptionStatus::Confirmed: return c.confirmed;
    case sdk::SubscriptionStatus::Unsubscribed: return c.unsubscribed;
    }
    return 0;
}

std::int64_t compactCounts(Lease& lease) {
    return lease.execPrepared("compact_counts", "SELECT tidings_compact_counts()").int64(0, 0);
}

}  // namespace tidings::storage_pg
