// Every route refuses bad input with the right 4xx and a message, and the database is unchanged.
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>

#include "shared_server.hpp"

using namespace tidings::test;

namespace {

struct BadRequest {
    std::string method;
    std::string path;
    std::string body;
    int status;
};

/// A fingerprint of everything a bad request might have touched.
std::string snapshot() {
    const std::string counts =
        "SELECT (SELECT count(*) FROM subscribers) || '/' || (SELECT count(*) FROM lists) || '/' ||"
        " (SELECT count(*) FROM subscriber_lists) || '/' || (SELECT count(*) FROM users) || '/' ||"
        " (SELECT count(*) FROM roles) || '/' || (SELECT count(*) FROM settings) || '/' || ";
    if (server().store() == TestStore::Sqlite) {
        return server().sql(
            counts +
            "(SELECT coalesce(group_concat(id || email || name || attribs || status || updated_at, ','), '')"
            " FROM (SELECT * FROM subscribers ORDER BY id)) || '/' ||"
            " (SELECT coalesce(group_concat(id || name || type || optin || status || tags || updated_at, ','), '')"
            " FROM (SELECT * FROM lists ORDER BY id))");
    }
    return server().sql(counts +
                        "(SELECT coalesce(md5(string_agg(s::text, ',' ORDER BY id)), '') FROM subscribers s) || '/' ||"
                        " (SELECT coalesce(md5(string_agg(l::text, ',' ORDER BY id)), '') FROM lists l)");
}

}  // namespace

TEST_CASE("bad input gets a 4xx with a message and changes nothing", "[bad-input]") {
    auto list = createList(unique("bad-"));
    auto sub = createSubscriber(unique("bad") + "@example.com", {idOf(list)});
    const std::string sid = std::to_string(idOf(sub));
    const std::string lid = std::to_string(idOf(list));
    const std::string existing = sub->getValue<std::string>("email");
    const std::string huge(11 * 1024 * 1024, 'x');

    const std::vector<BadRequest> cases = {
        // malformed JSON and wrong shapes
        {"POST", "/api/subscribers", R"({"email": )", 400},
        {"POST", "/api/subscribers", R"(["not", "an", "object"])", 400},
        {"POST", "/api/subscribers", R"({"email": 5})", 400},
        {"POST", "/api/subscribers", R"({"email": "x@example.com", "lists": "x"})", 400},
        {"POST", "/api/subscribers", R"({"email": "x@example.com", "lists": [0]})", 400},
        {"POST", "/api/subscribers", R"({"email": "x@example.com", "attribs": [1]})", 400},
        {"POST", "/api/subscribers", R"({"email": "x@example.com", "attribs": "{}"})", 400},
        {"POST", "/api/subscribers", R"({"email": "x@example.com", "status": "vip"})", 400},
        {"POST", "/api/subscribers", R"({"email": "x@example.com", "lists": [999999]})", 400},
        {"POST", "/api/subscribers", R"({"name": "no email"})", 400},
        {"POST", "/api/subscribers", R"({"email": "not-an-email"})", 400},
        {"POST", "/api/subscribers", R"({"email": "John <john@example.com>"})", 400},
        {"POST", "/api/subscribers", R"({"email": ")" + existing + R"("})", 409},
        {"POST", "/api/subscribers", R"({"email": "big@example.com", "attribs": {"a": ")" + std::string(70000, 'a') + R"("}})", 400},
        {"POST", "/api/subscribers", huge, 413},
        {"PUT", "/api/subscribers/" + sid, R"({"email": "broken"})", 400},
        {"PUT", "/api/subscribers/" + sid, R"({"lists": [0]})", 400},
        {"PUT", "/api/subscribers/999999", R"({"name": "ghost"})", 404},
        {"PUT", "/api/subscribers/abc", R"({"name": "ghost"})", 400},
        {"GET", "/api/subscribers/999999", "", 404},
        {"GET", "/api/subscribers/-1", "", 400},
        {"DELETE", "/api/subscribers/999999", "", 404},
        {"DELETE", "/api/subscribers", "", 400},
        {"DELETE", "/api/subscribers?id=1;DROP", "", 400},
        {"PUT", "/api/subscribers/lists", R"({"ids": [)" + sid + R"(], "action": "explode", "target_list_ids": [)" + lid + "]}", 400},
        {"PUT", "/api/subscribers/lists", R"({"ids": [)" + sid + R"(], "action": "add"})", 400},
        {"PUT", "/api/subscribers/lists", R"({"action": "add", "target_list_ids": [)" + lid + "]}", 400},
        {"PUT", "/api/subscribers/blocklist", R"({"ids": []})", 400},
        {"POST", "/api/subscribers/query/delete", R"({})", 400},
        {"PUT", "/api/subscribers/query/blocklist", R"({"query": "1=1; DROP TABLE subscribers"})", 400},
        {"POST", "/api/subscribers/query/delete", R"({"query": "true); DELETE FROM subscribers; SELECT (true"})", 400},
        // numbers JSON can write but an id cannot be
        {"PUT", "/api/subscribers/blocklist", R"({"ids": [9223372036854775808]})", 400},
        {"PUT", "/api/subscribers/blocklist", R"({"ids": [1.5]})", 400},
        {"PUT", "/api/subscribers/blocklist", R"({"ids": [-0]})", 400},
        {"PUT", "/api/subscribers/blocklist", R"({"ids": [1e309]})", 400},
        {"POST", "/api/subscribers", R"({"email": "x@example.com", "lists": [9223372036854775808]})", 400},
        {"PUT", "/api/subscribers/lists", R"({"ids": [9223372036854775808], "action": "add", "target_list_ids": [)" + lid + "]}", 400},
        {"POST", "/api/users", R"({"username": "bigrole", "type": "api", "user_role_id": 9223372036854775808})", 400},
        {"GET", "/api/lists?page=9223372036854775807&per_page=-1", "", 400},
        {"GET", "/api/subscribers?page=2&per_page=9223372036854775807", "", 400},
        // SQL injection in query and order_by
        {"GET", "/api/subscribers?query=1%3D1%3B%20DROP%20TABLE%20subscribers", "", 400},
        {"GET", "/api/subscribers?query=(SELECT%20credential_hash%20FROM%20users%20LIMIT%201)%20IS%20NOT%20NULL", "", 400},
        {"GET", "/api/subscribers?query=subscribers.id%20IN%20(WITH%20d%20AS%20(DELETE%20FROM%20subscribers%20RETURNING%20id)%20SELECT%20id%20FROM%20d)", "", 400},
        {"GET", "/api/subscribers?order_by=email%3B%20DROP%20TABLE%20x", "", 400},
        {"GET", "/api/subscribers?order_by=(select%201)", "", 400},
        {"GET", "/api/subscribers?order=sideways", "", 400},
        {"GET", "/api/subscribers?page=abc", "", 400},
        {"GET", "/api/subscribers?subscription_status=maybe", "", 400},
        {"GET", "/api/subscribers?list_id=x", "", 400},
        // lists
        {"POST", "/api/lists", R"({"type": "public"})", 400},
        {"POST", "/api/lists", R"({"name": "x", "type": "secret"})", 400},
        {"POST", "/api/lists", R"({"name": "x", "optin": "triple"})", 400},
        {"POST", "/api/lists", R"({"name": "x", "tags": [1, 2]})", 400},
        {"POST", "/api/lists", R"({"name": 12})", 400},
        {"PUT", "/api/lists/999999", R"({"name": "ghost"})", 404},
        {"GET", "/api/lists/999999", "", 404},
        {"GET", "/api/lists/0", "", 400},
        {"GET", "/api/lists?order_by=name%3Bdrop", "", 400},
        {"GET", "/api/lists?type=weird", "", 400},
        {"DELETE", "/api/lists/999999", "", 404},
        {"DELETE", "/api/lists", "", 400},
        // users and roles
        {"POST", "/api/users", R"({"username": "x"})", 400},
        {"POST", "/api/users", R"({"username": "valid-name", "type": "user", "user_role_id": 1, "email": "v@example.com", "password": "short"})", 400},
        {"POST", "/api/users", R"({"username": "bad name!", "type": "api", "user_role_id": 1})", 400},
        {"POST", "/api/users", R"({"username": "admin", "type": "api", "user_role_id": 1})", 409},
        {"POST", "/api/users", R"({"username": "norole", "type": "api", "user_role_id": 999})", 400},
        {"POST", "/api/roles/users", R"({"name": "r", "permissions": ["nope:nope"]})", 400},
        {"POST", "/api/roles/users", R"({"permissions": []})", 400},
        {"DELETE", "/api/users/999999", "", 404},
        {"GET", "/api/users?order_by=credential_hash", "", 400},
        {"GET", "/api/users?order=upwards", "", 400},
        // templates
        {"GET", "/api/templates?order_by=body%3B%20DROP%20TABLE%20templates", "", 400},
        {"GET", "/api/templates?order=upwards", "", 400},
        // settings
        {"PUT", "/api/settings", R"({"app.site_name": 42})", 400},
        {"PUT", "/api/settings", R"({"no.such.key": true})", 400},
        {"PUT", "/api/settings", R"({"app.concurrency": -1})", 400},
        {"PUT", "/api/settings", R"({"smtp": {"host": "x"}})", 400},
        {"PUT", "/api/settings", R"(not json)", 400},
        // unknown routes and methods
        {"GET", "/api/nothing-here", "", 404},
        {"PATCH", "/api/lists", "", 405},
    };

    const std::string before = snapshot();
    for (const auto& c : cases) {
        if (c.status == 0) continue;
        INFO(c.method << " " << c.path << " " << c.body.substr(0, 120));
        auto r = server().request(c.method, c.path, c.body, server().admin());
        CHECK(r.status == c.status);
        CHECK_FALSE(r.message().empty());
        CHECK(snapshot() == before);
    }
}

TEST_CASE("wrong or missing credentials and missing permissions on every kind of route", "[bad-input][auth]") {
    const std::string before = snapshot();
    for (const auto& [method, path] : std::vector<std::pair<std::string, std::string>>{
             {"GET", "/api/subscribers"}, {"POST", "/api/subscribers"}, {"DELETE", "/api/subscribers/1"},
             {"GET", "/api/lists"}, {"POST", "/api/lists"}, {"PUT", "/api/settings"}, {"GET", "/api/users"},
             {"POST", "/api/roles/users"}}) {
        INFO(method << " " << path);
        CHECK(server().request(method, path, "{}", Credentials::none()).status == 401);
        CHECK(server().request(method, path, "{}", Credentials::basic("admin", "nope")).status == 401);
    }
    CHECK(snapshot() == before);
}

TEST_CASE("NUL bytes and invalid UTF-8 are refused naming the field, never cut or stored", "[bad-input][text]") {
    auto list = createList(unique("text-"));
    const std::string lid = std::to_string(idOf(list));
    struct TextCase {
        std::string method, path, body, field;
    };
    const std::vector<TextCase> cases = {
        {"POST", "/api/subscribers", R"({"email": "nul1@example.com", "name": "keep\u0000dropped"})", "name"},
        {"POST", "/api/subscribers", R"({"email": "nul2@example.com", "name": "N", "attribs": {"k\u0000ey": 1}})", "attribs"},
        {"POST", "/api/subscribers", R"({"email": "nul3@example.com", "name": "N", "attribs": {"city": "x\u0000y"}})", "attribs.city"},
        {"POST", "/api/subscribers", R"({"email": "nul4@example.com", "name": "N", "attribs": {"tags": ["a", "\u0000"]}})", "attribs.tags[1]"},
        {"POST", "/api/subscribers", "{\"email\": \"utf@example.com\", \"name\": \"bad \xC0\xAF\"}", "name"},
        {"POST", "/api/lists", R"({"name": "list\u0000name"})", "name"},
        {"POST", "/api/templates", R"({"name": "t", "type": "campaign", "body": "before\u0000{{ template \"content\" . }}"})", "body"},
        {"PUT", "/api/settings", R"({"app.site_name": "site\u0000name"})", "app.site_name"},
        {"GET", "/api/lists?query=x%FF", "", "query"},
        {"GET", "/api/campaigns?query=x%C0%AF", "", "query"},
        {"GET", "/api/subscribers?search=x%F4%90%80%80", "", "search"},
        {"GET", "/api/subscribers?query=subscribers.name%20%3D%20%27a%00b%27", "", "query"},
        {"GET", "/api/lists/" + lid + "%00", "", "path"},
    };
    const std::string before = snapshot();
    for (const auto& c : cases) {
        INFO(c.method << " " << c.path << " " << c.body);
        auto r = server().request(c.method, c.path, c.body, server().admin());
        CHECK(r.status == 400);
        CHECK(r.message().rfind(c.field, 0) == 0);
        CHECK(snapshot() == before);
    }
    // A form body goes through the same check.
    auto form = server().request("POST", "/api/lists", "name=a%00b", server().admin(), "application/x-www-form-urlencoded");
    CHECK(form.status == 400);
    CHECK(form.message().rfind("name", 0) == 0);
    CHECK(snapshot() == before);
}

namespace {

/// Sends `raw` on a new connection and returns all the server answers until it closes.
std::string exchange(const std::string& raw) {
    Poco::Net::StreamSocket socket(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(server().port())));
    socket.setReceiveTimeout(Poco::Timespan(30, 0));
    socket.sendBytes(raw.data(), static_cast<int>(raw.size()));
    std::string out;
    char buffer[4096];
    for (int n; (n = socket.receiveBytes(buffer, sizeof buffer)) > 0;) out.append(buffer, static_cast<std::size_t>(n));
    return out;
}

std::string statusLine(const std::string& answer) { return answer.substr(0, answer.find("\r\n")); }

}  // namespace

TEST_CASE("malformed request lines and Content-Length get a 4xx naming the problem", "[bad-input][http]") {
    const std::string auth = "Authorization: " + server().admin().header + "\r\n";
    const std::string name = unique("raw-");
    const std::string body = R"({"name":")" + name + R"("})";
    const std::string before = snapshot();
    struct Case {
        std::string raw;
        std::string status_line;
        std::string named;  ///< What the message must mention.
    };
    const std::vector<Case> cases = {
        {"GET /api/lists/1 OR 1=1 HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n", "HTTP/1.1 400 Bad Request", "request line"},
        {"GET /api/lists HTTP/1.1 extra\r\nHost: x\r\n" + auth + "\r\n", "HTTP/1.1 400 Bad Request", "request line"},
        {"G@T /api/lists HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n", "HTTP/1.1 400 Bad Request", "method"},
        {"GET /api/lists HTTQ/1.1\r\nHost: x\r\n" + auth + "\r\n", "HTTP/1.1 400 Bad Request", "HTTP version"},
        {"GET /api/health HTTP/9.9\r\nHost: x\r\n\r\n", "HTTP/1.1 505 HTTP Version Not Supported", "HTTP/9.9"},
        {"GET /api/health HTTP/2.0\r\nHost: x\r\n\r\n", "HTTP/1.1 505 HTTP Version Not Supported", "HTTP/2.0"},
        {"POST /api/lists HTTP/1.1\r\nHost: x\r\n" + auth + "Content-Type: application/json\r\nContent-Length: 1e3\r\n\r\n" + body,
         "HTTP/1.1 400 Bad Request", "Content-Length"},
        {"POST /api/lists HTTP/1.1\r\nHost: x\r\n" + auth +
             "Content-Type: application/json\r\nContent-Length: 18446744073709551616\r\n\r\n" + body,
         "HTTP/1.1 400 Bad Request", "Content-Length"},
        {"POST /api/lists HTTP/1.1\r\nHost: x\r\n" + auth + "Content-Type: application/json\r\nContent-Length: " +
             std::to_string(body.size()) + "\r\nTransfer-Encoding: chunked\r\n\r\n" + body,
         "HTTP/1.1 400 Bad Request", "Content-Length"},
    };
    for (const auto& c : cases) {
        INFO(c.raw.substr(0, c.raw.find("\r\n")));
        const std::string answer = exchange(c.raw);
        INFO(answer);
        CHECK(statusLine(answer) == c.status_line);
        const auto split = answer.find("\r\n\r\n");
        REQUIRE(split != std::string::npos);
        CHECK_THAT(answer.substr(split + 4), Catch::StartsWith(R"({"message":)") && Catch::Contains(c.named));
        CHECK_THAT(answer.substr(0, split), Catch::Contains("Connection: close", Catch::CaseSensitive::No));
    }
    CHECK(snapshot() == before);
    CHECK(server().sql("SELECT count(*) FROM lists WHERE name = '" + name + "'") == "0");
    CHECK_THAT(server().log(), Catch::Contains("refused a request from"));

    // Well-formed requests still work, and HTTP/1.0 is answered in HTTP/1.1.
    CHECK(statusLine(exchange("GET /api/health HTTP/1.0\r\n" + auth + "\r\n")) == "HTTP/1.1 200 OK");
    const std::string created = exchange("POST /api/lists HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" + auth +
                                         "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
                                         "\r\n\r\n" + body);
    CHECK(statusLine(created) == "HTTP/1.1 200 OK");
    CHECK(server().sql("SELECT count(*) FROM lists WHERE name = '" + name + "'") == "1");
}

TEST_CASE("a kept-alive connection serves request after request", "[bad-input][http]") {
    const std::string auth = "Authorization: " + server().admin().header + "\r\n";
    const std::string one = "GET /api/health HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n";
    const std::string answer = exchange(one + one + "GET /api/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" + auth + "\r\n");
    std::size_t count = 0;
    for (auto at = answer.find("HTTP/1.1 200 OK\r\n"); at != std::string::npos; at = answer.find("HTTP/1.1 200 OK\r\n", at + 1)) {
        ++count;
    }
    CHECK(count == 3);
}
