#include "list_store.hpp"

#include <algorithm>
#include <cctype>

#include "counts.hpp"
#include "errors.hpp"
#include "query_params.hpp"
#include "json_array.hpp"
#include "rows.hpp"
#include "transaction.hpp"
#include "values.hpp"

namespace tidings::storage_sqlite {
namespace {

// order_by is validated by the kernel; mapping it through a fixed table means an unexpected
// value can still never reach the SQL text.
std::string orderColumn(const std::string& order_by) {
    static const std::pair<std::string_view, std::string_view> kColumns[] = {
        {"id", "lists.id"},
        {"name", "lists.name"},
        {"type", "lists.type"},
        {"status", "lists.status"},
        {"created_at", "lists.created_at"},
        {"updated_at", "lists.updated_at"},
    };
    if (order_by == "subscriber_count") return listSubscriberCountSql();
    for (const auto& [key, column] : kColumns)
        if (key == order_by) return std::string(column);
    return "lists.id";
}

std::string selectWithCounts(const std::string& where, const std::string& tail) {
    return "SELECT " + listColumns() + ", " + listCountColumns() + " FROM lists WHERE " + where + tail;
}

std::vector<sdk::List> readLists(Statement& st) {
    std::vector<sdk::List> out;
    while (st.step()) {
        sdk::List l = readList(st);
        l.subscription_counts = {st.int64(10), st.int64(11), st.int64(12)};
        l.subscriber_count = l.subscription_counts.unconfirmed + l.subscription_counts.confirmed;
        out.push_back(std::move(l));
    }
    return out;
}

std::string asciiLower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

template <typename Enum>
std::optional<std::string> optEnum(const std::optional<Enum>& v) {
    if (!v) return std::nullopt;
    return std::string(sdk::toString(*v));
}

std::optional<std::string> optTags(const std::optional<std::vector<std::string>>& tags) {
    if (!tags) return std::nullopt;
    return toJsonArray(*tags);
}

std::vector<sdk::List> loadById(Connection& c, sdk::Id id) {
    static const std::string sql = selectWithCounts("lists.id = ?1", "");
    auto st = c.prepare(sql);
    st.bindAll(id);
    return readLists(st);
}

}  // namespace

sdk::Status ListStoreImpl::query(const sdk::ListQuery& q, sdk::ListPage& out) noexcept {
    return guarded([&] {
        QueryParams p;
        std::string where = "1";
        if (!q.search.empty()) where += " AND instr(lower(lists.name), " + p.add(asciiLower(q.search)) + ") > 0";
        if (!q.tags.empty())
            where += " AND EXISTS (SELECT 1 FROM json_each(lists.tags) t WHERE t.value IN (SELECT value FROM json_each(" +
                     p.add(toJsonArray(q.tags)) + ")))";
        if (q.type) where += " AND lists.type = " + p.add(std::string(sdk::toString(*q.type)));
        if (q.optin) where += " AND lists.optin = " + p.add(std::string(sdk::toString(*q.optin)));
        if (q.status) where += " AND lists.status = " + p.add(std::string(sdk::toString(*q.status)));
        if (!q.ids.empty()) where += " AND lists.id IN (SELECT value FROM json_each(" + p.add(idsJson(q.ids)) + "))";

        auto lease = db_.reader();
        // One snapshot for the total and the page.
        Transaction tx(*lease, Transaction::Mode::Read);
        sdk::ListPage page;
        {
            auto st = lease->prepare("SELECT COUNT(*) FROM lists WHERE " + where);
            p.bindTo(st);
            page.total = st.step() ? st.int64(0) : 0;
        }
        const std::string dir = q.order == sdk::SortOrder::Desc ? " DESC" : " ASC";
        std::string tail = " ORDER BY " + orderColumn(q.order_by) + dir + ", lists.id" + dir;
        if (q.page.per_page > 0) {
            const std::int64_t n = std::max<std::int64_t>(q.page.page, 1);
            tail += " LIMIT " + p.add(q.page.per_page) + " OFFSET " + p.add((n - 1) * q.page.per_page);
        }
        auto st = lease->prepare(selectWithCounts(where, tail));
        p.bindTo(st);
        page.results = readLists(st);
        tx.commit();
        out = std::move(page);
        return sdk::Status{};
    });
}

sdk::Status ListStoreImpl::get(sdk::Id id, sdk::List& out) noexcept {
    return guarded([&] {
        auto lease = db_.reader();
        auto lists = loadById(*lease, id);
        if (lists.empty()) return sdk::Status::notFound("list: not found");
        out = std::move(lists.front());
        return sdk::Status{};
    });
}

sdk::Status ListStoreImpl::getByUuids(const std::vector<std::string>& uuids, std::vector<sdk::List>& out) noexcept {
    return guarded([&] {
        std::vector<std::string> valid;
        for (const auto& u : uuids)
            if (auto v = uuidParam(u)) valid.push_back(std::move(*v));
        if (valid.empty()) {
            out.clear();
            return sdk::Status{};
        }
        static const std::string sql =
            selectWithCounts("lists.uuid IN (SELECT value FROM json_each(?1))", " ORDER BY lists.id");
        auto lease = db_.reader();
        auto st = lease->prepare(sql);
        st.bindAll(toJsonArray(valid));
        out = readLists(st);
        return sdk::Status{};
    });
}

sdk::Status ListStoreImpl::create(const sdk::ListDraft& draft, sdk::List& out) noexcept {
    return guarded([&] {
        if (!draft.name || draft.name->empty()) return sdk::Status::invalid("name: required");
        auto lease = db_.writer();
        Transaction tx(*lease);
        const std::string now = nowText();
        auto st = lease->prepare(
            "INSERT INTO lists (uuid, name, type, optin, status, tags, description, created_at, updated_at)"
            " VALUES (?1, ?2, COALESCE(?3, 'private'), COALESCE(?4, 'single'), COALESCE(?5, 'active'),"
            " COALESCE(?6, '[]'), COALESCE(?7, ''), ?8, ?8)");
        st.bindAll(newUuid(), *draft.name, optEnum(draft.type), optEnum(draft.optin), optEnum(draft.status),
                   optTags(draft.tags), draft.description, now);
        st.run();
        const sdk::Id id = lease->lastInsertId();
        auto lists = loadById(*lease, id);
        tx.commit();
        out = std::move(lists.at(0));
        return sdk::Status{};
    });
}

sdk::Status ListStoreImpl::update(sdk::Id id, const sdk::ListDraft& draft, sdk::List& out) noexcept {
    return guarded([&] {
        auto lease = db_.writer();
        Transaction tx(*lease);
        auto st = lease->prepare(
            "UPDATE lists SET name = COALESCE(?2, name), type = COALESCE(?3, type), optin = COALESCE(?4, optin),"
            " status = COALESCE(?5, status), tags = COALESCE(?6, tags), description = COALESCE(?7, description),"
            " updated_at = ?8 WHERE id = ?1");
        st.bindAll(id, draft.name, optEnum(draft.type), optEnum(draft.optin), optEnum(draft.status),
                   optTags(draft.tags), draft.description, nowText());
        if (st.run() == 0) return sdk::Status::notFound("list: not found");
        auto lists = loadById(*lease, id);
        tx.commit();
        out = std::move(lists.at(0));
        return sdk::Status{};
    });
}

sdk::Status ListStoreImpl::remove(const std::vector<sdk::Id>& ids, std::int64_t& affected) noexcept {
    return guarded([&] {
        affected = 0;
        if (ids.empty()) return sdk::Status{};
        auto lease = db_.writer();
        Transaction tx(*lease);
        // Memberships go with the list (ON DELETE CASCADE) and its counts with them (trigger).
        auto st = lease->prepare("DELETE FROM lists WHERE id IN (SELECT value FROM json_each(?1))");
        st.bindAll(idsJson(ids));
        const std::int64_t n = st.run();
        tx.commit();
        affected = n;
        return sdk::Status{};
    });
}

}  // namespace tidings::storage_sqlite
