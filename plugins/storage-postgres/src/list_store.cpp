#include "list_store.hpp"

#include <algorithm>
#include <cctype>

#include "counts.hpp"
#include "errors.hpp"
#include "rows.hpp"
#include "transaction.hpp"

namespace tidings::storage_pg {
namespace {

std::string orderColumn(const std::string& order_by) {
    static const std::pair<std::string_view, std::string_view> kColumns[] = {
        {"id", "lists.id"},
        {"name", "lists.name"},
        {"type", "lists.type"},
        {"status", "lists.status"},
        {"created_at", "lists.created_at"},
        {"updated_at", "lists.updated_at"},
        {"subscriber_count", "(COALESCE(c.unconfirmed, 0) + COALESCE(c.confirmed, 0))"},
    };
    for (const auto& [key, column] : kColumns)
        if (key == order_by) return std::string(column);
    return "lists.id";
}

// Lists are few (hundreds), so aggregating the counters of all of them per query is cheap and
// keeps ordering by subscriber_count a plain ORDER BY.
std::string selectWithCounts(const std::string& where, const std::string& tail) {
    return std::string("WITH c AS (") + listCountsCte() + ") SELECT " + listColumns() +
           ", COALESCE(c.unconfirmed, 0)::int8, COALESCE(c.confirmed, 0)::int8,"
           " COALESCE(c.unsubscribed, 0)::int8"
           " FROM lists LEFT JOIN c ON c.list_id = lists.id WHERE " + where + tail;
}

std::vector<sdk::List> readLists(const Result& r) {
    std::vector<sdk::List> out;
    for (int i = 0; i < r.rows(); ++i) {
        sdk::List l = readList(r, i);
        l.subscription_counts = {r.int64(i, 10), r.int64(i, 11), r.int64(i, 12)};
        l.subscriber_count = l.subscription_counts.unconfirmed + l.subscription_counts.confirmed;
        out.push_back(std::move(l));
    }
    return out;
}

bool looksLikeUuid(const std::string& s) {
    if (s.size() != 36) return false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? s[i] != '-' : !std::isxdigit(static_cast<unsigned char>(s[i]))) return false;
    }
    return true;
}

template <typename Enum>
std::optional<std::string> optEnum(const std::optional<Enum>& v) {
    if (!v) return std::nullopt;
    return std::string(sdk::toString(*v));
}

std::optional<std::string> optTags(const std::optional<std::vector<std::string>>& tags) {
    if (!tags) return std::nullopt;
    return textArrayLiteral(*tags);
}

}  // namespace

sdk::Status ListStoreImpl::query(const sdk::ListQuery& q, sdk::ListPage& out) noexcept {
    return guarded([&] {
        Params p;
        std::vector<std::string> conds;
        if (!q.search.empty()) conds.push_back("lists.name ILIKE " + p.add(likeContains(q.search)));
        if (!q.tags.empty()) conds.push_back("lists.tags && " + p.add(textArrayLiteral(q.tags)) + "::text[]");
        if (q.type) conds.push_back("lists.type = " + p.add(std::string(sdk::toString(*q.type))));
        if (q.optin) conds.push_back("lists.optin = " + p.add(std::string(sdk::toString(*q.optin))));
        if (q.status) conds.push_back("lists.status = " + p.add(std::string(sdk::toString(*q.status))));
        if (!q.ids.empty()) conds.push_back("lists.id = ANY(" + p.add(bigintArray(q.ids)) + "::int8[])");
        std::string where = "TRUE";
        for (const auto& c : conds) where += " AND " + c;

        auto lease = db_.lease();
        sdk::ListPage page;
        page.total = lease->exec("SELECT COUNT(*) FROM lists WHERE " + where, p).int64(0, 0);

        const std::string dir = q.order == sdk::SortOrder::Desc ? " DESC" : " ASC";
        std::string tail = " ORDER BY " + orderColumn(q.order_by) + dir + ", lists.id" + dir;
        if (q.page.per_page > 0) {
            const std::int64_t n = std::max<std::int64_t>(q.page.page, 1);
            tail += " LIMIT " + p.add(q.page.per_page) + "::int8 OFFSET " +
                    p.add((n - 1) * q.page.per_page) + "::int8";
        }
        page.results = readLists(lease->exec(selectWithCounts(where, tail), p));
        out = std::move(page);
        return sdk::Status{};
    });
}

sdk::Status ListStoreImpl::get(sdk::Id id, sdk::List& out) noexcept {
    return guarded([&] {
        auto lease = db_.lease();
        Params p;
        p.add(id);
        auto lists = readLists(lease->execPrepared("list_by_id", selectWithCounts("lists.id = $1::int8", ""), p));
        if (lists.empty()) return sdk::Status::notFound("list: not found");
        out = std::move(lists.front());
        return sdk::Status{};
    });
}

sdk::Status ListStoreImpl::getByUuids(const std::vector<std::string>& uuids, std::vector<sdk::List>& out) noexcept {
    return guarded([&] {
        std::vector<std::string> valid;
        std::copy_if(uuids.begin(), uuids.end(), std::back_inserter(valid), looksLikeUuid);
        if (valid.empty()) {
            out.clear();
            return sdk::Status{};
        }
        auto lease = db_.lease();
        Params p;
        p.add(textArrayLiteral(valid));
        out = readLists(lease->execPrepared(
            "lists_by_uuid", selectWithCounts("lists.uuid = ANY($1::uuid[])", " ORDER BY lists.id"), p));
        return sdk::Status{};
    });
}

sdk::Status ListStoreImpl::create(const sdk::ListDraft& draft, sdk::List& out) noexcept {
    {
        auto st = guarded([&] {
            if (!draft.name || draft.name->empty()) return sdk::Status::invalid("name: required");
            auto lease = db_.lease();
            Params p;
            p.add(*draft.name);
            p.add(optEnum(draft.type));
            p.add(optEnum(draft.optin));
            p.add(optEnum(draft.status));
            p.add(optTags(draft.tags));
            p.add(draft.description);
            Result r = lease->execPrepared(
                "list_insert",
                "INSERT INTO lists (name, type, optin, status, tags, description) VALUES ($1,"
                " COALESCE($2, 'private'), COALESCE($3, 'single'), COALESCE($4, 'active'),"
                " COALESCE($5::text[], '{}'), COALESCE($6, '')) RETURNING id",
                p);
            out.id = r.int64(0, 0);
            return sdk::Status{};
        });
        if (!st) return st;
    }
    return get(out.id, out);
}

sdk::Status ListStoreImpl::update(sdk::Id id, const sdk::ListDraft& draft, sdk::List& out) noexcept {
    auto st = guarded([&] {
        auto lease = db_.lease();
        Params p;
        p.add(id);
        p.add(draft.name);
        p.add(optEnum(draft.type));
        p.add(optEnum(draft.optin));
        p.add(optEnum(draft.status));
        p.add(optTags(draft.tags));
        p.add(draft.description);
        Result r = lease->execPrepared(
            "list_update",
            "UPDATE lists SET name = COALESCE($2, name), type = COALESCE($3, type),"
            " optin = COALESCE($4, optin), status = COALESCE($5, status),"
            " tags = COALESCE($6::text[], tags), description = COALESCE($7, description),"
            " updated_at = NOW() WHERE id = $1::int8",
            p);
        if (r.affected() == 0) return sdk::Status::notFound("list: not found");
        return sdk::Status{};
    });
    if (!st) return st;
    return get(id, out);
}

sdk::Status ListStoreImpl::remove(const std::vector<sdk::Id>& ids, std::int64_t& affected) noexcept {
    return guarded([&] {
        affected = 0;
        if (ids.empty()) return sdk::Status{};
        auto lease = db_.lease();
        Transaction tx(*lease);
        Params p;
        p.add(bigintArray(ids));
        affected = lease->exec("DELETE FROM lists WHERE id = ANY($1::int8[])", p).affected();
        // The cascade's triggers just logged negative deltas for these lists; drop them with the
        // base rows so no counter of a deleted list lingers.
        lease->exec("DELETE FROM count_deltas WHERE list_id = ANY($1::int8[])", p);
        lease->exec("DELETE FROM subscription_counts WHERE list_id = ANY($1::int8[])", p);
        tx.commit();
        return sdk::Status{};
    });
}

}  // namespace tidings::storage_pg
