#include "rows.hpp"

#include <unordered_map>

#include "errors.hpp"
#include "json_array.hpp"
#include "values.hpp"

namespace tidings::storage_sqlite {

const std::string& subscriberColumns() {
    static const std::string cols =
        "subscribers.id, subscribers.uuid, subscribers.email, subscribers.name, subscribers.attribs,"
        " subscribers.status, subscribers.created_at, subscribers.updated_at";
    return cols;
}

sdk::Subscriber readSubscriber(const Statement& st, int c) {
    sdk::Subscriber s;
    s.id = st.int64(c + 0);
    s.uuid = st.text(c + 1);
    s.email = st.text(c + 2);
    s.name = st.text(c + 3);
    s.attribs_json = st.text(c + 4);
    s.status = enumFrom<sdk::SubscriberStatus>(st.text(c + 5));
    s.created_at = parseTimestamp(st.text(c + 6));
    s.updated_at = parseTimestamp(st.text(c + 7));
    return s;
}

const std::string& listColumns() {
    static const std::string cols =
        "lists.id, lists.uuid, lists.name, lists.type, lists.optin, lists.status, lists.tags,"
        " lists.description, lists.created_at, lists.updated_at";
    return cols;
}

sdk::List readList(const Statement& st, int c) {
    sdk::List l;
    l.id = st.int64(c + 0);
    l.uuid = st.text(c + 1);
    l.name = st.text(c + 2);
    l.type = enumFrom<sdk::ListType>(st.text(c + 3));
    l.optin = enumFrom<sdk::ListOptin>(st.text(c + 4));
    l.status = enumFrom<sdk::ListStatus>(st.text(c + 5));
    l.tags = fromJsonArray(st.text(c + 6));
    l.description = st.text(c + 7);
    l.created_at = parseTimestamp(st.text(c + 8));
    l.updated_at = parseTimestamp(st.text(c + 9));
    return l;
}

void loadMemberships(Connection& c, std::vector<sdk::Subscriber>& subscribers) {
    if (subscribers.empty()) return;
    std::vector<sdk::Id> ids;
    std::unordered_map<sdk::Id, sdk::Subscriber*> by_id;
    ids.reserve(subscribers.size());
    for (auto& s : subscribers) {
        ids.push_back(s.id);
        by_id[s.id] = &s;
        s.lists.clear();
    }
    static const std::string sql =
        "SELECT sl.subscriber_id, sl.status, sl.meta, sl.created_at, sl.updated_at, " + listColumns() +
        " FROM subscriber_lists sl JOIN lists ON lists.id = sl.list_id"
        " WHERE sl.subscriber_id IN (SELECT value FROM json_each(?1)) ORDER BY sl.subscriber_id, lists.id";
    auto st = c.prepare(sql);
    st.bindAll(idsJson(ids));
    while (st.step()) {
        sdk::Subscription sub;
        sub.status = enumFrom<sdk::SubscriptionStatus>(st.text(1));
        sub.meta_json = st.text(2);
        sub.created_at = parseTimestamp(st.text(3));
        sub.updated_at = parseTimestamp(st.text(4));
        sub.list = readList(st, 5);
        by_id.at(st.int64(0))->lists.push_back(std::move(sub));
    }
}

}  // namespace tidings::storage_sqlite
