#include "campaign_store.hpp"

#include <algorithm>

#include "campaign_rows.hpp"
#include "errors.hpp"
#include "recipient_query.hpp"
#include "json_array.hpp"
#include "rows.hpp"
#include "transaction.hpp"
#include "values.hpp"

namespace tidings::storage_sqlite {
namespace {

sdk::Status notFound() { return sdk::Status::notFound("campaign: not found"); }

std::string orderColumn(const std::string& order_by) {
    static constexpr std::pair<std::string_view, std::string_view> kColumns[] = {
        {"id", "campaigns.id"},
        {"name", "campaigns.name"},
        {"status", "campaigns.status"},
        {"created_at", "campaigns.created_at"},
        {"updated_at", "campaigns.updated_at"},
        {"send_at", "campaigns.send_at"},
    };
    for (const auto& [key, column] : kColumns)
        if (key == order_by) return std::string(column);
    return "campaigns.created_at";
}

std::optional<std::string> optText(const std::string& s) {
    return s.empty() ? std::nullopt : std::optional<std::string>(s);
}

std::optional<std::string> optTime(const std::optional<sdk::Timestamp>& t) {
    return t ? std::optional<std::string>(formatTimestamp(*t)) : std::nullopt;
}

// SQLite's foreign-key error does not say which key failed, so references are checked first
// (inside the write transaction, where nothing can delete them before the insert).
void requireTemplate(Connection& conn, const std::optional<sdk::Id>& id, const char* field) {
    if (!id) return;
    auto st = conn.prepare("SELECT 1 FROM templates WHERE id = ?1");
    st.bindAll(*id);
    if (!st.step())
        throw StatusError(sdk::Status::invalid(std::string(field) + ": template " + std::to_string(*id) +
                                               " does not exist"));
}

// Inserts (id 0) or replaces a campaign's writable fields and its lists; returns its id.
sdk::Id writeCampaign(Connection& conn, sdk::Id id, const sdk::CampaignDraft& d) {
    requireTemplate(conn, d.template_id, "template_id");
    requireTemplate(conn, d.archive_template_id, "archive_template_id");
    const std::string now = nowText();
    // ?1..?19 are the writable fields in this order; ?20 the time, ?21 the new UUID or the id.
    const char* sql =
        id == 0 ? "INSERT INTO campaigns (type, name, subject, from_email, body, body_source, altbody, send_at,"
                  " content_type, tags, headers, attribs, template_id, messenger, archive, archive_slug,"
                  " archive_template_id, archive_meta, segment, created_at, updated_at, uuid)"
                  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19,"
                  " ?20, ?20, ?21)"
                : "UPDATE campaigns SET type = ?1, name = ?2, subject = ?3, from_email = ?4, body = ?5,"
                  " body_source = ?6, altbody = ?7, send_at = ?8, content_type = ?9, tags = ?10, headers = ?11,"
                  " attribs = ?12, template_id = ?13, messenger = ?14, archive = ?15, archive_slug = ?16,"
                  " archive_template_id = ?17, archive_meta = ?18, segment = ?19, updated_at = ?20"
                  " WHERE id = ?21";
    auto st = conn.prepare(sql);
    st.bindAll(sdk::toString(d.type), d.name, d.subject, d.from_email, d.body, optText(d.body_source),
               optText(d.altbody), optTime(d.send_at), sdk::toString(d.content_type), toJsonArray(d.tags),
               d.headers_json, d.attribs_json, d.template_id, d.messenger, d.archive, d.archive_slug,
               d.archive_template_id, d.archive_meta_json, d.segment, now);
    if (id == 0)
        st.bind(21, newUuid());
    else
        st.bind(21, id);
    if (st.run() == 0) throw StatusError(notFound());
    const sdk::Id campaign_id = id == 0 ? conn.lastInsertId() : id;

    const std::string list_ids = idsJson(d.list_ids);
    conn.prepare(
            "DELETE FROM campaign_lists WHERE campaign_id = ?1 AND (list_id IS NULL OR"
            " list_id NOT IN (SELECT value FROM json_each(?2)))")
        .bindAll(campaign_id, list_ids)
        .run();
    std::vector<sdk::Id> found;
    auto added = conn.prepare(
        "INSERT INTO campaign_lists (campaign_id, list_id, list_name)"
        " SELECT ?1, lists.id, lists.name FROM lists WHERE lists.id IN (SELECT value FROM json_each(?2))"
        " ON CONFLICT (campaign_id, list_id) DO UPDATE SET list_name = excluded.list_name RETURNING list_id");
    added.bindAll(campaign_id, list_ids);
    while (added.step()) found.push_back(added.int64(0));
    for (sdk::Id want : d.list_ids)
        if (std::find(found.begin(), found.end(), want) == found.end())
            throw StatusError(sdk::Status::invalid("lists: list " + std::to_string(want) + " does not exist"));
    return campaign_id;
}

}  // namespace

sdk::Status CampaignStoreImpl::query(const sdk::CampaignQuery& q, sdk::CampaignPage& out) noexcept {
    return guarded([&] {
        // Each filter has a fixed parameter number and is only written when it is used, so the
        // statement text (and its cache entry) depends on which filters are set, not on values.
        std::string where = "1";
        if (!q.search.empty())
            where += " AND (campaigns.name LIKE ?1 ESCAPE '\\' OR campaigns.subject LIKE ?1 ESCAPE '\\')";
        std::vector<std::string> statuses;
        for (auto s : q.statuses) statuses.emplace_back(sdk::toString(s));
        if (!statuses.empty()) where += " AND campaigns.status IN (SELECT value FROM json_each(?2))";
        if (!q.tags.empty())
            where += " AND EXISTS (SELECT 1 FROM json_each(campaigns.tags) t"
                     " WHERE t.value IN (SELECT value FROM json_each(?3)))";
        if (q.archived_only)
            where += " AND campaigns.archive = 1 AND campaigns.type = 'regular'"
                     " AND campaigns.status IN ('running', 'paused', 'finished')";
        if (!q.archive_slug.empty()) where += " AND campaigns.archive_slug = ?4";
        const auto bindFilters = [&](Statement& st) {
            if (!q.search.empty()) st.bind(1, likeContains(q.search));
            if (!statuses.empty()) st.bind(2, toJsonArray(statuses));
            if (!q.tags.empty()) st.bind(3, toJsonArray(q.tags));
            if (!q.archive_slug.empty()) st.bind(4, q.archive_slug);
        };

        auto lease = db_.reader();
        // One snapshot for the count, the page and its lists.
        Transaction tx(*lease, Transaction::Mode::Read);
        sdk::CampaignPage page;
        {
            auto st = lease->prepare("SELECT COUNT(*) FROM campaigns WHERE " + where);
            bindFilters(st);
            if (st.step()) page.total = st.int64(0);
        }
        const std::string dir = q.order == sdk::SortOrder::Desc ? " DESC" : " ASC";
        auto st = lease->prepare("SELECT " + campaignColumns(q.with_body) + " FROM campaigns WHERE " + where +
                                 " ORDER BY " + orderColumn(q.order_by) + dir + ", campaigns.id" + dir +
                                 " LIMIT ?5 OFFSET ?6");
        bindFilters(st);
        const std::int64_t n = std::max<std::int64_t>(q.page, 1);
        st.bind(5, q.per_page > 0 ? q.per_page : std::int64_t{-1});
        st.bind(6, q.per_page > 0 ? (n - 1) * q.per_page : std::int64_t{0});
        while (st.step()) page.results.push_back(readCampaign(st));
        loadCampaignLists(*lease, page.results);
        tx.commit();
        out = std::move(page);
        return sdk::Status{};
    });
}

sdk::Status CampaignStoreImpl::get(sdk::Id id, sdk::Campaign& out) noexcept {
    return guarded([&] {
        auto lease = db_.reader();
        Transaction tx(*lease, Transaction::Mode::Read);
        return fetchCampaign(*lease, id, out) ? sdk::Status{} : notFound();
    });
}

sdk::Status CampaignStoreImpl::getByUuid(std::string_view uuid, sdk::Campaign& out) noexcept {
    return guarded([&] {
        const auto key = uuidParam(uuid);
        if (!key) return notFound();
        auto lease = db_.reader();
        Transaction tx(*lease, Transaction::Mode::Read);
        sdk::Id id = 0;
        {
            auto st = lease->prepare("SELECT id FROM campaigns WHERE uuid = ?1");
            st.bindAll(*key);
            if (!st.step()) return notFound();
            id = st.int64(0);
        }
        return fetchCampaign(*lease, id, out) ? sdk::Status{} : notFound();
    });
}

sdk::Status CampaignStoreImpl::create(const sdk::CampaignDraft& draft, sdk::Campaign& out) noexcept {
    return update(0, draft, out);
}

sdk::Status CampaignStoreImpl::update(sdk::Id id, const sdk::CampaignDraft& draft, sdk::Campaign& out) noexcept {
    return guarded([&] {
        // The segment is a user's SQL: it is tried on a reader only, before anything is written.
        if (!draft.segment.empty()) {
            auto reader = db_.reader();
            checkSegment(*reader, draft.segment);
        }
        auto lease = db_.writer();
        Transaction tx(*lease);
        try {
            const sdk::Id stored = writeCampaign(*lease, id, draft);
            fetchCampaign(*lease, stored, out);
        } catch (const SqliteError& e) {
            if (e.code() == SQLITE_CONSTRAINT_CHECK)
                return sdk::Status::invalid("headers/attribs/archive_meta: invalid JSON");
            throw;
        }
        tx.commit();
        return sdk::Status{};
    });
}

sdk::Status CampaignStoreImpl::remove(sdk::Id id) noexcept {
    return guarded([&] {
        auto lease = db_.writer();
        // Lists, batches and the ledger go with it (ON DELETE CASCADE).
        const auto removed = lease->prepare("DELETE FROM campaigns WHERE id = ?1").bindAll(id).run();
        return removed == 0 ? notFound() : sdk::Status{};
    });
}

sdk::Status CampaignStoreImpl::transition(sdk::Id id, const std::vector<sdk::CampaignStatus>& from,
                                          sdk::CampaignStatus to, sdk::Campaign& out) noexcept {
    return guarded([&] {
        // A first run fixes its range and counts its recipients. Counting runs on a reader,
        // before the write transaction (a segment may only run read-only); the range end it
        // counted up to is the one stored, so the count and the range agree.
        std::optional<std::pair<sdk::Id, std::int64_t>> range;
        {
            auto reader = db_.reader();
            RecipientScope scope;
            if (!loadScope(*reader, id, scope)) return notFound();
            if (to == sdk::CampaignStatus::Running && scope.max_subscriber_id == 0) {
                sdk::Id max_id = 0;
                {
                    auto st = reader->prepare("SELECT COALESCE(MAX(id), 0) FROM subscribers");
                    if (st.step()) max_id = st.int64(0);
                }
                range.emplace(max_id, countRecipients(*reader, scope, max_id));
            }
        }

        std::vector<std::string> names;
        for (auto s : from) names.emplace_back(sdk::toString(s));
        const std::string now = nowText();
        auto lease = db_.writer();
        Transaction tx(*lease);
        std::int64_t changed = 0;
        if (range) {
            // Only a run that never started takes the range: a concurrent starter may have won.
            changed = lease->prepare(
                               "UPDATE campaigns SET status = ?2, updated_at = ?4,"
                               " max_subscriber_id = CASE WHEN started_at IS NULL THEN ?5 ELSE max_subscriber_id END,"
                               " to_send = CASE WHEN started_at IS NULL THEN ?6 ELSE to_send END,"
                               " started_at = COALESCE(started_at, ?4)"
                               " WHERE id = ?1 AND status IN (SELECT value FROM json_each(?3))")
                          .bindAll(id, sdk::toString(to), toJsonArray(names), now, range->first, range->second)
                          .run();
        } else {
            changed = lease->prepare(
                               "UPDATE campaigns SET status = ?2, updated_at = ?4"
                               " WHERE id = ?1 AND status IN (SELECT value FROM json_each(?3))")
                          .bindAll(id, sdk::toString(to), toJsonArray(names), now)
                          .run();
        }
        if (changed == 0) {
            auto st = lease->prepare("SELECT status FROM campaigns WHERE id = ?1");
            st.bindAll(id);
            if (!st.step()) return notFound();
            return sdk::Status::conflict("status: campaign is " + st.text(0));
        }
        // A stopped run's batches in flight are of no further use.
        if (to == sdk::CampaignStatus::Cancelled || to == sdk::CampaignStatus::Finished)
            lease->prepare("DELETE FROM campaign_batches WHERE campaign_id = ?1").bindAll(id).run();
        fetchCampaign(*lease, id, out);
        tx.commit();
        return sdk::Status{};
    });
}

sdk::Status CampaignStoreImpl::startDue(sdk::Timestamp now, std::vector<sdk::Id>& started) noexcept {
    std::vector<sdk::Id> due;
    auto st = guarded([&] {
        auto lease = db_.reader();
        auto q = lease->prepare(
            "SELECT id FROM campaigns WHERE status = 'scheduled' AND send_at <= ?1 ORDER BY id");
        q.bindAll(formatTimestamp(now));
        while (q.step()) due.push_back(q.int64(0));
        return sdk::Status{};
    });
    if (!st) return st;
    started.clear();
    for (sdk::Id id : due) {
        sdk::Campaign c;
        // Another process may have started it first: that Conflict is expected and skipped.
        st = transition(id, {sdk::CampaignStatus::Scheduled}, sdk::CampaignStatus::Running, c);
        if (st)
            started.push_back(id);
        else if (st.code() != sdk::StatusCode::Conflict && st.code() != sdk::StatusCode::NotFound)
            return st;
    }
    return sdk::Status{};
}

sdk::Status CampaignStoreImpl::statuses(const std::vector<sdk::Id>& ids,
                                        std::vector<std::pair<sdk::Id, sdk::CampaignStatus>>& out) noexcept {
    return guarded([&] {
        std::vector<std::pair<sdk::Id, sdk::CampaignStatus>> result;
        if (!ids.empty()) {
            auto lease = db_.reader();
            auto st = lease->prepare(
                "SELECT id, status FROM campaigns WHERE id IN (SELECT value FROM json_each(?1)) ORDER BY id");
            st.bindAll(idsJson(ids));
            while (st.step()) result.emplace_back(st.int64(0), enumFrom<sdk::CampaignStatus>(st.text(1)));
        }
        out = std::move(result);
        return sdk::Status{};
    });
}

}  // namespace tidings::storage_sqlite
