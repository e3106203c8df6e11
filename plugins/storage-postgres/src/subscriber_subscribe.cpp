// SubscriberStore::subscribe: the public-form / opt-in / import path, creating or renewing a
// subscriber and its memberships in one transaction.

#include <set>

#include "errors.hpp"
#include "subscriber_store.hpp"
#include "transaction.hpp"

namespace tidings::storage_pg {

sdk::Status SubscriberStoreImpl::subscribe(const sdk::SubscriberDraft& draft,
                                           const std::vector<sdk::ListMembership>& lists,
                                           bool overwrite, sdk::Subscriber& out, bool& created) noexcept {
    return guarded([&] {
        if (!draft.email || draft.email->empty()) return sdk::Status::invalid("email: required");
        auto lease = db_.lease();

        // The common case, a new address, is one autocommitted statement: insert the subscriber
        // and its memberships together (atomic as a single statement). Only when the address
        // exists does the general path below run, in a transaction with the row locked.
        std::set<sdk::Id> seen;
        std::vector<sdk::Id> list_ids;
        std::vector<std::string> statuses;
        for (const auto& m : lists) {
            if (!seen.insert(m.list_id).second) continue;  // first mention wins
            list_ids.push_back(m.list_id);
            statuses.emplace_back(sdk::toString(m.status));
        }
        const bool blocklisted_draft = draft.status == sdk::SubscriberStatus::Blocklisted;
        if (!blocklisted_draft) {
            Params p;
            p.add(*draft.email);
            p.add(draft.name.value_or(""));
            p.add(draft.attribs_json);
            p.add(draft.status ? std::optional<std::string>(std::string(sdk::toString(*draft.status))) : std::nullopt);
            p.add(bigintArray(list_ids));
            p.add(textArrayLiteral(statuses));
            Result fresh = lease->execPrepared(
                "subscribe_new",
                "WITH ins AS ("
                " INSERT INTO subscribers (email, name, attribs, status)"
                " VALUES ($1, $2, COALESCE($3::jsonb, '{}'), COALESCE($4, 'enabled'))"
                " ON CONFLICT DO NOTHING RETURNING id),"
                " mem AS (INSERT INTO subscriber_lists (subscriber_id, list_id, status)"
                " SELECT ins.id, t.l, t.st FROM ins, unnest($5::int8[], $6::text[]) AS t(l, st) RETURNING 1)"
                " SELECT id, (SELECT count(*) FROM mem) FROM ins",
                p);
            if (fresh.rows() == 1) {
                created = true;
                return loadOne(*lease, "subscriber_by_id", "subscribers.id = $1::int8",
                               std::to_string(fresh.int64(0, 0)), out);
            }
        }

        Transaction tx(*lease);
        Params ep;
        ep.add(*draft.email);
        // Locks the existing row, so a concurrent blocklist or delete cannot interleave.
        const char* find_sql =
            "SELECT id, status FROM subscribers WHERE LOWER(email) = LOWER($1) FOR UPDATE";
        Result found = lease->execPrepared("subscribe_find", find_sql, ep);
        bool is_new = false;
        if (found.rows() == 0) {
            Params p;
            p.add(*draft.email);
            p.add(draft.name.value_or(""));
            p.add(draft.attribs_json);
            p.add(draft.status ? std::optional<std::string>(std::string(sdk::toString(*draft.status)))
                               : std::nullopt);
            // DO NOTHING (no conflict target) covers both the e-mail key and the LOWER() index:
            // when a concurrent subscribe wins the race we fall through to its row.
            Result ins = lease->execPrepared(
                "subscribe_insert",
                "INSERT INTO subscribers (email, name, attribs, status)"
                " VALUES ($1, $2, COALESCE($3::jsonb, '{}'), COALESCE($4, 'enabled'))"
                " ON CONFLICT DO NOTHING RETURNING id, status",
                p);
            if (ins.rows() == 1) {
                found = std::move(ins);
                is_new = true;
            } else {
                found = lease->execPrepared("subscribe_find", find_sql, ep);
                if (found.rows() == 0) return sdk::Status::unavailable("database: concurrent update, retry");
            }
        }
        const sdk::Id id = found.int64(0, 0);
        if (!is_new && found.text(0, 1) == "blocklisted")
            return sdk::Status::forbidden("email: this address is blocklisted");
        if (!is_new && overwrite) {
            Params p;
            p.add(id);
            p.add(draft.name);
            p.add(draft.attribs_json);
            p.add(draft.status ? std::optional<std::string>(std::string(sdk::toString(*draft.status)))
                               : std::nullopt);
            lease->execPrepared("subscribe_overwrite",
                                "UPDATE subscribers SET name = COALESCE($2, name),"
                                " attribs = COALESCE($3::jsonb, attribs), status = COALESCE($4, status),"
                                " updated_at = NOW() WHERE id = $1::int8",
                                p);
        }
        if (!list_ids.empty()) {
            Params p;
            p.add(id);
            p.add(bigintArray(list_ids));
            p.add(textArrayLiteral(statuses));
            // Missing memberships are inserted; only unsubscribed ones are renewed.
            lease->execPrepared(
                "subscribe_lists",
                "INSERT INTO subscriber_lists AS sl (subscriber_id, list_id, status)"
                " SELECT $1::int8, t.l, CASE WHEN s.status = 'blocklisted' THEN 'unsubscribed' ELSE t.st END"
                " FROM unnest($2::int8[], $3::text[]) AS t(l, st), subscribers s WHERE s.id = $1::int8"
                " ON CONFLICT (subscriber_id, list_id) DO UPDATE SET status = EXCLUDED.status,"
                " updated_at = NOW() WHERE sl.status = 'unsubscribed'",
                p);
        }
        tx.commit();
        created = is_new;
        return loadOne(*lease, "subscriber_by_id", "subscribers.id = $1::int8", std::to_string(id), out);
    });
}

}  // namespace tidings::storage_pg
