// SubscriberStore::subscribe: the public-form / opt-in / import path, creating or renewing a
// subscriber and its memberships in one transaction. SQLite has a single writer, so looking the
// address up and then inserting cannot race with another subscribe.

#include <set>

#include "errors.hpp"
#include "rows.hpp"
#include "subscriber_memberships.hpp"
#include "subscriber_store.hpp"
#include "transaction.hpp"
#include "values.hpp"

namespace tidings::storage_sqlite {
namespace {

// [[list_id, "status"], ...] for json_each; the first mention of a list wins.
std::string membershipsJson(const std::vector<sdk::ListMembership>& lists, std::vector<sdk::Id>& ids) {
    std::set<sdk::Id> seen;
    std::string out = "[";
    for (const auto& m : lists) {
        if (!seen.insert(m.list_id).second) continue;
        if (out.size() > 1) out += ',';
        out += "[" + std::to_string(m.list_id) + ",\"" + std::string(sdk::toString(m.status)) + "\"]";
    }
    ids.assign(seen.begin(), seen.end());
    return out + "]";
}

std::optional<std::string> optStatus(const std::optional<sdk::SubscriberStatus>& s) {
    if (!s) return std::nullopt;
    return std::string(sdk::toString(*s));
}

}  // namespace

sdk::Status SubscriberStoreImpl::subscribe(const sdk::SubscriberDraft& draft,
                                           const std::vector<sdk::ListMembership>& lists, bool overwrite,
                                           sdk::Subscriber& out, bool& created) noexcept {
    return guarded([&] {
        if (!draft.email || draft.email->empty()) return sdk::Status::invalid("email: required");
        std::vector<sdk::Id> list_ids;
        const std::string memberships = membershipsJson(lists, list_ids);
        const std::string now = nowText();

        auto lease = db_.writer();
        Transaction tx(*lease);
        requireLists(*lease, list_ids);
        std::optional<sdk::Id> id;
        bool is_new = false;
        {
            auto st = lease->prepare("SELECT id, status FROM subscribers WHERE email = ?1");
            st.bindAll(*draft.email);
            if (st.step()) {
                if (st.text(1) == "blocklisted") return sdk::Status::forbidden("email: this address is blocklisted");
                id = st.int64(0);
            }
        }
        if (!id) {
            lease->prepare("INSERT INTO subscribers (uuid, email, name, attribs, status, created_at, updated_at)"
                           " VALUES (?1, ?2, ?3, COALESCE(?4, '{}'), COALESCE(?5, 'enabled'), ?6, ?6)")
                .bindAll(newUuid(), *draft.email, draft.name.value_or(""), draft.attribs_json, optStatus(draft.status),
                         now)
                .run();
            id = lease->lastInsertId();
            is_new = true;
        } else if (overwrite) {
            lease->prepare("UPDATE subscribers SET name = COALESCE(?2, name), attribs = COALESCE(?3, attribs),"
                           " status = COALESCE(?4, status), updated_at = ?5 WHERE id = ?1")
                .bindAll(*id, draft.name, draft.attribs_json, optStatus(draft.status), now)
                .run();
        }
        if (!list_ids.empty()) {
            // Missing memberships are inserted; only unsubscribed ones are renewed.
            lease->prepare(
                     "INSERT INTO subscriber_lists (subscriber_id, list_id, status, created_at, updated_at)"
                     " SELECT s.id, m.value ->> 0,"
                     " CASE WHEN s.status = 'blocklisted' THEN 'unsubscribed' ELSE m.value ->> 1 END, ?3, ?3"
                     " FROM json_each(?2) m, subscribers s WHERE s.id = ?1"
                     " ON CONFLICT (subscriber_id, list_id) DO UPDATE SET status = excluded.status,"
                     " updated_at = excluded.updated_at WHERE subscriber_lists.status = 'unsubscribed'")
                .bindAll(*id, memberships, now)
                .run();
        }
        auto stored = requireSubscriber(*lease, *id);
        tx.commit();
        out = std::move(stored);
        created = is_new;
        return sdk::Status{};
    });
}

}  // namespace tidings::storage_sqlite
