// One server per test executable: started on first use, stopped at exit. Tests create their own
// data with unique names, so they do not depend on each other or on order.
#pragma once

#include <catch2/catch.hpp>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include "tidings_server.hpp"

namespace tidings::test {

inline TidingsServer& server() {
    static TidingsServer instance;
    return instance;
}

/// Creates a list and returns its JSON object.
inline Poco::JSON::Object::Ptr createList(const std::string& name, const std::string& type = "private",
                                          const std::string& optin = "single") {
    Poco::JSON::Object body;
    body.set("name", name);
    body.set("type", type);
    body.set("optin", optin);
    auto r = server().post("/api/lists", json(body), server().admin());
    REQUIRE(r.status == 200);
    return r.data();
}

/// Creates a subscriber and returns its JSON object.
inline Poco::JSON::Object::Ptr createSubscriber(const std::string& email, const std::vector<std::int64_t>& lists = {},
                                                const std::string& attribs = "{}") {
    std::string ids;
    for (auto id : lists) ids += (ids.empty() ? "" : ",") + std::to_string(id);
    auto r = server().post("/api/subscribers",
                           R"({"email":")" + email + R"(","lists":[)" + ids + R"(],"attribs":)" + attribs + "}",
                           server().admin());
    INFO(r.body);
    REQUIRE(r.status == 200);
    return r.data();
}

inline std::int64_t idOf(const Poco::JSON::Object::Ptr& obj) { return obj->getValue<std::int64_t>("id"); }

/// Creates a role with `permissions` (a JSON array) and an API user holding it on `on`; returns
/// the user's Bearer credentials.
inline Credentials createApiUser(const TidingsServer& on, const std::string& permissions_json) {
    auto role = on.post("/api/roles/users", R"({"name":")" + unique("role-") + R"(","permissions":)" + permissions_json + "}",
                        on.admin());
    INFO(role.body);
    REQUIRE(role.status == 200);
    auto user = on.post("/api/users",
                        R"({"username":")" + unique("api-") + R"(","type":"api","user_role_id":)" +
                            std::to_string(idOf(role.data())) + "}",
                        on.admin());
    INFO(user.body);
    REQUIRE(user.status == 200);
    return Credentials::bearer(user.data()->getValue<std::string>("password"));
}

}  // namespace tidings::test
