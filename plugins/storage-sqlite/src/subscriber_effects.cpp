#include "subscriber_effects.hpp"

#include "values.hpp"

namespace tidings::storage_sqlite {

std::optional<sdk::Id> subscriberIdByEmail(Connection& c, std::string_view email) {
    // The column's NOCASE collation makes this case-insensitive and uses its unique index.
    auto st = c.prepare("SELECT id FROM subscribers WHERE email = ?");
    st.bindAll(email);
    if (!st.step()) return std::nullopt;
    return st.int64(0);
}

std::optional<sdk::Id> subscriberIdByUuid(Connection& c, std::string_view uuid) {
    const auto key = uuidParam(uuid);
    if (!key) return std::nullopt;
    auto st = c.prepare("SELECT id FROM subscribers WHERE uuid = ?");
    st.bindAll(*key);
    if (!st.step()) return std::nullopt;
    return st.int64(0);
}

void unsubscribeAll(Connection& c, sdk::Id subscriber_id, const std::string& now) {
    c.prepare("UPDATE subscriber_lists SET status = 'unsubscribed', updated_at = ?"
              " WHERE subscriber_id = ? AND status <> 'unsubscribed'")
        .bindAll(now, subscriber_id)
        .run();
}

void blocklistSubscriber(Connection& c, sdk::Id subscriber_id, const std::string& now) {
    c.prepare("UPDATE subscribers SET status = 'blocklisted', updated_at = ? WHERE id = ? AND status <> 'blocklisted'")
        .bindAll(now, subscriber_id)
        .run();
    unsubscribeAll(c, subscriber_id, now);
}

void deleteSubscriber(Connection& c, sdk::Id subscriber_id) {
    c.prepare("DELETE FROM subscribers WHERE id = ?").bindAll(subscriber_id).run();
}

}  // namespace tidings::storage_sqlite
