// GET /api/subscribers/export: the subscribers selected by the same parameters as the listing
// (query, search, list_id, id, subscription_status) as CSV, in the shape imports read back
// (uuid,email,name,attributes,status,created_at,updated_at).
#include <charconv>

#include "kernel/api/import_api.hpp"
#include "kernel/core/json_writer.hpp"
#include "kernel/http/handler_support.hpp"
#include "kernel/http/http_error.hpp"
#include "kernel/http/request_input.hpp"

namespace tidings::kernel {
namespace {

/// RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled.
void appendCsvField(std::string& out, std::string_view text) {
    if (text.find_first_of(",\"\r\n") == std::string_view::npos) {
        out.append(text);
        return;
    }
    out.push_back('"');
    for (char c : text) {
        if (c == '"') out.push_back('"');
        out.push_back(c);
    }
    out.push_back('"');
}

void exportSubscribers(BulkApiContext& ctx, const sdk::Request& request, sdk::Response& response) {
    sdk::SubscriberQuery q;
    q.filter.sql_expression = std::string(request.queryValue("query").value_or(""));
    q.filter.search = std::string(request.queryValue("search").value_or(""));
    q.filter.list_ids = queryIds(request, "list_id");
    q.filter.ids = queryIds(request, "id");
    if (auto status = request.queryValue("subscription_status"); status && !status->empty()) {
        auto parsed = sdk::parseEnum<sdk::SubscriptionStatus>(*status);
        if (!parsed) throw HttpError(400, "subscription_status: must be one of unconfirmed, confirmed, unsubscribed");
        q.filter.subscription_status = parsed;
    }
    if (!q.filter.sql_expression.empty()) {
        // A query runs raw SQL against the store: it needs its own permission, as on the listing.
        AuthOutcome who = ctx.authenticator.authenticate(request);
        if (who.result != AuthOutcome::Result::Ok || !who.principal.can("subscribers:sql_query")) {
            throw HttpError(403, "permission denied: subscribers:sql_query");
        }
    }
    q.order_by = "id";
    std::string out = "uuid,email,name,attributes,status,created_at,updated_at\n";
    ctx.subscribers.stream(q, [&](const std::vector<sdk::Subscriber>& batch) {
        for (const auto& s : batch) {
            appendCsvField(out, s.uuid);
            out.push_back(',');
            appendCsvField(out, s.email);
            out.push_back(',');
            appendCsvField(out, s.name);
            out.push_back(',');
            appendCsvField(out, s.attribs_json);
            out.push_back(',');
            out.append(sdk::toString(s.status));
            out.push_back(',');
            out.append(formatTimestamp(s.created_at));
            out.push_back(',');
            out.append(formatTimestamp(s.updated_at));
            out.push_back('\n');
        }
        return true;
    });
    response.status = 200;
    response.content_type = "text/csv; charset=utf-8";
    response.headers.emplace_back("Content-Disposition", "attachment; filename=\"subscribers.csv\"");
    response.body = std::move(out);
}

}  // namespace

void addSubscriberExportRoutes(Router& router, BulkApiContext& ctx) {
    addKernelRoute(router, authed("GET", "/api/subscribers/export", "subscribers:get_all|subscribers:get"),
                   [&ctx](const sdk::Request& rq, sdk::Response& rs) { exportSubscribers(ctx, rq, rs); });
}

}  // namespace tidings::kernel
