#include "kernel/http/handler_support.hpp"

#include <string_view>

#include <Poco/SHA1Engine.h>

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

namespace {

/// Whether an If-None-Match value ("*", or a comma-separated list of entity tags) matches `etag`.
bool noneMatchHits(std::string_view header, std::string_view etag) {
    std::size_t pos = 0;
    while (pos <= header.size()) {
        std::size_t comma = header.find(',', pos);
        if (comma == std::string_view::npos) comma = header.size();
        std::string_view tag = header.substr(pos, comma - pos);
        while (!tag.empty() && (tag.front() == ' ' || tag.front() == '\t')) tag.remove_prefix(1);
        while (!tag.empty() && (tag.back() == ' ' || tag.back() == '\t')) tag.remove_suffix(1);
        if (tag == "*") return true;
        if (tag.substr(0, 2) == "W/") tag.remove_prefix(2);
        if (tag == etag) return true;
        pos = comma + 1;
    }
    return false;
}

}  // namespace

void sendCacheableDataJson(const sdk::Request& request, sdk::Response& response, const std::string& json,
                           int max_age_seconds) {
    sendDataJson(response, json);
    Poco::SHA1Engine sha1;
    sha1.update(response.body);
    const std::string etag = "\"" + Poco::DigestEngine::digestToHex(sha1.digest()) + "\"";
    response.headers.emplace_back("ETag", etag);
    response.headers.emplace_back("Cache-Control", "public, max-age=" + std::to_string(max_age_seconds));
    auto if_none_match = request.header("if-none-match");
    if (if_none_match && noneMatchHits(*if_none_match, etag)) {
        response.status = 304;
        response.body.clear();
    }
}

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

bool limitedByDefault(const sdk::RouteSpec& spec) {
    return spec.access == sdk::Access::Public && spec.method != "GET";
}

void addKernelRoute(Router& router, sdk::RouteSpec spec, std::function<void(const sdk::Request&, sdk::Response&)> fn) {
    const bool limited = limitedByDefault(spec);
    throwIfError(router.add(std::move(spec), handled(std::move(fn)), "kernel", limited));
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
