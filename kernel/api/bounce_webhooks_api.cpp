// The webhooks that record bounces: listmonk's generic POST /webhooks/bounce (authenticated,
// webhooks:post_bounce) and POST /webhooks/service/<provider>, answered by the bounce provider
// plugin of that name. Both answer only while `bounce.enabled` and `bounce.webhooks_enabled`
// are on. Events are recorded before the answer, so a 200 means the bounce is stored.
#include <Poco/Logger.h>

#include "kernel/api/bounce_routes.hpp"
#include "kernel/core/status_error.hpp"
#include "kernel/http/handler_support.hpp"
#include "kernel/http/http_error.hpp"

namespace tidings::kernel {
namespace {

void requireEnabled(const BounceService& service) {
    // listmonk: disabled processing is a 503; disabled webhooks have no route at all.
    if (!service.webhooksEnabled()) throw HttpError(404, "bounce webhooks are disabled (bounce.webhooks_enabled)");
    if (!service.enabled()) throw HttpError(503, "bounce processing is disabled (bounce.enabled)");
}

int httpStatusOf(const sdk::Status& st) {
    switch (st.code()) {
    case sdk::StatusCode::Invalid: return 400;
    case sdk::StatusCode::Forbidden: return 401;
    case sdk::StatusCode::NotFound: return 404;
    case sdk::StatusCode::Conflict: return 409;
    case sdk::StatusCode::Unavailable: return 503;
    default: return 500;
    }
}

void handleProvider(BounceService& service, CapabilityRegistry& registry, const sdk::Request& request,
                    sdk::Response& response) {
    requireEnabled(service);
    const std::string name(request.param("service"));
    sdk::BounceProvider* provider = registry.bounceProvider(name);
    if (!provider) throw HttpError(404, "unknown bounce provider '" + name + "'");
    std::vector<sdk::BounceEvent> events;
    sdk::Status st = provider->handle(request, events, response);
    if (!st) {
        // Refusals are logged: a stream of them means a misconfigured key or someone probing.
        Poco::Logger::get("tidings.bounces")
            .warning("bounce provider %s refused request %s: %s", name, request.request_id, st.message());
        throw HttpError(httpStatusOf(st), st.message());
    }
    for (auto& event : events) {
        if (event.source.empty()) event.source = name;
        service.record(std::move(event));
    }
}

}  // namespace

void addBounceWebhookRoutes(Router& router, BounceService& service, CapabilityRegistry& registry) {
    addKernelRoute(router, authed("POST", "/webhooks/bounce", "webhooks:post_bounce"),
                   [&service](const sdk::Request& rq, sdk::Response& rs) {
                       requireEnabled(service);
                       service.record(BounceService::parseWebhook(rq.body));
                       sendTrue(rs);
                   });

    addUnlimitedRoute(router, publicRoute("POST", "/webhooks/service/:service"),
                   [&service, &registry](const sdk::Request& rq, sdk::Response& rs) {
                       handleProvider(service, registry, rq, rs);
                   });
}

}  // namespace tidings::kernel
