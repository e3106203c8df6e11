// /api/users, /api/profile and /api/roles: users, API users with tokens, and user roles.
#include "kernel/api/api_context.hpp"
#include "kernel/http/handler_support.hpp"
#include "kernel/http/request_input.hpp"
#include "kernel/core/model_json.hpp"
#include "kernel/http/http_error.hpp"

namespace tidings::kernel {
namespace {

UserInput userInput(const Poco::JSON::Object& body) {
    UserInput in;
    in.username = optString(body, "username");
    in.name = optString(body, "name");
    in.email = optString(body, "email");
    in.type = optString(body, "type");
    in.status = optString(body, "status");
    in.password_login = optBool(body, "password_login");
    in.password = optString(body, "password");
    in.user_role_id = optInt(body, "user_role_id");
    return in;
}

void sendUser(sdk::Response& response, const sdk::User& user, const std::optional<std::string>& token = {}) {
    JsonWriter w;
    writeUser(w, user);
    std::string json = w.take();
    if (token) {
        // listmonk returns a new API user's token once, in the `password` field.
        json.pop_back();
        json += ",\"password\":";
        JsonWriter t;
        t.value(*token);
        json += t.str();
        json += '}';
    }
    sendDataJson(response, json);
}

void sendRole(sdk::Response& response, const sdk::Role& role) {
    JsonWriter w;
    writeRole(w, role);
    sendDataJson(response, w.str());
}

std::pair<std::string, std::vector<std::string>> roleInput(const sdk::Request& request) {
    auto body = bodyObject(request);
    auto name = optString(*body, "name");
    if (!name) throw HttpError(400, "name: is required");
    auto permissions = optStrings(*body, "permissions").value_or(std::vector<std::string>{});
    return {*name, permissions};
}

}  // namespace

void addUserRoutes(Router& router, ApiContext& ctx) {
    addKernelRoute(router, authed("GET", "/api/users", "users:get"), [&ctx](const sdk::Request& rq, sdk::Response& rs) {
        const std::string order_by = UserService::orderColumn(std::string(rq.queryValue("order_by").value_or("")));
        const sdk::SortOrder order = orderParam(rq, sdk::SortOrder::Asc);
        JsonWriter w;
        w.beginArray();
        for (const auto& u : ctx.users.list(order_by, order)) writeUser(w, u);
        w.endArray();
        sendDataJson(rs, w.str());
    });

    addKernelRoute(router, authed("GET", "/api/users/:id", "users:get"), [&ctx](const sdk::Request& rq, sdk::Response& rs) {
        sendUser(rs, ctx.users.get(idParam(rq)));
    });

    addKernelRoute(router, authed("POST", "/api/users", "users:manage"), [&ctx](const sdk::Request& rq, sdk::Response& rs) {
        auto created = ctx.users.create(userInput(*bodyObject(rq)));
        sendUser(rs, created.user, created.token);
    });

    addKernelRoute(router, authed("PUT", "/api/users/:id", "users:manage"), [&ctx](const sdk::Request& rq, sdk::Response& rs) {
        sendUser(rs, ctx.users.update(idParam(rq), userInput(*bodyObject(rq))));
    });

    addKernelRoute(router, authed("DELETE", "/api/users/:id", "users:manage"), [&ctx](const sdk::Request& rq, sdk::Response& rs) {
        ctx.users.remove(idParam(rq));
        sendTrue(rs);
    });

    addKernelRoute(router, authed("DELETE", "/api/users", "users:manage"), [&ctx](const sdk::Request& rq, sdk::Response& rs) {
        auto ids = queryIds(rq, "id");
        if (ids.empty()) throw HttpError(400, "id: at least one id is required");
        for (auto id : ids) ctx.users.remove(id);
        sendTrue(rs);
    });

    addKernelRoute(router, authed("GET", "/api/profile"), [&ctx](const sdk::Request& rq, sdk::Response& rs) {
        for (const auto& u : ctx.users.list()) {
            if (rq.user && u.username == *rq.user) return sendUser(rs, u);
        }
        throw HttpError(404, "user not found");
    });

    addKernelRoute(router, authed("GET", "/api/roles/users", "roles:get"), [&ctx](const sdk::Request&, sdk::Response& rs) {
        JsonWriter w;
        w.beginArray();
        for (const auto& r : ctx.users.roles()) writeRole(w, r);
        w.endArray();
        sendDataJson(rs, w.str());
    });

    addKernelRoute(router, authed("GET", "/api/roles/lists", "roles:get"), [](const sdk::Request&, sdk::Response& rs) {
        // Per-list roles are not supported yet; an empty catalogue keeps listmonk's UI working.
        sendDataJson(rs, "[]");
    });

    addKernelRoute(router, authed("POST", "/api/roles/users", "roles:manage"), [&ctx](const sdk::Request& rq, sdk::Response& rs) {
        auto [name, permissions] = roleInput(rq);
        sendRole(rs, ctx.users.createRole(name, permissions));
    });

    addKernelRoute(router, authed("PUT", "/api/roles/users/:id", "roles:manage"), [&ctx](const sdk::Request& rq, sdk::Response& rs) {
        auto [name, permissions] = roleInput(rq);
        sendRole(rs, ctx.users.updateRole(idParam(rq), name, permissions));
    });

    addKernelRoute(router, authed("DELETE", "/api/roles/:id", "roles:manage"), [&ctx](const sdk::Request& rq, sdk::Response& rs) {
        ctx.users.removeRole(idParam(rq));
        sendTrue(rs);
    });
}

}  // namespace tidings::kernel
