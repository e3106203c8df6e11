// /api/subscribers: listing, CRUD, list memberships, blocklisting and bulk actions by query.
#include <Poco/JSON/Object.h>

#include "kernel/api/api_context.hpp"
#include "kernel/api/extra_permission.hpp"
#include "kernel/http/handler_support.hpp"
#include "kernel/http/request_input.hpp"
#include "kernel/core/model_json.hpp"
#include "kernel/http/http_error.hpp"

namespace tidings::kernel {
namespace {

constexpr const char* kGet = "subscribers:get_all|subscribers:get";
constexpr const char* kManage = "subscribers:manage";

/// A `query` runs raw SQL against the store, so it needs its own permission on top of the
/// route's, as in listmonk.
void requireSqlPermission(ApiContext& ctx, const sdk::Request& request, const std::string& query) {
    if (!query.empty()) requirePermission(ctx, request, "subscribers:sql_query");
}

std::optional<sdk::SubscriptionStatus> subscriptionStatus(std::optional<std::string> text) {
    if (!text || text->empty()) return std::nullopt;
    auto status = sdk::parseEnum<sdk::SubscriptionStatus>(*text);
    if (!status) throw HttpError(400, "subscription_status: must be one of unconfirmed, confirmed, unsubscribed");
    return status;
}

SubscriberInput subscriberInput(const Poco::JSON::Object& body) {
    SubscriberInput in;
    in.email = optString(body, "email");
    in.name = optString(body, "name");
    in.status = optString(body, "status");
    in.attribs_json = optObjectJson(body, "attribs");
    in.lists = optIds(body, "lists");
    in.preconfirm_subscriptions = optBool(body, "preconfirm_subscriptions").value_or(false);
    return in;
}

void sendSubscriber(sdk::Response& response, const sdk::Subscriber& s) {
    JsonWriter w;
    writeSubscriber(w, s);
    sendDataJson(response, w.str());
}

/// The filter of a by-query bulk action: {query, search, list_ids, subscription_status, all}.
/// Without `all: true`, an empty query and search would select everyone, so it is refused.
sdk::SubscriberFilter bulkFilter(ApiContext& ctx, const sdk::Request& request, const Poco::JSON::Object& body) {
    sdk::SubscriberFilter filter;
    bool all = optBool(body, "all").value_or(false);
    if (!all) {
        filter.sql_expression = optString(body, "query").value_or("");
        filter.search = optString(body, "search").value_or("");
        if (filter.sql_expression.empty() && filter.search.empty()) {
            throw HttpError(400, "query: a query or search is required (or all: true)");
        }
        requireSqlPermission(ctx, request, filter.sql_expression);
    }
    filter.list_ids = optIds(body, "list_ids").value_or(std::vector<sdk::Id>{});
    filter.subscription_status = subscriptionStatus(optString(body, "subscription_status"));
    return filter;
}

sdk::SubscriptionChange listChange(const Poco::JSON::Object& body) {
    sdk::SubscriptionChange change;
    std::string action = optString(body, "action").value_or("");
    if (action == "add") {
        change.action = sdk::SubscriptionAction::Add;
    } else if (action == "remove") {
        change.action = sdk::SubscriptionAction::Remove;
    } else if (action == "unsubscribe") {
        change.action = sdk::SubscriptionAction::Unsubscribe;
    } else {
        throw HttpError(400, "action: must be one of add, remove, unsubscribe");
    }
    change.list_ids = optIds(body, "target_list_ids").value_or(std::vector<sdk::Id>{});
    if (change.list_ids.empty()) throw HttpError(400, "target_list_ids: at least one list is required");
    auto status = subscriptionStatus(optString(body, "status"));
    change.overwrite_status = status.has_value();
    change.status = status.value_or(sdk::SubscriptionStatus::Unconfirmed);
    return change;
}

void listSubscribers(ApiContext& ctx, const sdk::Request& request, sdk::Response& response) {
    sdk::SubscriberQuery q;
    q.filter.sql_expression = std::string(request.queryValue("query").value_or(""));
    q.filter.search = std::string(request.queryValue("search").value_or(""));
    q.filter.list_ids = queryIds(request, "list_id");
    q.filter.subscription_status =
        subscriptionStatus(std::optional<std::string>(request.queryValue("subscription_status")));
    q.order_by = SubscriberService::orderColumn(std::string(request.queryValue("order_by").value_or("")));
    q.order = orderParam(request, sdk::SortOrder::Asc);
    q.page = pageParams(request);
    requireSqlPermission(ctx, request, q.filter.sql_expression);

    if (q.page.per_page == 0) {
        // per_page=all: stream batches straight into the body instead of holding every
        // subscriber object at once.
        sendDataJson(response, pagedResults(q.page, q.filter.sql_expression, q.filter.search, [&](JsonWriter& w) {
                         std::int64_t total = 0;
                         ctx.subscribers.stream(q, [&](const std::vector<sdk::Subscriber>& batch) {
                             for (const auto& s : batch) writeSubscriber(w, s);
                             total += static_cast<std::int64_t>(batch.size());
                             return true;
                         });
                         return total;
                     }));
        return;
    }
    auto page = ctx.subscribers.query(q);
    sendDataJson(response, pagedResults(q.page, q.filter.sql_expression, q.filter.search, [&](JsonWriter& w) {
                     for (const auto& s : page.results) writeSubscriber(w, s);
                     return page.total;
                 }));
}

}  // namespace

void addSubscriberRoutes(Router& router, ApiContext& ctx) {
    addKernelRoute(router, authed("GET", "/api/subscribers", kGet),
        [&ctx](const sdk::Request& rq, sdk::Response& rs) { listSubscribers(ctx, rq, rs); });

    addKernelRoute(router, authed("GET", "/api/subscribers/:id", kGet), [&ctx](const sdk::Request& rq, sdk::Response& rs) {
        sendSubscriber(rs, ctx.subscribers.get(idParam(rq)));
    });

    // listmonk sends the export as a bare JSON download (no {"data"} envelope), whatever
    // privacy.allow_export says: that setting governs the subscriber's own export.
    addKernelRoute(router, authed("GET", "/api/subscribers/:id/export", kGet), [&ctx](const sdk::Request& rq, sdk::Response& rs) {
        auto data = ctx.subscribers.exportData(ctx.subscribers.get(idParam(rq)));
        rs.headers.emplace_back("Cache-Control", "no-cache");
        rs.headers.emplace_back("Content-Disposition", "attachment; filename=\"data.json\"");
        rs.json(200, std::move(data.json));
    });
    addKernelRoute(router, authed("POST", "/api/subscribers", kManage), [&ctx](const sdk::Request& rq, sdk::Response& rs) {
        sendSubscriber(rs, ctx.subscribers.create(subscriberInput(*bodyObject(rq))));
    });

    addKernelRoute(router, authed("PUT", "/api/subscribers/:id", kManage), [&ctx](const sdk::Request& rq, sdk::Response& rs) {
        sendSubscriber(rs, ctx.subscribers.update(idParam(rq), subscriberInput(*bodyObject(rq)), false));
    });

    addKernelRoute(router, authed("PATCH", "/api/subscribers/:id", kManage), [&ctx](const sdk::Request& rq, sdk::Response& rs) {
        sendSubscriber(rs, ctx.subscribers.update(idParam(rq), subscriberInput(*bodyObject(rq)), true));
    });

    addKernelRoute(router, authed("POST", "/api/subscribers/:id/optin", kManage), [&ctx](const sdk::Request& rq, sdk::Response& rs) {
        // As in listmonk: true whether or not any list awaited confirmation.
        ctx.subscribers.sendOptin(ctx.subscribers.get(idParam(rq)));
        sendTrue(rs);
    });

    addKernelRoute(router, authed("DELETE", "/api/subscribers/:id", kManage), [&ctx](const sdk::Request& rq, sdk::Response& rs) {
        sdk::SubscriberFilter filter;
        filter.ids = {idParam(rq)};
        if (ctx.subscribers.remove(filter) == 0) throw HttpError(404, "subscriber not found");
        sendTrue(rs);
    });

    addKernelRoute(router, authed("DELETE", "/api/subscribers", kManage), [&ctx](const sdk::Request& rq, sdk::Response& rs) {
        sdk::SubscriberFilter filter;
        filter.ids = queryIds(rq, "id");
        if (filter.ids.empty()) throw HttpError(400, "id: at least one id is required");
        ctx.subscribers.remove(filter);
        sendTrue(rs);
    });

    addKernelRoute(router, authed("PUT", "/api/subscribers/blocklist", kManage), [&ctx](const sdk::Request& rq, sdk::Response& rs) {
        sdk::SubscriberFilter filter;
        filter.ids = optIds(*bodyObject(rq), "ids").value_or(std::vector<sdk::Id>{});
        if (filter.ids.empty()) throw HttpError(400, "ids: at least one id is required");
        ctx.subscribers.blocklist(filter);
        sendTrue(rs);
    });

    addKernelRoute(router, authed("PUT", "/api/subscribers/:id/blocklist", kManage), [&ctx](const sdk::Request& rq, sdk::Response& rs) {
        sdk::SubscriberFilter filter;
        filter.ids = {idParam(rq)};
        if (ctx.subscribers.blocklist(filter) == 0) throw HttpError(404, "subscriber not found");
        sendTrue(rs);
    });

    auto changeLists = [&ctx](const sdk::Request& rq, sdk::Response& rs) {
        auto body = bodyObject(rq);
        sdk::SubscriberFilter filter;
        filter.ids = optIds(*body, "ids").value_or(std::vector<sdk::Id>{});
        if (!rq.param("id").empty()) filter.ids.push_back(idParam(rq));
        if (filter.ids.empty()) throw HttpError(400, "ids: at least one id is required");
        ctx.subscribers.changeSubscriptions(filter, listChange(*body));
        sendTrue(rs);
    };
    addKernelRoute(router, authed("PUT", "/api/subscribers/lists", kManage), changeLists);
    addKernelRoute(router, authed("PUT", "/api/subscribers/lists/:id", kManage), changeLists);

    addKernelRoute(router, authed("POST", "/api/subscribers/query/delete", kManage), [&ctx](const sdk::Request& rq, sdk::Response& rs) {
        auto body = bodyObject(rq);
        auto count = ctx.subscribers.remove(bulkFilter(ctx, rq, *body));
        sendDataJson(rs, "{\"count\":" + std::to_string(count) + "}");
    });

    addKernelRoute(router, authed("PUT", "/api/subscribers/query/blocklist", kManage), [&ctx](const sdk::Request& rq, sdk::Response& rs) {
        auto body = bodyObject(rq);
        auto count = ctx.subscribers.blocklist(bulkFilter(ctx, rq, *body));
        sendDataJson(rs, "{\"count\":" + std::to_string(count) + "}");
    });

    addKernelRoute(router, authed("PUT", "/api/subscribers/query/lists", kManage), [&ctx](const sdk::Request& rq, sdk::Response& rs) {
        auto body = bodyObject(rq);
        auto filter = bulkFilter(ctx, rq, *body);
        auto count = ctx.subscribers.changeSubscriptions(filter, listChange(*body));
        sendDataJson(rs, "{\"count\":" + std::to_string(count) + "}");
    });
}

}  // namespace tidings::kernel
