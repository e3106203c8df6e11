#include "subscriber_memberships.hpp"

#include <algorithm>

#include "errors.hpp"
#include "json_array.hpp"
#include "rows.hpp"

namespace tidings::storage_sqlite {

std::vector<sdk::Id> uniqueIds(const std::vector<sdk::Id>& ids) {
    std::vector<sdk::Id> out(ids);
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

void requireLists(Connection& c, const std::vector<sdk::Id>& unique_ids) {
    if (unique_ids.empty()) return;
    auto st = c.prepare("SELECT COUNT(*) FROM lists WHERE id IN (SELECT value FROM json_each(?1))");
    st.bindAll(idsJson(unique_ids));
    if (!st.step() || st.int64(0) != static_cast<std::int64_t>(unique_ids.size()))
        throw StatusError(sdk::Status::invalid("lists: unknown list id"));
}

std::optional<sdk::Subscriber> loadSubscriber(Connection& c, sdk::Id id) {
    std::vector<sdk::Subscriber> one;
    {
        static const std::string sql = "SELECT " + subscriberColumns() + " FROM subscribers WHERE subscribers.id = ?1";
        auto st = c.prepare(sql);
        st.bindAll(id);
        if (!st.step()) return std::nullopt;
        one.push_back(readSubscriber(st));
    }
    loadMemberships(c, one);
    return std::move(one.front());
}

sdk::Subscriber requireSubscriber(Connection& c, sdk::Id id) {
    auto s = loadSubscriber(c, id);
    if (!s) throw StatusError(sdk::Status::notFound("subscriber: not found"));
    return std::move(*s);
}

}  // namespace tidings::storage_sqlite
