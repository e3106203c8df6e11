#include "import_load.hpp"

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "errors.hpp"
#include "id_array.hpp"
#include "values.hpp"

namespace tidings::storage_sqlite {
namespace {

/// The rows to write: the last row of each e-mail, in order of first appearance ("last row wins"
/// is what a user who fixed a row further down the file expects).
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
    st.bindAll(idArrayJson(ids));
    st.step();
    if (st.int64(0) != static_cast<std::int64_t>(ids.size()))
        throw StatusError(sdk::Status::invalid("lists: unknown list id"));
}

struct Existing {
    sdk::Id id = 0;
    bool blocklisted = false;
};

std::string_view attribsOf(const sdk::ImportRecord& row) {
    return row.attribs_json.empty() ? std::string_view("{}") : std::string_view(row.attribs_json);
}

// Applies rows one by one. Its statements are prepared once per connection and taken from the
// connection's cache for every row (a statement borrowed from the cache is reset when handed
// back, ready to be bound again).
class BatchWriter {
public:
    BatchWriter(Connection& c, const sdk::BulkLoadOptions& options, std::string now)
        : c_(c), options_(options), now_(std::move(now)), update_sql_(updateSql(options)),
          membership_sql_(options.overwrite_subscription_status
                              ? "INSERT INTO subscriber_lists (subscriber_id, list_id, status, created_at, updated_at)"
                                " VALUES (?1, ?2, ?3, ?4, ?4) ON CONFLICT (subscriber_id, list_id) DO UPDATE"
                                " SET status = excluded.status, updated_at = excluded.updated_at"
                                " WHERE subscriber_lists.status <> excluded.status"
                              : "INSERT INTO subscriber_lists (subscriber_id, list_id, status, created_at, updated_at)"
                                " VALUES (?1, ?2, ?3, ?4, ?4) ON CONFLICT (subscriber_id, list_id) DO NOTHING") {}

    void apply(const sdk::ImportRecord& row, const std::vector<sdk::Id>& list_ids) {
        const bool blocklist_mode = options_.mode == sdk::ImportMode::Blocklist;
        Existing who;
        if (auto existing = find(row.email)) {
            who = *existing;
            if (blocklist_mode) {
                update(row, who.id);
                who.blocklisted = true;
                c_.prepare(kUnsubscribeSql).bindAll(now_, who.id).run();
            } else if (options_.overwrite_userinfo) {
                update(row, who.id);
            }
        } else {
            c_.prepare(kInsertSql)
                .bindAll(newUuid(), row.email, row.name, attribsOf(row), blocklist_mode ? "blocklisted" : "enabled",
                         now_)
                .run();
            who.id = c_.lastInsertId();
            who.blocklisted = blocklist_mode;
        }
        if (blocklist_mode) return;
        // A blocklisted subscriber's new memberships are unsubscribed whatever the import says.
        const std::string_view status = who.blocklisted ? "unsubscribed" : sdk::toString(options_.subscription_status);
        for (const sdk::Id list_id : list_ids) c_.prepare(membership_sql_).bindAll(who.id, list_id, status, now_).run();
    }

private:
    static constexpr const char* kFindSql = "SELECT id, status = 'blocklisted' FROM subscribers WHERE email = ?";
    static constexpr const char* kInsertSql =
        "INSERT INTO subscribers (uuid, email, name, attribs, status, created_at, updated_at)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)";
    static constexpr const char* kUnsubscribeSql =
        "UPDATE subscriber_lists SET status = 'unsubscribed', updated_at = ? WHERE subscriber_id = ? AND status <> 'unsubscribed'";

    // Subscribe mode never changes a subscriber's status, only (with overwrite) the profile, and
    // leaves rows whose profile is unchanged untouched. Blocklist mode always blocklists. Every
    // variant is bound the same way (numbered parameters: an unused one may still be bound).
    static const char* updateSql(const sdk::BulkLoadOptions& o) {
        if (o.mode == sdk::ImportMode::Subscribe)
            return "UPDATE subscribers SET name = ?1, attribs = ?2, updated_at = ?3"
                   " WHERE id = ?4 AND (name IS NOT ?1 OR attribs IS NOT ?2)";
        if (o.overwrite_userinfo)
            return "UPDATE subscribers SET status = 'blocklisted', name = ?1, attribs = ?2, updated_at = ?3 WHERE id = ?4";
        return "UPDATE subscribers SET status = 'blocklisted', updated_at = ?3"
               " WHERE id = ?4 AND status <> 'blocklisted'";
    }

    std::optional<Existing> find(const std::string& email) {
        auto st = c_.prepare(kFindSql);
        st.bindAll(email);
        if (!st.step()) return std::nullopt;
        return Existing{st.int64(0), st.boolean(1)};
    }

    void update(const sdk::ImportRecord& row, sdk::Id id) {
        c_.prepare(update_sql_).bindAll(row.name, attribsOf(row), now_, id).run();
    }

    Connection& c_;
    const sdk::BulkLoadOptions& options_;
    const std::string now_;
    const std::string update_sql_;
    const std::string membership_sql_;
};

}  // namespace

std::int64_t loadImportRows(Connection& c, const std::vector<sdk::ImportRecord>& rows,
                            const sdk::BulkLoadOptions& options) {
    const bool subscribe = options.mode == sdk::ImportMode::Subscribe;
    const auto list_ids = subscribe ? distinctIds(options.list_ids) : std::vector<sdk::Id>{};
    if (!list_ids.empty()) checkListsExist(c, list_ids);
    const auto unique = lastPerEmail(rows);
    BatchWriter writer(c, options, nowText());
    for (const auto* row : unique) writer.apply(*row, list_ids);
    return static_cast<std::int64_t>(unique.size());
}

}  // namespace tidings::storage_sqlite
