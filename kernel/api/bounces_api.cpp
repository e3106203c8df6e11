// /api/bounces and /api/subscribers/:id/bounces: listing, reading and deleting bounce records.
#include "kernel/api/bounce_routes.hpp"
#include "kernel/http/handler_support.hpp"
#include "kernel/http/http_error.hpp"
#include "kernel/http/request_input.hpp"

namespace tidings::kernel {
namespace {

constexpr const char* kGet = "bounces:get";
constexpr const char* kManage = "bounces:manage";

void writeBounce(JsonWriter& w, const sdk::Bounce& b) {
    w.beginObject();
    w.key("id").value(b.id);
    w.key("type").value(sdk::toString(b.type));
    w.key("source").value(b.source);
    w.key("meta").raw(b.meta_json.empty() ? "{}" : b.meta_json);
    w.key("created_at").value(b.created_at);
    w.key("email").value(b.email);
    w.key("subscriber_uuid").value(b.subscriber_uuid);
    w.key("subscriber_id").value(b.subscriber_id);
    w.key("campaign");
    if (b.campaign_id == 0) {
        w.null();
    } else {
        w.beginObject().key("id").value(b.campaign_id).key("uuid").value(b.campaign_uuid);
        w.key("name").value(b.campaign_name).endObject();
    }
    w.endObject();
}

void sendBounces(sdk::Response& response, const sdk::PageRequest& page, const sdk::BouncePage& bounces) {
    sendDataJson(response, pagedResults(page, "", "", [&](JsonWriter& w) {
                     for (const auto& b : bounces.results) writeBounce(w, b);
                     return bounces.total;
                 }));
}

void listBounces(BounceService& service, const sdk::Request& request, sdk::Response& response) {
    sdk::BounceQuery q;
    if (auto ids = queryIds(request, "campaign_id"); !ids.empty()) q.campaign_id = ids.front();
    q.source = std::string(request.queryValue("source").value_or(""));
    if (auto t = request.queryValue("type"); t && !t->empty()) {
        q.type = sdk::parseEnum<sdk::BounceType>(*t);
        if (!q.type) throw HttpError(400, "type: must be one of soft, hard, complaint");
    }
    q.order_by = BounceService::orderColumn(std::string(request.queryValue("order_by").value_or("")));
    q.order = orderParam(request, sdk::SortOrder::Desc);
    const sdk::PageRequest page = pageParams(request);
    q.page = page.page;
    q.per_page = page.per_page;
    sendBounces(response, page, service.query(q));
}

}  // namespace

void addBounceRoutes(Router& router, BounceService& service) {
    addKernelRoute(router, authed("GET", "/api/bounces", kGet),
                   [&service](const sdk::Request& rq, sdk::Response& rs) { listBounces(service, rq, rs); });

    addKernelRoute(router, authed("GET", "/api/bounces/:id", kGet), [&service](const sdk::Request& rq, sdk::Response& rs) {
        JsonWriter w;
        writeBounce(w, service.get(idParam(rq)));
        sendDataJson(rs, w.str());
    });

    addKernelRoute(router, authed("PUT", "/api/bounces/blocklist", kManage),
                   [&service](const sdk::Request&, sdk::Response& rs) {
                       service.blocklistBounced();
                       sendTrue(rs);
                   });

    addKernelRoute(router, authed("DELETE", "/api/bounces/:id", kManage),
                   [&service](const sdk::Request& rq, sdk::Response& rs) {
                       if (service.remove({idParam(rq)}) == 0) throw HttpError(404, "bounce not found");
                       sendTrue(rs);
                   });

    addKernelRoute(router, authed("DELETE", "/api/bounces", kManage), [&service](const sdk::Request& rq, sdk::Response& rs) {
        if (rq.queryValue("all") == std::optional<std::string_view>("true")) {
            service.removeAll(std::nullopt);
        } else {
            auto ids = queryIds(rq, "id");
            if (ids.empty()) throw HttpError(400, "id: at least one id, or all=true, is required");
            service.remove(ids);
        }
        sendTrue(rs);
    });

    addKernelRoute(router, authed("GET", "/api/subscribers/:id/bounces", kGet),
                   [&service](const sdk::Request& rq, sdk::Response& rs) {
                       sdk::BounceQuery q;
                       q.subscriber_id = idParam(rq);
                       q.per_page = 1000;  // listmonk's cap for one subscriber
                       JsonWriter w;
                       w.beginArray();
                       for (const auto& b : service.query(q).results) writeBounce(w, b);
                       w.endArray();
                       sendDataJson(rs, w.str());
                   });

    addKernelRoute(router, authed("DELETE", "/api/subscribers/:id/bounces", kManage),
                   [&service](const sdk::Request& rq, sdk::Response& rs) {
                       service.removeAll(idParam(rq));
                       sendTrue(rs);
                   });
}

}  // namespace tidings::kernel
