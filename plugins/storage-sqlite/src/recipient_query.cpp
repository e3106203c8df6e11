#include "recipient_query.hpp"

#include <optional>

#include "errors.hpp"
#include "json_array.hpp"
#include "rows.hpp"
#include "sandbox.hpp"
#include "subscriber_expression.hpp"
#include "values.hpp"

namespace tidings::storage_sqlite {
namespace {

// A segment's errors name the field they came from rather than the subscribers `query`.
StatusError asSegmentError(const StatusError& e) {
    std::string message = e.status().message();
    if (message.rfind("query: ", 0) == 0) message.replace(0, 7, "segment: ");
    return StatusError(sdk::Status(e.status().code(), std::move(message)));
}

bool selectsNobody(const RecipientScope& scope) { return scope.list_ids.empty() && scope.segment.empty(); }

// The recipient condition over (?1, ?2]; ?3 is the JSON array of list ids when there are lists.
std::string condition(const RecipientScope& scope) {
    std::string where = "subscribers.id > ?1 AND subscribers.id <= ?2 AND subscribers.status <> 'blocklisted'";
    if (!scope.list_ids.empty()) {
        const char* allowed = scope.type == sdk::CampaignType::Optin
                                  ? "sl.status = 'unconfirmed' AND l.optin = 'double'"
                                  : "(sl.status = 'confirmed' OR (sl.status = 'unconfirmed' AND l.optin = 'single'))";
        where += " AND EXISTS (SELECT 1 FROM subscriber_lists sl JOIN lists l ON l.id = sl.list_id"
                 " WHERE sl.subscriber_id = subscribers.id AND sl.list_id IN (SELECT value FROM json_each(?3))"
                 " AND ";
        where += allowed;
        where += ")";
    }
    if (!scope.segment.empty()) {
        // sqliteExpression() refuses a segment that could escape its parentheses and past the
        // conditions above ("x) OR (1=1").
        try {
            where += " AND (\n" + sqliteExpression(scope.segment) + "\n)";
        } catch (const StatusError& e) {
            throw asSegmentError(e);
        }
    }
    return where;
}

// Compiles and runs `sql` with the scope's parameters bound, handing the statement to `body`.
// Without a segment the statement is ours alone and is cached; with one it is compiled once
// under the sandbox and every database error is the segment's ("segment: ...").
template <typename Body>
auto runSelection(Connection& conn, const RecipientScope& scope, const std::string& sql, sdk::Id lo, sdk::Id hi,
                  std::optional<std::int64_t> limit, Body&& body) {
    const auto bindScope = [&](Statement& st) {
        st.bind(1, lo).bind(2, hi);
        if (!scope.list_ids.empty()) st.bind(3, idsJson(scope.list_ids));
        if (limit) st.bind(4, *limit);
    };
    if (scope.segment.empty()) {
        auto st = conn.prepare(sql);
        bindScope(st);
        return body(st);
    }
    QuerySandbox sandbox(conn);
    try {
        return asUserQuery([&] {
            auto st = conn.prepareOnce(sql);
            bindScope(st);
            return body(st);
        });
    } catch (const StatusError& e) {
        if (auto why = sandbox.refusal("segment"); !why.empty()) throw StatusError(sdk::Status::invalid(why));
        throw asSegmentError(e);
    }
}

}  // namespace

bool loadScope(Connection& conn, sdk::Id campaign_id, RecipientScope& out) {
    {
        auto st = conn.prepare(
            "SELECT type, status, segment, max_subscriber_id, last_subscriber_id FROM campaigns WHERE id = ?1");
        st.bindAll(campaign_id);
        if (!st.step()) return false;
        out.campaign_id = campaign_id;
        out.type = enumFrom<sdk::CampaignType>(st.text(0));
        out.status = enumFrom<sdk::CampaignStatus>(st.text(1));
        out.segment = normalisedExpression(st.text(2));
        out.max_subscriber_id = st.int64(3);
        out.last_subscriber_id = st.int64(4);
    }
    out.list_ids.clear();
    auto st = conn.prepare(
        "SELECT list_id FROM campaign_lists WHERE campaign_id = ?1 AND list_id IS NOT NULL ORDER BY list_id");
    st.bindAll(campaign_id);
    while (st.step()) out.list_ids.push_back(st.int64(0));
    return true;
}

std::int64_t countRecipients(Connection& reader, const RecipientScope& scope, sdk::Id hi) {
    if (selectsNobody(scope)) return 0;
    const std::string sql = "SELECT COUNT(*) FROM subscribers WHERE " + condition(scope);
    return runSelection(reader, scope, sql, 0, hi, std::nullopt,
                        [](Statement& st) { return st.step() ? st.int64(0) : std::int64_t{0}; });
}

std::vector<sdk::Subscriber> selectRecipients(Connection& reader, const RecipientScope& scope, sdk::Id lo,
                                              sdk::Id hi, std::size_t limit) {
    if (selectsNobody(scope)) return {};
    const std::string sql = "SELECT " + subscriberColumns() + " FROM subscribers WHERE " + condition(scope) +
                            " ORDER BY subscribers.id LIMIT ?4";
    // A negative LIMIT is SQLite's "no limit".
    const std::int64_t n = limit == 0 ? -1 : static_cast<std::int64_t>(limit);
    return runSelection(reader, scope, sql, lo, hi, n, [&](Statement& st) {
        std::vector<sdk::Subscriber> out;
        if (limit) out.reserve(limit);
        while (st.step()) out.push_back(readSubscriber(st));
        return out;
    });
}

void checkSegment(Connection& reader, const std::string& segment) {
    RecipientScope scope;
    scope.segment = normalisedExpression(segment);
    if (scope.segment.empty()) return;
    const std::string sql = "SELECT subscribers.id FROM subscribers WHERE " + condition(scope) + " LIMIT 0";
    runSelection(reader, scope, sql, 0, 0, std::nullopt, [](Statement& st) { return st.step(); });
}

}  // namespace tidings::storage_sqlite
