#include "campaign_store.hpp"

#include <algorithm>

#include "campaign_rows.hpp"
#include "errors.hpp"
#include "recipient_query.hpp"
#include "rows.hpp"
#include "transaction.hpp"

namespace tidings::storage_pg {
namespace {

sdk::Status notFound() { return sdk::Status::notFound("campaign: not found"); }

std::string orderColumn(const std::string& order_by) {
    static const std::pair<std::string_view, std::string_view> kColumns[] = {
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

std::optional<std::string> optId(const std::optional<sdk::Id>& id) {
    return id ? std::optional<std::string>(std::to_string(*id)) : std::nullopt;
}

// Turns the constraint a write tripped over into the field-named error the SDK promises.
sdk::Status writeError(const PgError& e, const sdk::CampaignDraft& d) {
    const std::string& c = e.constraint();
    if (c == "campaigns_archive_slug_key") return sdk::Status::conflict("archive_slug: already exists");
    if (c == "campaigns_template_id_fkey")
        return sdk::Status::invalid("template_id: template " + std::to_string(d.template_id.value_or(0)) +
                                    " does not exist");
    if (c == "campaigns_archive_template_id_fkey")
        return sdk::Status::invalid("archive_template_id: template " +
                                    std::to_string(d.archive_template_id.value_or(0)) + " does not exist");
    if (e.sqlstate() == "22P02" || e.sqlstate() == "22023")
        return sdk::Status::invalid("headers/attribs/archive_meta: invalid JSON");
    return toStatus(e);
}

}  // namespace

bool fetchCampaign(Lease& lease, sdk::Id id, sdk::Campaign& out) {
    Params p;
    p.add(id);
    Result r = lease.execPrepared("campaign_by_id",
                                  "SELECT " + campaignColumns(true) + " FROM campaigns WHERE id = $1::int8", p);
    if (r.rows() == 0) return false;
    std::vector<sdk::Campaign> one{readCampaign(r, 0)};
    loadCampaignLists(lease, one);
    out = std::move(one.front());
    return true;
}

sdk::Status CampaignStoreImpl::query(const sdk::CampaignQuery& q, sdk::CampaignPage& out) noexcept {
    return guarded([&] {
        Params p;
        std::string where = "TRUE";
        if (!q.search.empty()) {
            const std::string like = p.add(likeContains(q.search));
            where += " AND (campaigns.name ILIKE " + like + " OR campaigns.subject ILIKE " + like + ")";
        }
        if (!q.statuses.empty()) {
            std::vector<std::string> names;
            for (auto s : q.statuses) names.emplace_back(sdk::toString(s));
            where += " AND campaigns.status = ANY(" + p.add(textArrayLiteral(names)) + "::text[])";
        }
        if (!q.tags.empty()) where += " AND campaigns.tags && " + p.add(textArrayLiteral(q.tags)) + "::text[]";
        if (q.archived_only)
            where += " AND campaigns.archive AND campaigns.type = 'regular'"
                     " AND campaigns.status IN ('running', 'paused', 'finished')";
        if (!q.archive_slug.empty()) where += " AND campaigns.archive_slug = " + p.add(q.archive_slug);

        auto lease = db_.lease();
        sdk::CampaignPage page;
        page.total = lease->exec("SELECT COUNT(*) FROM campaigns WHERE " + where, p).int64(0, 0);
        const std::string dir = q.order == sdk::SortOrder::Desc ? " DESC" : " ASC";
        std::string sql = "SELECT " + campaignColumns(q.with_body) + " FROM campaigns WHERE " + where +
                          " ORDER BY " + orderColumn(q.order_by) + dir + ", campaigns.id" + dir;
        if (q.per_page > 0) {
            const std::int64_t n = std::max<std::int64_t>(q.page, 1);
            sql += " LIMIT " + p.add(q.per_page) + "::int8 OFFSET " + p.add((n - 1) * q.per_page) + "::int8";
        }
        Result r = lease->exec(sql, p);
        for (int i = 0; i < r.rows(); ++i) page.results.push_back(readCampaign(r, i));
        loadCampaignLists(*lease, page.results);
        out = std::move(page);
        return sdk::Status{};
    });
}

sdk::Status CampaignStoreImpl::get(sdk::Id id, sdk::Campaign& out) noexcept {
    return guarded([&] {
        auto lease = db_.lease();
        return fetchCampaign(*lease, id, out) ? sdk::Status{} : notFound();
    });
}

sdk::Status CampaignStoreImpl::getByUuid(std::string_view uuid, sdk::Campaign& out) noexcept {
    return guarded([&] {
        auto lease = db_.lease();
        Params p;
        p.add(uuidParam(uuid));
        Result r = lease->execPrepared("campaign_id_by_uuid", "SELECT id FROM campaigns WHERE uuid = $1::uuid", p);
        if (r.rows() == 0 || !fetchCampaign(*lease, r.int64(0, 0), out)) return notFound();
        return sdk::Status{};
    });
}

sdk::Id CampaignStoreImpl::write(Lease& lease, sdk::Id id, const sdk::CampaignDraft& d) {
    Params p;
    const std::string cols[] = {
        p.add(std::string(sdk::toString(d.type))),
        p.add(d.name),
        p.add(d.subject),
        p.add(d.from_email),
        p.add(d.body),
        p.add(optText(d.body_source)),
        p.add(optText(d.altbody)),
        fromMicros(p.add(d.send_at ? std::optional<std::string>(micros(*d.send_at)) : std::nullopt)),
        p.add(std::string(sdk::toString(d.content_type))),
        p.add(textArrayLiteral(d.tags)) + "::text[]",
        p.add(d.headers_json) + "::jsonb",
        p.add(d.attribs_json) + "::jsonb",
        p.add(optId(d.template_id)) + "::int8",
        p.add(d.messenger),
        p.add(d.archive) + "::bool",
        p.add(d.archive_slug),
        p.add(optId(d.archive_template_id)) + "::int8",
        p.add(d.archive_meta_json) + "::jsonb",
        p.add(d.segment),
    };
    static constexpr const char* kNames[] = {
        "type", "name", "subject", "from_email", "body", "body_source", "altbody", "send_at",
        "content_type", "tags", "headers", "attribs", "template_id", "messenger", "archive",
        "archive_slug", "archive_template_id", "archive_meta", "segment"};
    std::string sql;
    if (id == 0) {
        std::string names, values;
        for (std::size_t i = 0; i < std::size(kNames); ++i) {
            names += (i ? ", " : "") + std::string(kNames[i]);
            values += (i ? ", " : "") + cols[i];
        }
        sql = "INSERT INTO campaigns (" + names + ") VALUES (" + values + ") RETURNING id";
    } else {
        sql = "UPDATE campaigns SET ";
        for (std::size_t i = 0; i < std::size(kNames); ++i) sql += std::string(kNames[i]) + " = " + cols[i] + ", ";
        sql += "updated_at = NOW() WHERE id = " + p.add(id) + "::int8 RETURNING id";
    }
    Result r = lease.exec(sql, p);
    if (r.rows() == 0) throw StatusError(notFound());
    const sdk::Id campaign_id = r.int64(0, 0);

    Params lp;
    lp.add(campaign_id);
    lp.add(bigintArray(d.list_ids));
    lease.exec("DELETE FROM campaign_lists WHERE campaign_id = $1::int8 AND (list_id IS NULL OR"
               " NOT list_id = ANY($2::int8[]))",
               lp);
    Result added = lease.exec(
        "INSERT INTO campaign_lists (campaign_id, list_id, list_name)"
        " SELECT $1::int8, lists.id, lists.name FROM lists WHERE lists.id = ANY($2::int8[])"
        " ON CONFLICT (campaign_id, list_id) DO UPDATE SET list_name = EXCLUDED.list_name RETURNING list_id",
        lp);
    if (static_cast<std::size_t>(added.rows()) < d.list_ids.size()) {
        std::vector<sdk::Id> found;
        for (int i = 0; i < added.rows(); ++i) found.push_back(added.int64(i, 0));
        for (sdk::Id want : d.list_ids)
            if (std::find(found.begin(), found.end(), want) == found.end())
                throw StatusError(sdk::Status::invalid("lists: list " + std::to_string(want) + " does not exist"));
    }
    return campaign_id;
}

sdk::Status CampaignStoreImpl::create(const sdk::CampaignDraft& draft, sdk::Campaign& out) noexcept {
    return update(0, draft, out);
}

sdk::Status CampaignStoreImpl::update(sdk::Id id, const sdk::CampaignDraft& draft, sdk::Campaign& out) noexcept {
    return guarded([&] {
        auto lease = db_.lease();
        checkSegment(*lease, draft.segment, db_.queryTimeout());
        try {
            Transaction tx(*lease);
            const sdk::Id stored = write(*lease, id, draft);
            fetchCampaign(*lease, stored, out);
            tx.commit();
        } catch (const PgError& e) {
            return writeError(e, draft);
        }
        return sdk::Status{};
    });
}

sdk::Status CampaignStoreImpl::remove(sdk::Id id) noexcept {
    return guarded([&] {
        auto lease = db_.lease();
        Params p;
        p.add(id);
        if (lease->exec("DELETE FROM campaigns WHERE id = $1::int8", p).affected() == 0) return notFound();
        return sdk::Status{};
    });
}

sdk::Status CampaignStoreImpl::transition(sdk::Id id, const std::vector<sdk::CampaignStatus>& from,
                                          sdk::CampaignStatus to, sdk::Campaign& out) noexcept {
    return guarded([&] {
        auto lease = db_.lease();
        RecipientScope scope;
        if (!loadScope(*lease, id, scope)) return notFound();

        std::vector<std::string> names;
        for (auto s : from) names.emplace_back(sdk::toString(s));
        Params by_id;
        by_id.add(id);
        Params p;
        p.add(id);
        p.add(std::string(sdk::toString(to)));
        p.add(textArrayLiteral(names));
        std::string set = "status = $2, updated_at = NOW()";

        // A first run (no range yet) fixes its range and counts its recipients. Counting runs before the write
        // transaction (a segment may only run read-only); the range end it counted up to is the
        // one stored, so the count and the range agree.
        if (to == sdk::CampaignStatus::Running && scope.max_subscriber_id == 0) {
            const sdk::Id max_id = lease->exec("SELECT COALESCE(MAX(id), 0) FROM subscribers").int64(0, 0);
            const std::int64_t count =
                selectRecipients(*lease, scope, "COUNT(*)", 0, max_id, "", db_.queryTimeout()).int64(0, 0);
            set += ", started_at = COALESCE(started_at, NOW()),"
                   " max_subscriber_id = CASE WHEN started_at IS NULL THEN " + p.add(max_id) +
                   "::int8 ELSE max_subscriber_id END,"
                   " to_send = CASE WHEN started_at IS NULL THEN " + p.add(count) + "::int8 ELSE to_send END";
        }
        Transaction tx(*lease);
        Result r = lease->exec("UPDATE campaigns SET " + set +
                                   " WHERE id = $1::int8 AND status = ANY($3::text[]) RETURNING id",
                               p);
        if (r.rows() == 0) {
            Result cur = lease->exec("SELECT status FROM campaigns WHERE id = $1::int8", by_id);
            if (cur.rows() == 0) return notFound();
            return sdk::Status::conflict("status: campaign is " + cur.str(0, 0));
        }
        // A stopped run's batches in flight are of no further use.
        if (to == sdk::CampaignStatus::Cancelled || to == sdk::CampaignStatus::Finished)
            lease->exec("DELETE FROM campaign_batches WHERE campaign_id = $1::int8", by_id);
        fetchCampaign(*lease, id, out);
        tx.commit();
        return sdk::Status{};
    });
}

sdk::Status CampaignStoreImpl::startDue(sdk::Timestamp now, std::vector<sdk::Id>& started) noexcept {
    std::vector<sdk::Id> due;
    auto st = guarded([&] {
        auto lease = db_.lease();
        Params p;
        p.add(micros(now));
        Result r = lease->execPrepared(
            "campaigns_due",
            "SELECT id FROM campaigns WHERE status = 'scheduled' AND send_at <= " + fromMicros("$1") + " ORDER BY id",
            p);
        for (int i = 0; i < r.rows(); ++i) due.push_back(r.int64(i, 0));
        return sdk::Status{};
    });
    if (!st) return st;
    started.clear();
    for (sdk::Id id : due) {
        sdk::Campaign c;
        // Another process may have started it first: that Conflict is expected and skipped.
        st = transition(id, {sdk::CampaignStatus::Scheduled}, sdk::CampaignStatus::Running, c);
        if (st) started.push_back(id);
        else if (st.code() != sdk::StatusCode::Conflict && st.code() != sdk::StatusCode::NotFound) return st;
    }
    return sdk::Status{};
}

sdk::Status CampaignStoreImpl::statuses(const std::vector<sdk::Id>& ids,
                                        std::vector<std::pair<sdk::Id, sdk::CampaignStatus>>& out) noexcept {
    return guarded([&] {
        out.clear();
        if (ids.empty()) return sdk::Status{};
        auto lease = db_.lease();
        Params p;
        p.add(bigintArray(ids));
        Result r = lease->execPrepared("campaign_statuses",
                                       "SELECT id, status FROM campaigns WHERE id = ANY($1::int8[]) ORDER BY id", p);
        for (int i = 0; i < r.rows(); ++i)
            out.emplace_back(r.int64(i, 0), sdk::parseEnum<sdk::CampaignStatus>(r.text(i, 1)).value());
        return sdk::Status{};
    });
}

}  // namespace tidings::storage_pg
