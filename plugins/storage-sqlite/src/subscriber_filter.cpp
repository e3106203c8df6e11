#include "subscriber_filter.hpp"

#include <cctype>

#include "errors.hpp"
#include "json_array.hpp"
#include "rows.hpp"
#include "sandbox.hpp"
#include "subscriber_expression.hpp"
#include "transaction.hpp"

namespace tidings::storage_sqlite {
namespace {

// SQLite's lower() folds ASCII only; the needle is folded the same way so both sides agree.
std::string asciiLower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

}  // namespace

bool hasExpression(const sdk::SubscriberFilter& f) { return !normalisedExpression(f.sql_expression).empty(); }

bool isEmptyFilter(const sdk::SubscriberFilter& f) {
    return f.ids.empty() && f.search.empty() && f.list_ids.empty() && !hasExpression(f);
}

std::string filterCondition(const sdk::SubscriberFilter& f, QueryParams& p) {
    std::vector<std::string> conds;
    if (!f.ids.empty()) conds.push_back("subscribers.id IN (SELECT value FROM json_each(" + p.add(idsJson(f.ids)) + "))");
    if (!f.search.empty()) {
        // instr() rather than LIKE: '%' and '_' in the search are plain characters.
        const std::string needle = p.add(asciiLower(f.search));
        conds.push_back("(instr(lower(subscribers.name), " + needle + ") > 0 OR instr(lower(subscribers.email), " +
                        needle + ") > 0)");
    }
    if (!f.list_ids.empty()) {
        std::string c = "EXISTS (SELECT 1 FROM subscriber_lists sl WHERE sl.subscriber_id = subscribers.id"
                        " AND sl.list_id IN (SELECT value FROM json_each(" + p.add(idsJson(f.list_ids)) + "))";
        if (f.subscription_status) c += " AND sl.status = " + p.add(std::string(sdk::toString(*f.subscription_status)));
        conds.push_back(c + ")");
    }
    if (const std::string expr = normalisedExpression(f.sql_expression); !expr.empty())
        conds.push_back("(\n" + sqliteExpression(expr) + "\n)");
    if (conds.empty()) return "1";
    std::string out;
    for (std::size_t i = 0; i < conds.size(); ++i) out += (i ? " AND " : "") + conds[i];
    return out;
}

void runUserSelect(Connection& reader, const std::string& sql, const QueryParams& params,
                   const std::function<void(const Statement&)>& row) {
    QuerySandbox sandbox(reader);
    try {
        asUserQuery([&] {
            auto st = reader.prepareOnce(sql);
            params.bindTo(st);
            while (st.step()) row(st);
        });
    } catch (const StatusError&) {
        if (auto why = sandbox.refusal("query"); !why.empty()) throw StatusError(sdk::Status::invalid(why));
        throw;
    }
}

std::vector<sdk::Id> resolveGuardedIds(Database& db, const sdk::SubscriberFilter& filter) {
    QueryParams p;
    const std::string sql =
        "SELECT subscribers.id FROM subscribers WHERE " + filterCondition(filter, p) + " ORDER BY subscribers.id";
    auto lease = db.reader();
    std::vector<sdk::Id> ids;
    runUserSelect(*lease, sql, p, [&](const Statement& st) { ids.push_back(st.int64(0)); });
    return ids;
}

}  // namespace tidings::storage_sqlite
