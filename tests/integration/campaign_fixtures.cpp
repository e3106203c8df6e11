#include "campaign_fixtures.hpp"

#include <catch2/catch.hpp>

#include <thread>

#include <Poco/JSON/Array.h>

namespace tidings::test {

void configureSending(const TidingsServer& server, const MailSink& sink, int message_rate, int concurrency,
                      int batch_size, int max_send_errors) {
    std::string body = sink.smtpSettingsJson();
    body.pop_back();  // extend the object
    body += R"(,"app.message_rate":)" + std::to_string(message_rate) + R"(,"app.concurrency":)" +
            std::to_string(concurrency) + R"(,"app.batch_size":)" + std::to_string(batch_size) +
            R"(,"app.max_send_errors":)" + std::to_string(max_send_errors) + "}";
    auto r = server.put("/api/settings", body, server.admin());
    INFO(r.body);
    REQUIRE(r.status == 200);
}

std::int64_t makeList(const TidingsServer& server, const std::string& optin) {
    auto r = server.post("/api/lists",
                         R"({"name":")" + unique("list-") + R"(","type":"private","optin":")" + optin + R"("})",
                         server.admin());
    INFO(r.body);
    REQUIRE(r.status == 200);
    return r.data()->getValue<std::int64_t>("id");
}

void addMembers(const TidingsServer& server, std::int64_t list, const std::string& prefix, int count,
                const std::string& membership, const std::string& status, const std::string& domain) {
    // Thousands of subscribers in one statement each store understands, not one request each.
    const std::string n = std::to_string(count), l = std::to_string(list);
    if (server.store() == TestStore::Sqlite) {
        server.sql("BEGIN; WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < " + n + ") "
                   "INSERT INTO subscribers (email, name, attribs, status) SELECT '" + prefix + "' || n || '@" +
                   domain + "', 'Person ' || n, json_object('n', n), '" + status + "' FROM g; "
                   "INSERT INTO subscriber_lists (subscriber_id, list_id, status) SELECT id, " + l + ", '" +
                   membership + "' FROM subscribers WHERE email LIKE '" + prefix + "%@" + domain + "'; COMMIT");
        return;
    }
    server.sql("WITH s AS (INSERT INTO subscribers (email, name, attribs, status) "
               "SELECT '" + prefix + "' || n || '@" + domain + "', 'Person ' || n, jsonb_build_object('n', n), '" +
               status + "' FROM generate_series(1, " + n + ") n RETURNING id) "
               "INSERT INTO subscriber_lists (subscriber_id, list_id, status) SELECT id, " + l + ", '" + membership +
               "' FROM s");
}

std::int64_t createCampaign(const TidingsServer& server, std::int64_t list, const std::string& body,
                            const std::string& messenger) {
    Poco::JSON::Object c;
    c.set("name", unique("campaign-"));
    c.set("subject", "News for {{ .Subscriber.FirstName }}");
    c.set("from_email", "News <news@send.test>");
    Poco::JSON::Array lists;
    lists.add(list);
    c.set("lists", lists);
    c.set("content_type", "html");
    c.set("messenger", messenger);
    c.set("body", body);
    auto r = server.post("/api/campaigns", json(c), server.admin());
    INFO(r.body);
    REQUIRE(r.status == 200);
    return r.data()->getValue<std::int64_t>("id");
}

int setCampaignStatus(const TidingsServer& server, std::int64_t id, const std::string& status) {
    auto r = server.put("/api/campaigns/" + std::to_string(id) + "/status", R"({"status":")" + status + R"("})",
                        server.admin());
    INFO(r.body);
    return r.status;
}

Poco::JSON::Object::Ptr campaignById(const TidingsServer& server, std::int64_t id) {
    auto r = server.get("/api/campaigns/" + std::to_string(id), server.admin());
    INFO(r.body);
    REQUIRE(r.status == 200);
    return r.data();
}

bool waitForCampaignStatus(const TidingsServer& server, std::int64_t id, const std::string& status,
                           std::chrono::seconds timeout) {
    const auto until = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < until) {
        if (campaignById(server, id)->getValue<std::string>("status") == status) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
}

}  // namespace tidings::test
