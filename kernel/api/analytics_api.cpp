#include "kernel/api/analytics_routes.hpp"
#include "kernel/http/handler_support.hpp"
#include "kernel/http/request_input.hpp"

namespace tidings::kernel {

void addAnalyticsRoutes(Router& router, TrackingService& tracking) {
    addKernelRoute(router, authed("GET", "/api/campaigns/analytics/:type", "campaigns:get_analytics"),
                   [&tracking](const sdk::Request& rq, sdk::Response& rs) {
                       const std::string type(rq.param("type"));
                       const Analytics a = tracking.analytics(type, queryIds(rq, "id"),
                                                              std::string(rq.queryValue("from").value_or("")),
                                                              std::string(rq.queryValue("to").value_or("")));
                       JsonWriter w;
                       w.beginArray();
                       if (type == "links") {
                           for (const auto& l : a.links)
                               w.beginObject().key("url").value(l.url).key("count").value(l.count).endObject();
                       } else {
                           for (const auto& p : a.points) {
                               w.beginObject().key("campaign_id").value(p.campaign_id).key("count").value(p.count);
                               w.key("timestamp").value(p.timestamp).endObject();
                           }
                       }
                       w.endArray();
                       sendDataJson(rs, w.str());
                   });
}

}  // namespace tidings::kernel
