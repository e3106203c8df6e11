// /api/settings: runtime settings with listmonk's keys, applied live.

#include "kernel/api/api_context.hpp"
#include "kernel/core/json_value.hpp"
#include "kernel/http/handler_support.hpp"
#include "kernel/http/request_input.hpp"
#include "kernel/http/http_error.hpp"

namespace tidings::kernel {

void addSettingsRoutes(Router& router, ApiContext& ctx) {
    auto add = [&](sdk::RouteSpec spec, std::function<void(const sdk::Request&, sdk::Response&)> fn) {
        throwIfError(router.add(std::move(spec), handled(std::move(fn)), "kernel"));
    };

    add(authed("GET", "/api/settings", "settings:get"), [&ctx](const sdk::Request&, sdk::Response& rs) {
        sendDataJson(rs, ctx.settings.maskedJson());
    });

    add(authed("PUT", "/api/settings", "settings:manage"), [&ctx](const sdk::Request& rq, sdk::Response& rs) {
        ctx.settings.update(*bodyObject(rq));
        sendTrue(rs);
    });

    add(authed("PUT", "/api/settings/:key", "settings:manage"), [&ctx](const sdk::Request& rq, sdk::Response& rs) {
        // The body is the raw JSON value of one key.
        Poco::JSON::Object changes;
        try {
            changes.set(std::string(rq.param("key")), parseJsonValue(rq.body));
        } catch (const Poco::Exception& e) {
            throw HttpError(400, "invalid JSON body: " + e.message());
        }
        ctx.settings.update(changes);
        sendTrue(rs);
    });
}

}  // namespace tidings::kernel
