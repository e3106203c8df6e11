#include "recipient_query.hpp"

#include "rows.hpp"
#include "subscriber_filter.hpp"
#include "transaction.hpp"

namespace tidings::storage_pg {
namespace {

// A segment's errors name the field they came from rather than the subscribers `query`.
StatusError asSegmentError(const StatusError& e) {
    std::string message = e.status().message();
    if (message.rfind("query: ", 0) == 0) message = "segment: " + message.substr(7);
    return StatusError(sdk::Status(e.status().code(), std::move(message)));
}

std::string condition(const RecipientScope& scope, Params& p, sdk::Id lo, sdk::Id hi) {
    if (scope.list_ids.empty() && scope.segment.empty()) return "FALSE";
    std::string where = "subscribers.id > " + p.add(lo) + "::int8 AND subscribers.id <= " + p.add(hi) +
                        "::int8 AND subscribers.status <> 'blocklisted'";
    if (!scope.list_ids.empty()) {
        const char* allowed = scope.type == sdk::CampaignType::Optin
                                  ? "sl.status = 'unconfirmed' AND l.optin = 'double'"
                                  : "(sl.status = 'confirmed' OR (sl.status = 'unconfirmed' AND l.optin = 'single'))";
        where += " AND EXISTS (SELECT 1 FROM subscriber_lists sl JOIN lists l ON l.id = sl.list_id"
                 " WHERE sl.subscriber_id = subscribers.id AND sl.list_id = ANY(" +
                 p.add(bigintArray(scope.list_ids)) + "::int8[]) AND " + allowed + ")";
    }
    if (!scope.segment.empty()) {
        sdk::SubscriberFilter f;
        f.sql_expression = scope.segment;
        try {
            where += " AND " + filterCondition(f, p);
        } catch (const StatusError& e) {
            throw asSegmentError(e);
        }
    }
    return where;
}

template <typename Body>
auto guardedSegment(Lease& lease, std::chrono::milliseconds timeout, const std::string& sql,
                    const Params& p, Body&& body) {
    try {
        return asUserQuery([&] {
            Transaction tx(lease, Transaction::Mode::ReadOnly);
            tx.statementTimeout(timeout);
            checkPlanRelations(lease, sql, p);
            enterQuerySandbox(lease);
            auto out = body();
            tx.commit();
            return out;
        });
    } catch (const StatusError& e) {
        throw asSegmentError(e);
    }
}

}  // namespace

bool loadScope(Lease& lease, sdk::Id campaign_id, RecipientScope& out) {
    Params p;
    p.add(campaign_id);
    Result r = lease.execPrepared(
        "recipient_scope",
        "SELECT c.type, c.status, c.segment, c.max_subscriber_id, c.last_subscriber_id,"
        " ARRAY(SELECT cl.list_id FROM campaign_lists cl WHERE cl.campaign_id = c.id"
        "       AND cl.list_id IS NOT NULL ORDER BY cl.list_id)::text"
        " FROM campaigns c WHERE c.id = $1::int8",
        p);
    if (r.rows() == 0) return false;
    out.campaign_id = campaign_id;
    out.type = enumFrom<sdk::CampaignType>(r.text(0, 0));
    out.status = enumFrom<sdk::CampaignStatus>(r.text(0, 1));
    out.segment = r.str(0, 2);
    out.max_subscriber_id = r.int64(0, 3);
    out.last_subscriber_id = r.int64(0, 4);
    out.list_ids.clear();
    for (const auto& id : parseTextArray(r.text(0, 5))) out.list_ids.push_back(std::stoll(id));
    return true;
}

Result selectRecipients(Lease& lease, const RecipientScope& scope, const std::string& columns,
                        sdk::Id lo, sdk::Id hi, const std::string& tail,
                        std::chrono::milliseconds timeout) {
    Params p;
    const std::string sql = "SELECT " + columns + " FROM subscribers WHERE " + condition(scope, p, lo, hi) + tail;
    if (scope.segment.empty()) return lease.exec(sql, p);
    return guardedSegment(lease, timeout, sql, p, [&] { return lease.exec(sql, p); });
}

void checkSegment(Lease& lease, const std::string& segment, std::chrono::milliseconds timeout) {
    if (segment.empty()) return;
    RecipientScope scope;
    scope.segment = segment;
    Params p;
    const std::string sql = "SELECT subscribers.id FROM subscribers WHERE " + condition(scope, p, 0, 0) + " LIMIT 0";
    guardedSegment(lease, timeout, sql, p, [&] { return lease.exec(sql, p).rows(); });
}

}  // namespace tidings::storage_pg
