// /api/settings: runtime settings with listmonk's keys, applied live.

#include "kernel/api/api_context.hpp"
#include "kernel/http/handler_support.hpp"
#include "kernel/http/request_input.hpp"

namespace tidings::kernel {

void addSettingsRoutes(Router& router, ApiContext& ctx) {
    addKernelRoute(router, authed("GET", "/api/settings", "settings:get"), [&ctx](const sdk::Request&, sdk::Response& rs) {
        sendDataJson(rs, ctx.settings.maskedJson());
    });

    addKernelRoute(router, authed("PUT", "/api/settings", "settings:manage"), [&ctx](const sdk::Request& rq, sdk::Response& rs) {
        ctx.settings.update(*bodyObject(rq));
        sendTrue(rs);
    });

    addKernelRoute(router, authed("PUT", "/api/settings/:key", "settings:manage"), [&ctx](const sdk::Request& rq, sdk::Response& rs) {
        // The body is the raw JSON value of one key.
        Poco::JSON::Object changes;
        changes.set(std::string(rq.param("key")), parseJsonBody(rq.body));
        ctx.settings.update(changes);
        sendTrue(rs);
    });
}

}  // namespace tidings::kernel
