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

TEST_CASE("user changes take effect on the next request, in every process on the database", "[auth]") {
    // Two processes on one database; changes go through the first, requests through the second.
    TidingsServer writer;
    TidingsServer reader(writer.sameDatabase());
    auto post = [&](const std::string& path, const std::string& body) {
        auto r = writer.post(path, body, writer.admin());
        INFO(r.body);
        REQUIRE(r.status == 200);
        return r.data();
    };
    const auto role = post("/api/roles/users", R"({"name": "readers", "permissions": ["subscribers:get"]})");
    const std::string role_id = std::to_string(idOf(role));
    auto makeApiUser = [&](const std::string& name) {
        auto user = post("/api/users", R"({"username": ")" + name + R"(", "type": "api", "user_role_id": )" + role_id + "}");
        return std::pair{std::to_string(idOf(user)), Credentials::token(name, user->getValue<std::string>("password"))};
    };
    auto status = [&](const Credentials& who) { return reader.get("/api/subscribers", who).status; };

    SECTION("deleting a user") {
        auto [id, who] = makeApiUser("deleted-user");
        REQUIRE(status(who) == 200);
        REQUIRE(status(who) == 200);  // now cached in the reader
        REQUIRE(writer.del("/api/users/" + id, writer.admin()).status == 200);
        CHECK(status(who) == 401);
    }
    SECTION("disabling a user") {
        auto [id, who] = makeApiUser("disabled-user");
        REQUIRE(status(who) == 200);
        REQUIRE(writer.put("/api/users/" + id, R"({"status": "disabled"})", writer.admin()).status == 200);
        CHECK(status(who) == 401);
    }
    SECTION("changing a password") {
        auto user = post("/api/users", R"({"username": "person", "type": "user", "email": "person@example.com",)"
                                       R"( "password": "first-password-1", "password_login": true, "user_role_id": )" + role_id + "}");
        const auto old_password = Credentials::basic("person", "first-password-1");
        REQUIRE(status(old_password) == 200);
        REQUIRE(writer.put("/api/users/" + std::to_string(idOf(user)), R"({"password": "second-password-2"})",
                           writer.admin()).status == 200);
        CHECK(status(old_password) == 401);
        CHECK(status(Credentials::basic("person", "second-password-2")) == 200);
    }
    SECTION("taking a permission away from the role") {
        auto [id, who] = makeApiUser("demoted-user");
        REQUIRE(status(who) == 200);
        REQUIRE(writer.put("/api/roles/users/" + role_id, R"({"name": "readers", "permissions": ["lists:get_all"]})",
                           writer.admin()).status == 200);
        CHECK(status(who) == 403);
    }
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

TEST_CASE("roles validate their permissions and the Super Admin role is immutable", "[auth]") {
    CHECK(server().post("/api/roles/users", R"({"name":"x","permissions":["root:all"]})", server().admin()).status == 400);
    CHECK(server().put("/api/roles/users/1", R"({"name":"x","permissions":[]})", server().admin()).status == 400);
    CHECK(server().del("/api/roles/1", server().admin()).status == 400);
    auto roles = server().get("/api/roles/users", server().admin());
    CHECK(roles.status == 200);
}

TEST_CASE("a lost database connection is replaced, and an unreachable database is a 503 without its error text",
          "[auth][database]") {
    if (testStore() != TestStore::Postgres) return;  // a PostgreSQL connection pool; SQLite has none
    TidingsServer own;
    auto list = own.post("/api/lists", R"({"name": "Public", "type": "public", "optin": "single"})", own.admin());
    REQUIRE(list.status == 200);
    const std::string list_uuid = list.data()->getValue<std::string>("uuid");

    // The database ends every connection the server holds, as a restart or failover would.
    own.clusterSql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{db}'");
    for (int i = 0; i < 5; ++i) {
        auto r = own.get("/api/lists", own.admin());
        INFO(r.body);
        CHECK(r.status == 200);
    }

    // Now it refuses new ones altogether.
    own.clusterSql("ALTER DATABASE {db} ALLOW_CONNECTIONS false");
    own.clusterSql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{db}'");
    const auto admin = own.get("/api/lists", own.admin());
    CHECK(admin.status == 503);
    // Either the credentials could not be checked, or (checked a moment ago) the lists could not
    // be read: both answers say so in our words.
    CHECK((admin.message() == "authentication is temporarily unavailable, retry shortly" ||
           admin.message() == "database unavailable"));
    const auto anonymous = own.post("/api/public/subscription",
                                    R"({"email": "lost@example.com", "name": "Lost", "list_uuids": [")" + list_uuid + R"("]})",
                                    Credentials::none());
    CHECK(anonymous.status == 503);
    for (const auto* body : {&admin.body, &anonymous.body}) {
        INFO(*body);
        CHECK(body->find("accepting") == std::string::npos);
        CHECK(body->find("FATAL") == std::string::npos);
        CHECK(body->find("connection") == std::string::npos);
    }
    // The reason is in the operator's log.
    INFO(own.log());
    CHECK(own.log().find("not currently accepting connections") != std::string::npos);

    own.clusterSql("ALTER DATABASE {db} ALLOW_CONNECTIONS true");
    bool back = false;
    for (int i = 0; i < 50 && !back; ++i) {
        back = own.get("/api/lists", own.admin()).status == 200;
        if (!back) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    CHECK(back);
}
