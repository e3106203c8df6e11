// Authentication and permissions on the admin API: Basic, `token user:key` and Bearer.
#include <algorithm>
#include <thread>

#include "shared_server.hpp"

using namespace tidings::test;

namespace {

/// Creates a role with `permissions` and an API user holding it; returns {username, token}.
std::pair<std::string, std::string> apiUser(const std::string& permissions_json) {
    auto role = server().post("/api/roles/users",
                              R"({"name":")" + unique("role-") + R"(","permissions":)" + permissions_json + "}",
                              server().admin());
    REQUIRE(role.status == 200);
    std::string username = unique("api-");
    auto user = server().post("/api/users",
                              R"({"username":")" + username + R"(","type":"api","user_role_id":)" +
                                  std::to_string(idOf(role.data())) + "}",
                              server().admin());
    INFO(user.body);
    REQUIRE(user.status == 200);
    std::string token = user.data()->getValue<std::string>("password");
    CHECK(token.size() == 48);
    return {username, token};
}

}  // namespace

TEST_CASE("requests without or with wrong credentials get 401", "[auth]") {
    auto none = server().get("/api/subscribers", Credentials::none());
    CHECK(none.status == 401);
    CHECK(none.headers["www-authenticate"].find("Basic") != std::string::npos);
    CHECK_FALSE(none.message().empty());
    CHECK(server().get("/api/subscribers", Credentials::basic("admin", "wrong-password")).status == 401);
    CHECK(server().get("/api/subscribers", Credentials::basic("nobody", "x")).status == 401);
    CHECK(server().get("/api/subscribers", Credentials::bearer("not-a-token")).status == 401);
    CHECK(server().get("/api/subscribers", Credentials{"Digest abc"}).status == 401);
    CHECK(server().get("/api/subscribers", Credentials{"Basic !!!"}).status == 401);
}

TEST_CASE("an admin password works with Basic", "[auth]") {
    CHECK(server().get("/api/subscribers", server().admin()).status == 200);
    // A password is not an API token.
    auto pw = server().admin().header.substr(6);
    CHECK(server().get("/api/health", Credentials{"token admin:wrong"}).status == 401);
}

TEST_CASE("an API token works in all three forms", "[auth]") {
    auto [user, token] = apiUser(R"(["subscribers:get"])");
    CHECK(server().get("/api/subscribers", Credentials::bearer(token)).status == 200);
    CHECK(server().get("/api/subscribers", Credentials::token(user, token)).status == 200);
    CHECK(server().get("/api/subscribers", Credentials::basic(user, token)).status == 200);
    CHECK(server().get("/api/subscribers", Credentials::token(user, token + "x")).status == 401);
    CHECK(server().get("/api/subscribers", Credentials::token("admin", token)).status == 401);
}

TEST_CASE("a valid user without the permission gets 403 and changes nothing", "[auth]") {
    auto [user, token] = apiUser(R"(["subscribers:get"])");
    auto who = Credentials::bearer(token);
    auto before = server().sql("SELECT count(*) FROM lists");
    auto r = server().post("/api/lists", R"({"name":"not allowed"})", who);
    CHECK(r.status == 403);
    CHECK(r.message() == "permission denied: lists:manage_all");
    CHECK(server().post("/api/subscribers", R"({"email":"nope@example.com"})", who).status == 403);
    CHECK(server().get("/api/settings", who).status == 403);
    CHECK(server().get("/api/users", who).status == 403);
    CHECK(server().sql("SELECT count(*) FROM lists") == before);
    // `query` needs subscribers:sql_query on top of subscribers:get.
    CHECK(server().get("/api/subscribers?query=1%3D1", who).status == 403);
}

TEST_CASE("disabling an API user revokes its token within a second", "[auth]") {
    auto [user, token] = apiUser(R"(["subscribers:get"])");
    CHECK(server().get("/api/subscribers", Credentials::bearer(token)).status == 200);
    auto users = server().get("/api/users", server().admin());
    std::int64_t id = 0;
    auto arr = users.json.extract<Poco::JSON::Object::Ptr>()->getArray("data");
    for (std::size_t i = 0; i < arr->size(); ++i) {
        if (arr->getObject(static_cast<unsigned>(i))->getValue<std::string>("username") == user) {
            id = arr->getObject(static_cast<unsigned>(i))->getValue<std::int64_t>("id");
        }
    }
    REQUIRE(id > 0);
    CHECK(server().put("/api/users/" + std::to_string(id), R"({"status":"disabled"})", server().admin()).status == 200);
    // Authentications are remembered for one second (docs/decisions.md).
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));
    CHECK(server().get("/api/subscribers", Credentials::bearer(token)).status == 401);
    CHECK(server().del("/api/users/" + std::to_string(id), server().admin()).status == 200);
}

TEST_CASE("users are listed in the order asked for, unknown keys are a 400 naming them", "[auth]") {
    apiUser(R"(["subscribers:get"])");
    apiUser(R"(["subscribers:get"])");
    auto usernames = [](const std::string& query) {
        auto r = server().get("/api/users?" + query, server().admin());
        INFO(query << ": " << r.body);
        REQUIRE(r.status == 200);
        std::vector<std::string> out;
        auto all = r.json.extract<Poco::JSON::Object::Ptr>()->getArray("data");
        for (std::size_t i = 0; i < all->size(); ++i) {
            out.push_back(all->getObject(static_cast<unsigned>(i))->getValue<std::string>("username"));
        }
        return out;
    };
    auto asc = usernames("order_by=username");
    REQUIRE(asc.size() >= 3);
    CHECK(std::is_sorted(asc.begin(), asc.end()));
    auto desc = usernames("order_by=username&order=desc");
    CHECK(std::is_sorted(desc.rbegin(), desc.rend()));
    CHECK(usernames("order_by=users.username") == asc);
    // "api" sorts before "user", so the admin (a password user) comes last.
    CHECK(usernames("order_by=user_type").back() == "admin");
    CHECK(usernames("order_by=type&order=desc").front() == "admin");
    CHECK(usernames("order_by=id").front() == "admin");

    for (const auto& [query, named] : std::vector<std::pair<std::string, std::string>>{
             {"order_by=password", "\"password\""}, {"order_by=credential_hash", "credential_hash"},
             {"order=up", "order"}}) {
        INFO(query);
        auto r = server().get("/api/users?" + query, server().admin());
        CHECK(r.status == 400);
        CHECK_THAT(r.message(), Catch::Contains(named));
    }
}

TEST_CASE("credentials are stored hashed", "[auth]") {
    auto [user, token] = apiUser("[]");
    auto stored = server().sql("SELECT credential_hash FROM users WHERE username = '" + user + "'");
    CHECK(stored.find(token) == std::string::npos);
    CHECK(stored.rfind("sha256$", 0) == 0);
    auto admin = server().sql("SELECT credential_hash FROM users WHERE username = 'admin'");
    CHECK(admin.rfind("pbkdf2-sha256$", 0) == 0);
}

TEST_CASE("roles validate their permissions; the Super Admin role is immutable", "[auth]") {
    CHECK(server().post("/api/roles/users", R"({"name":"x","permissions":["root:all"]})", server().admin()).status == 400);
    CHECK(server().put("/api/roles/users/1", R"({"name":"x","permissions":[]})", server().admin()).status == 400);
    CHECK(server().del("/api/roles/1", server().admin()).status == 400);
    auto roles = server().get("/api/roles/users", server().admin());
    CHECK(roles.status == 200);
}
