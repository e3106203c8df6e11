// /api/lists: listing with maintained counts, and CRUD.
#include "kernel/api/api_context.hpp"
#include "kernel/http/handler_support.hpp"
#include "kernel/http/request_input.hpp"
#include "kernel/core/model_json.hpp"
#include "kernel/http/http_error.hpp"

namespace tidings::kernel {
namespace {

constexpr const char* kGet = "lists:get_all";
constexpr const char* kManage = "lists:manage_all";

template <typename Enum>
std::optional<Enum> enumQuery(const sdk::Request& request, const char* name, const char* choices) {
    auto text = request.queryValue(name);
    if (!text || text->empty()) return std::nullopt;
    auto value = sdk::parseEnum<Enum>(*text);
    if (!value) throw HttpError(400, std::string(name) + ": must be one of " + choices);
    return value;
}

ListInput listInput(const Poco::JSON::Object& body) {
    ListInput in;
    in.name = optString(body, "name");
    in.type = optString(body, "type");
    in.optin = optString(body, "optin");
    in.status = optString(body, "status");
    in.tags = optStrings(body, "tags");
    in.description = optString(body, "description");
    return in;
}

void sendList(sdk::Response& response, const sdk::List& list) {
    JsonWriter w;
    writeList(w, list);
    sendDataJson(response, w.str());
}

void listLists(ApiContext& ctx, const sdk::Request& request, sdk::Response& response) {
    sdk::ListQuery q;
    q.search = std::string(request.queryValue("query").value_or(""));
    q.tags = request.queryValues("tag");
    q.type = enumQuery<sdk::ListType>(request, "type", "public, private, temporary");
    q.optin = enumQuery<sdk::ListOptin>(request, "optin", "single, double");
    q.status = enumQuery<sdk::ListStatus>(request, "status", "active, archived");
    q.ids = queryIds(request, "id");
    q.order_by = ListService::orderColumn(std::string(request.queryValue("order_by").value_or("")));
    q.order = orderParam(request, sdk::SortOrder::Asc);
    q.page = pageParams(request);
    bool minimal = request.queryValue("minimal") == std::optional<std::string_view>("true");
    if (minimal) q.page = {1, 0};  // listmonk's minimal form: every list on one page
    auto page = ctx.lists.query(q);
    if (minimal) q.page.per_page = page.total;
    sendDataJson(response, pagedResults(q.page, q.search, "", [&](JsonWriter& w) {
                     for (const auto& list : page.results) writeList(w, list);
                     return page.total;
                 }));
}

}  // namespace

void addListRoutes(Router& router, ApiContext& ctx) {
    addKernelRoute(router, authed("GET", "/api/lists", kGet), [&ctx](const sdk::Request& rq, sdk::Response& rs) { listLists(ctx, rq, rs); });

    addKernelRoute(router, authed("GET", "/api/lists/:id", kGet), [&ctx](const sdk::Request& rq, sdk::Response& rs) {
        sendList(rs, ctx.lists.get(idParam(rq)));
    });

    addKernelRoute(router, authed("POST", "/api/lists", kManage), [&ctx](const sdk::Request& rq, sdk::Response& rs) {
        sendList(rs, ctx.lists.create(listInput(*bodyObject(rq))));
    });

    addKernelRoute(router, authed("PUT", "/api/lists/:id", kManage), [&ctx](const sdk::Request& rq, sdk::Response& rs) {
        sendList(rs, ctx.lists.update(idParam(rq), listInput(*bodyObject(rq))));
    });

    addKernelRoute(router, authed("DELETE", "/api/lists/:id", kManage), [&ctx](const sdk::Request& rq, sdk::Response& rs) {
        if (ctx.lists.remove({idParam(rq)}) == 0) throw HttpError(404, "list not found");
        sendTrue(rs);
    });

    addKernelRoute(router, authed("DELETE", "/api/lists", kManage), [&ctx](const sdk::Request& rq, sdk::Response& rs) {
        auto ids = queryIds(rq, "id");
        if (ids.empty()) throw HttpError(400, "id: at least one id is required");
        ctx.lists.remove(ids);
        sendTrue(rs);
    });
}

}  // namespace tidings::kernel
