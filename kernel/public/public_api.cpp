// The public JSON API: public lists and subscription, for websites and forms.
#include <Poco/JSON/Object.h>

#include "kernel/core/json_writer.hpp"
#include "kernel/http/handler_support.hpp"
#include "kernel/http/http_error.hpp"
#include "kernel/http/request_input.hpp"
#include "kernel/public/public_context.hpp"
#include "kernel/public/subscription_form.hpp"

namespace tidings::kernel {
namespace {

/// How long sites may reuse the public lists: they fetch them on every page view, and a list
/// made public shows up within this time.
constexpr int kPublicListsMaxAge = 60;

void listPublicLists(PublicContext& ctx, const sdk::Request& request, sdk::Response& response) {
    JsonWriter w;
    w.beginArray();
    for (const auto& list : ctx.subscriptions.publicLists()) {
        w.beginObject();
        w.key("id").value(list.id);
        w.key("uuid").value(list.uuid);
        w.key("name").value(list.name);
        w.key("type").value(sdk::toString(list.type));
        w.key("optin").value(sdk::toString(list.optin));
        w.key("description").value(list.description);
        w.endObject();
    }
    w.endArray();
    sendCacheableDataJson(request, response, w.str(), kPublicListsMaxAge);
}

void subscribe(PublicContext& ctx, const sdk::Request& request, sdk::Response& response) {
    auto body = bodyObject(request);
    auto result = ctx.subscriptions.subscribe(publicSubscriptionFrom(*body, request));
    JsonWriter w;
    w.beginObject();
    w.key("has_optin").value(result.has_optin);
    w.key("message").value(result.has_optin ? "Subscription successful. Please check your e-mail to confirm."
                                            : "Subscription successful");
    w.endObject();
    sendDataJson(response, w.str());
}

}  // namespace

void addPublicApiRoutes(Router& router, PublicContext& ctx) {
    addKernelRoute(router, publicRoute("GET", "/api/public/lists"), [&ctx](const sdk::Request& rq, sdk::Response& rs) { listPublicLists(ctx, rq, rs); });
    addKernelRoute(router, publicRoute("POST", "/api/public/subscription"),
        [&ctx](const sdk::Request& rq, sdk::Response& rs) { subscribe(ctx, rq, rs); });
}

}  // namespace tidings::kernel
