#include "kernel/http/handler_support.hpp"

#include "kernel/core/status_error.hpp"
#include "kernel/http/http_error.hpp"

namespace tidings::kernel {

void sendDataJson(sdk::Response& response, const std::string& json, int status) {
    std::string body;
    body.reserve(json.size() + 10);
    body += "{\"data\":";
    body += json;
    body += '}';
    response.json(status, std::move(body));
}

void sendTrue(sdk::Response& response) { sendDataJson(response, "true"); }

sdk::RouteHandler handled(std::function<void(const sdk::Request&, sdk::Response&)> fn) {
    return [fn = std::move(fn)](const sdk::Request& request, sdk::Response& response) {
        try {
            fn(request, response);
        } catch (const StatusError& e) {
            throwIfError(e.status());
        }
    };
}

sdk::RouteSpec authed(std::string method, std::string pattern, std::string permission) {
    sdk::RouteSpec spec;
    spec.method = std::move(method);
    spec.pattern = std::move(pattern);
    spec.access = sdk::Access::Authenticated;
    spec.permission = std::move(permission);
    return spec;
}

sdk::RouteSpec publicRoute(std::string method, std::string pattern) {
    sdk::RouteSpec spec;
    spec.method = std::move(method);
    spec.pattern = std::move(pattern);
    spec.access = sdk::Access::Public;
    return spec;
}

void addKernelRoute(Router& router, sdk::RouteSpec spec, std::function<void(const sdk::Request&, sdk::Response&)> fn) {
    throwIfError(router.add(std::move(spec), handled(std::move(fn)), "kernel"));
}

void addUnlimitedRoute(Router& router, sdk::RouteSpec spec, std::function<void(const sdk::Request&, sdk::Response&)> fn) {
    throwIfError(router.add(std::move(spec), handled(std::move(fn)), "kernel", /*rate_limited=*/false));
}

std::string pagedResults(const sdk::PageRequest& page, const std::string& query, const std::string& search,
                         const std::function<std::int64_t(JsonWriter&)>& write_items) {
    JsonWriter w;
    w.beginObject();
    w.key("results").beginArray();
    std::int64_t total = write_items(w);
    w.endArray();
    w.key("query").value(query);
    w.key("search").value(search);
    w.key("total").value(total);
    w.key("per_page").value(page.per_page);
    w.key("page").value(page.page);
    w.endObject();
    return w.take();
}

}  // namespace tidings::kernel
