#include "subscriber_filter.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include "expression_policy.hpp"
#include "transaction.hpp"

namespace tidings::storage_pg {
namespace {

// listmonk's allowlist for `query` expressions.
constexpr std::array<std::string_view, 9> kAllowedRelations{
    "subscribers", "lists",         "subscriber_lists", "campaigns", "campaign_lists",
    "campaign_views", "links", "link_clicks", "bounces"};

// Every "Relation Name" value in EXPLAIN's JSON text.
std::vector<std::string> relationNames(const std::string& plan) {
    std::vector<std::string> out;
    static constexpr std::string_view key = "\"Relation Name\":";
    for (std::size_t pos = plan.find(key); pos != std::string::npos; pos = plan.find(key, pos)) {
        pos = plan.find('"', pos + key.size());
        if (pos == std::string::npos) break;
        std::string name;
        for (++pos; pos < plan.size() && plan[pos] != '"'; ++pos) {
            if (plan[pos] == '\\' && pos + 1 < plan.size()) ++pos;
            name += plan[pos];
        }
        out.push_back(std::move(name));
    }
    return out;
}

}  // namespace

std::string normalisedExpression(const sdk::SubscriberFilter& filter) {
    std::string e = filter.sql_expression;
    auto is_trim = [](char c) { return std::isspace(static_cast<unsigned char>(c)) || c == ';'; };
    while (!e.empty() && is_trim(e.back())) e.pop_back();
    std::size_t start = 0;
    while (start < e.size() && std::isspace(static_cast<unsigned char>(e[start]))) ++start;
    return e.substr(start);
}

std::string filterCondition(const sdk::SubscriberFilter& f, Params& p) {
    std::vector<std::string> conds;
    if (!f.ids.empty()) conds.push_back("subscribers.id = ANY(" + p.add(bigintArray(f.ids)) + "::int8[])");
    if (!f.search.empty()) {
        const std::string like = p.add(likeContains(f.search));
        conds.push_back("(subscribers.name ILIKE " + like + " OR subscribers.email ILIKE " + like + ")");
    }
    if (!f.list_ids.empty()) {
        std::string c = "EXISTS (SELECT 1 FROM subscriber_lists sl WHERE sl.subscriber_id = subscribers.id"
                        " AND sl.list_id = ANY(" + p.add(bigintArray(f.list_ids)) + "::int8[])";
        if (f.subscription_status)
            c += " AND sl.status = " + p.add(std::string(sdk::toString(*f.subscription_status)));
        conds.push_back(c + ")");
    }
    if (const std::string expr = normalisedExpression(f); !expr.empty()) {
        checkUserExpression(expr);
        conds.push_back("(\n" + expr + "\n)");
    }
    if (conds.empty()) return "TRUE";
    std::string out;
    for (std::size_t i = 0; i < conds.size(); ++i) out += (i ? " AND " : "") + conds[i];
    return out;
}

void checkPlanRelations(Lease& lease, const std::string& select_sql, const Params& params) {
    Result r = lease.exec("EXPLAIN (FORMAT JSON) " + select_sql, params);
    std::string plan;
    for (int i = 0; i < r.rows(); ++i) plan += r.text(i, 0);
    for (const auto& name : relationNames(plan)) {
        if (std::find(kAllowedRelations.begin(), kAllowedRelations.end(), name) ==
            kAllowedRelations.end())
            throw StatusError(sdk::Status::invalid("query: table '" + name + "' is not allowed"));
    }
}

void enterQuerySandbox(Lease& lease) {
    // A no-op where the role could not be created or granted (see migration 3).
    lease.exec(
        "SELECT set_config('role', 'tidings_query_reader', true) WHERE EXISTS ("
        " SELECT 1 FROM pg_roles r WHERE r.rolname = 'tidings_query_reader'"
        " AND pg_has_role(current_user, r.oid, 'MEMBER'))");
}

std::vector<sdk::Id> resolveGuardedIds(Lease& lease, const sdk::SubscriberFilter& filter,
                                       std::chrono::milliseconds timeout) {
    Params p;
    const std::string sql = "SELECT subscribers.id FROM subscribers WHERE " +
                            filterCondition(filter, p) + " ORDER BY subscribers.id";
    return asUserQuery([&] {
        Transaction tx(lease, Transaction::Mode::ReadOnly);
        tx.statementTimeout(timeout);
        checkPlanRelations(lease, sql, p);  // before the sandbox, for its clearer message
        enterQuerySandbox(lease);
        Result r = lease.exec(sql, p);
        std::vector<sdk::Id> ids;
        ids.reserve(static_cast<std::size_t>(r.rows()));
        for (int i = 0; i < r.rows(); ++i) ids.push_back(r.int64(i, 0));
        tx.commit();
        return ids;
    });
}

}  // namespace tidings::storage_pg
