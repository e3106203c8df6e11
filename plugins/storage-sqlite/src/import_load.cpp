#include "import_load.hpp"

#include <algorithm>
#include <string>
#include <string_view>
#include <unordered_map>

#include "errors.hpp"
#include "random_uuids.hpp"
#include "json_array.hpp"
#include "values.hpp"

namespace tidings::storage_sqlite {
namespace {

/// The rows to write: the last row of each e-mail, in order of first appearance. A set-based
/// statement must not meet one e-mail twice, and "last row wins" is what a user who fixed a row
/// further down the file expects.
std::vector<const sdk::ImportRecord*> lastPerEmail(const std::vector<sdk::ImportRecord>& rows) {
    std::unordered_map<std::string_view, std::size_t> slot;
    slot.reserve(rows.size());
    std::vector<const sdk::ImportRecord*> out;
    out.reserve(rows.size());
    for (const auto& row : rows) {
        auto [it, inserted] = slot.try_emplace(row.email, out.size());
        if (inserted)
            out.push_back(&row);
        else
            out[it->second] = &row;
    }
    return out;
}

std::vector<sdk::Id> distinctIds(std::vector<sdk::Id> ids) {
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    return ids;
}

void checkListsExist(Connection& c, const std::vector<sdk::Id>& ids) {
    auto st = c.prepare("SELECT COUNT(*) FROM lists WHERE id IN (SELECT value FROM json_each(?))");
    st.bindAll(idsJson(ids));
    st.step();
    if (st.int64(0) != static_cast<std::int64_t>(ids.size()))
        throw StatusError(sdk::Status::invalid("lists: unknown list id"));
}

/// Fills temp.import_rows with the batch (emptied first: the table lives as long as the
/// connection's temporary storage). Each row carries the UUID it gets if it is new.
void stage(Connection& c, const std::vector<const sdk::ImportRecord*>& rows) {
    c.exec("CREATE TEMP TABLE IF NOT EXISTS import_rows"
           " (email TEXT NOT NULL, name TEXT NOT NULL, attribs TEXT NOT NULL, uuid TEXT NOT NULL)");
    c.prepare("DELETE FROM temp.import_rows").run();
    UuidSource uuids;
    for (const auto* row : rows) {
        const std::string_view attribs = row->attribs_json.empty() ? "{}" : std::string_view(row->attribs_json);
        c.prepare("INSERT INTO temp.import_rows (email, name, attribs, uuid) VALUES (?, ?, ?, ?)")
            .bindAll(row->email, row->name, attribs, uuids.next())
            .run();
    }
}

// `subscribers.email = r.email` compares with the column's NOCASE collation (the left operand's),
// so each staged row finds its subscriber through the e-mail's unique index.
constexpr const char* kStagedSubscribers =
    "SELECT s.id, CASE WHEN s.status = 'blocklisted' THEN 'unsubscribed' ELSE ?2 END AS status"
    " FROM temp.import_rows r JOIN subscribers s ON s.email = r.email";

void subscribe(Connection& c, const sdk::BulkLoadOptions& options, const std::vector<sdk::Id>& list_ids,
               const std::string& now) {
    // A subscribe import never changes a subscriber's status; with overwrite, only the profile,
    // and only where it differs.
    if (options.overwrite_userinfo)
        c.prepare("UPDATE subscribers SET name = r.name, attribs = r.attribs, updated_at = ?1"
                  " FROM temp.import_rows r WHERE subscribers.email = r.email"
                  " AND (subscribers.name IS NOT r.name OR subscribers.attribs IS NOT r.attribs)")
            .bindAll(now)
            .run();
    c.prepare("INSERT INTO subscribers (uuid, email, name, attribs, status, created_at, updated_at)"
              " SELECT uuid, email, name, attribs, 'enabled', ?1, ?1 FROM temp.import_rows WHERE 1"
              " ON CONFLICT (email) DO NOTHING")
        .bindAll(now)
        .run();
    if (list_ids.empty()) return;

    // New memberships take the import's status, a blocklisted subscriber's are unsubscribed;
    // existing ones change only when asked to.
    c.prepare(std::string("INSERT INTO subscriber_lists (subscriber_id, list_id, status, created_at, updated_at)"
                          " SELECT x.id, l.value, x.status, ?1, ?1 FROM (") +
              kStagedSubscribers + ") x JOIN json_each(?3) l WHERE 1 ON CONFLICT (subscriber_id, list_id) " +
              (options.overwrite_subscription_status
                   ? "DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at"
                     " WHERE subscriber_lists.status <> excluded.status"
                   : "DO NOTHING"))
        .bindAll(now, sdk::toString(options.subscription_status), idsJson(list_ids))
        .run();
}

void blocklist(Connection& c, const sdk::BulkLoadOptions& options, const std::string& now) {
    c.prepare(options.overwrite_userinfo
                  ? "UPDATE subscribers SET status = 'blocklisted', name = r.name, attribs = r.attribs, updated_at = ?1"
                    " FROM temp.import_rows r WHERE subscribers.email = r.email"
                  : "UPDATE subscribers SET status = 'blocklisted', updated_at = ?1"
                    " FROM temp.import_rows r WHERE subscribers.email = r.email AND subscribers.status <> 'blocklisted'")
        .bindAll(now)
        .run();
    c.prepare("INSERT INTO subscribers (uuid, email, name, attribs, status, created_at, updated_at)"
              " SELECT uuid, email, name, attribs, 'blocklisted', ?1, ?1 FROM temp.import_rows WHERE 1"
              " ON CONFLICT (email) DO NOTHING")
        .bindAll(now)
        .run();
    c.prepare("UPDATE subscriber_lists SET status = 'unsubscribed', updated_at = ?1 WHERE status <> 'unsubscribed'"
              " AND subscriber_id IN (SELECT s.id FROM temp.import_rows r JOIN subscribers s ON s.email = r.email)")
        .bindAll(now)
        .run();
}

}  // namespace

std::int64_t loadImportRows(Connection& c, const std::vector<sdk::ImportRecord>& rows,
                            const sdk::BulkLoadOptions& options) {
    const bool subscribe_mode = options.mode == sdk::ImportMode::Subscribe;
    const auto list_ids = subscribe_mode ? distinctIds(options.list_ids) : std::vector<sdk::Id>{};
    if (!list_ids.empty()) checkListsExist(c, list_ids);
    const auto unique = lastPerEmail(rows);
    stage(c, unique);
    const std::string now = nowText();
    if (subscribe_mode)
        subscribe(c, options, list_ids, now);
    else
        blocklist(c, options, now);
    c.prepare("DELETE FROM temp.import_rows").run();
    return static_cast<std::int64_t>(unique.size());
}

}  // namespace tidings::storage_sqlite
