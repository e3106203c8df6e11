// /api/import/subscribers and /api/subscribers/export over HTTP, with the importer-csv plugin:
// large files with quoting corner cases, bad rows and duplicates, overwrite both ways,
// blocklist mode, stopping midway, one import at a time, and a crash mid-import.
#include <chrono>
#include <thread>

#include <catch2/catch.hpp>

#include <sstream>

#include <Poco/DateTime.h>
#include <Poco/Path.h>
#include <Poco/Zip/Compress.h>

#include "multipart_body.hpp"
#include "tidings_server.hpp"

using namespace tidings::test;

namespace {

const std::map<std::string, std::string> kImportEnv{{"TIDINGS_PLUGINS__ENABLED", "importer-csv"}};

TidingsServer& importServer() {
    static TidingsServer server(kImportEnv);
    return server;
}

/// A multipart/form-data body with `fields` and one CSV file part named "file".
std::string multipart(const std::vector<std::pair<std::string, std::string>>& fields, const std::string& filename,
                      const std::string& content) {
    return tidings::test::multipart(fields, {FilePart{"file", filename, "text/csv", content}});
}

HttpResult upload(const TidingsServer& s, const std::vector<std::pair<std::string, std::string>>& fields,
                  const std::string& content, const std::string& filename = "subscribers.csv") {
    return s.request("POST", "/api/import/subscribers", multipart(fields, filename, content), s.admin(),
                     multipartContentType());
}

/// Polls the status until the import is no longer running.
Poco::JSON::Object::Ptr waitForEnd(const TidingsServer& s) {
    for (int i = 0; i < 1200; ++i) {
        auto r = s.get("/api/import/subscribers", s.admin());
        REQUIRE(r.status == 200);
        auto status = r.data()->getValue<std::string>("status");
        if (status != "importing" && status != "stopping") return r.data();
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    FAIL("the import did not end");
    return {};
}

std::string logText(const TidingsServer& s) {
    auto r = s.get("/api/import/subscribers/logs", s.admin());
    REQUIRE(r.status == 200);
    return r.json.extract<Poco::JSON::Object::Ptr>()->getValue<std::string>("data");
}

void clearImport(const TidingsServer& s) {
    waitForEnd(s);
    REQUIRE(s.del("/api/import/subscribers", s.admin()).status == 200);
}

std::int64_t createList(const TidingsServer& s, const std::string& name) {
    auto r = s.post("/api/lists", R"({"name":")" + name + R"("})", s.admin());
    REQUIRE(r.status == 200);
    return r.data()->getValue<std::int64_t>("id");
}

std::string count(const TidingsServer& s, const std::string& where) {
    return s.sql("SELECT COUNT(*) FROM subscribers WHERE " + where);
}

/// A ZIP archive holding `files` (name, content).
std::string zipOf(const std::vector<std::pair<std::string, std::string>>& files) {
    std::ostringstream out;
    Poco::Zip::Compress zip(out, true);
    for (const auto& [name, content] : files) {
        std::istringstream in(content);
        zip.addFile(in, Poco::DateTime(), Poco::Path(name));
    }
    zip.close();
    return out.str();
}

/// `rows` rows for domain `domain`: every row valid, with quoting corner cases.
std::string bigCsv(const std::string& domain, int rows, int from = 0) {
    std::string out = "\xEF\xBB\xBF" "Attributes,Email,Extra,Name\r\n";  // BOM, any order, extra column
    for (int i = from; i < from + rows; ++i) {
        const std::string email = "u" + std::to_string(i) + "@" + domain;
        std::string name;
        switch (i % 5) {
        case 0: name = "Plain " + std::to_string(i); break;
        case 1: name = "\"Doe, \"\"J\"\" " + std::to_string(i) + "\""; break;     // comma and quotes
        case 2: name = "\"Two\r\nLines " + std::to_string(i) + "\""; break;       // line break in quotes
        case 3: name = "\"\""; break;                                                // empty: from the e-mail
        default: name = "Ünïcode ✓ " + std::to_string(i); break;
        }
        out += "\"{\"\"n\"\": " + std::to_string(i) + ", \"\"tag\"\": \"\"a,b\"\"}\"," + email + ",x," + name + "\r\n";
    }
    return out;
}

}  // namespace

TEST_CASE("import: 100,000 rows with quoting corner cases, bad rows and duplicates", "[import]") {
    auto& s = importServer();
    clearImport(s);
    const std::string domain = unique("big") + ".example.com";
    const auto list = createList(s, unique("imp-"));
    std::string csv = bigCsv(domain, 100000);
    // Line numbers: header is line 1; rows with a quoted line break take two lines each.
    csv += "{},not-an-email,x,Bad\r\n";
    csv += "\"{\"\"a\"\": }\",bad-json@" + domain + ",x,Bad JSON\r\n";
    csv += "short@" + domain + "\r\n";
    csv += "\"{\"\"dup\"\": 1}\",u5@" + domain + ",x,Duplicate Last\r\n";
    auto r = upload(s, {{"mode", "subscribe"}, {"lists", std::to_string(list)}}, csv);
    REQUIRE(r.status == 200);
    CHECK(r.data()->getValue<std::string>("status") == "importing");
    auto end = waitForEnd(s);
    CHECK(end->getValue<std::string>("status") == "finished");
    // The row with broken attributes is imported without them; the duplicate counts as applied.
    CHECK(end->getValue<std::int64_t>("imported") == 100002);
    CHECK(end->getValue<std::int64_t>("total") == 100004);
    CHECK(count(s, "email LIKE '%@" + domain + "'") == "100001");
    CHECK(s.sql("SELECT name || '|' || (attribs->>'n') || '|' || (attribs->>'tag') FROM subscribers WHERE email = 'u1@" +
                domain + "'") == "Doe, \"J\" 1|1|a,b");
    CHECK(s.sql("SELECT name FROM subscribers WHERE email = 'u2@" + domain + "'") == "Two\r\nLines 2");
    CHECK(s.sql("SELECT name FROM subscribers WHERE email = 'u3@" + domain + "'") == "U3");
    CHECK(s.sql("SELECT name FROM subscribers WHERE email = 'u4@" + domain + "'") == "Ünïcode ✓ 4");
    // Without overwrite, the first occurrence of u5 stays.
    CHECK(s.sql("SELECT attribs->>'n' FROM subscribers WHERE email = 'u5@" + domain + "'") == "5");
    CHECK(s.sql("SELECT COUNT(*) FROM subscriber_lists WHERE list_id = " + std::to_string(list) +
                " AND status = 'unconfirmed'") == "100001");
    const std::string log = logText(s);
    const int last = 1 + 100000 + 100000 / 5;  // header + rows + extra lines of the two-line names
    CHECK_THAT(log, Catch::Contains("line " + std::to_string(last + 1) + ": skipped: invalid email \"not-an-email\""));
    CHECK_THAT(log, Catch::Contains("line " + std::to_string(last + 2) + ": imported without its attributes ("));
    CHECK_THAT(log, Catch::Contains("line " + std::to_string(last + 3) + ": skipped: expected 4 fields, found 1"));
    CHECK_THAT(log, Catch::Contains("finished: 100002 rows imported, 2 skipped"));
}

TEST_CASE("import: unusable attributes or names are left out, only a bad e-mail or a short row skips", "[import]") {
    auto& s = importServer();
    clearImport(s);
    const std::string domain = unique("part") + ".example.com";
    const std::string csv = "email,name,attributes\n"                                       // line 1
                            "whole@" + domain + ",Whole,\"{\"\"city\"\": \"\"Oslo\"\"}\"\n"  // 2
                            "badjson@" + domain + ",Bad Json,\"{\"\"city\"\": }\"\n"            // 3
                            "array@" + domain + ",Array,\"[1, 2]\"\n"                          // 4
                            "long.name@" + domain + "," + std::string(2001, 'n') + ",{}\n"      // 5
                            "both@" + domain + "," + std::string(2001, 'n') + ",nope\n"         // 6
                            "not-an-email,Nobody,{}\n"                                         // 7
                            ",No Address,{}\n"                                                 // 8
                            "short@" + domain + "\n";                                          // 9
    REQUIRE(upload(s, {{"mode", "subscribe"}}, csv).status == 200);
    auto end = waitForEnd(s);
    CHECK(end->getValue<std::string>("status") == "finished");
    CHECK(end->getValue<std::int64_t>("imported") == 5);
    CHECK(count(s, "email LIKE '%@" + domain + "'") == "5");
    auto row = [&](const std::string& local) {
        return s.sql("SELECT name || '|' || attribs FROM subscribers WHERE email = '" + local + "@" + domain + "'");
    };
    CHECK_THAT(row("whole"), Catch::StartsWith("Whole|") && Catch::Contains("Oslo"));
    CHECK(row("badjson") == "Bad Json|{}");
    CHECK(row("array") == "Array|{}");
    CHECK(row("long.name") == "Long Name|{}");  // the name made from the e-mail, as for an empty one
    CHECK(row("both") == "Both|{}");
    const std::string log = logText(s);
    INFO(log);
    CHECK_THAT(log, Catch::Contains("line 3: imported without its attributes ("));
    CHECK_THAT(log, Catch::Contains("line 4: imported without its attributes ("));
    CHECK_THAT(log, Catch::Contains("line 5: imported without its name (longer than 2000 bytes)"));
    CHECK_THAT(log, Catch::Contains("line 6: imported without its name (longer than 2000 bytes) and its attributes ("));
    CHECK_THAT(log, Catch::Contains("line 7: skipped: invalid email \"not-an-email\""));
    CHECK_THAT(log, Catch::Contains("line 8: skipped: invalid email \"\""));
    CHECK_THAT(log, Catch::Contains("line 9: skipped: expected 3 fields, found 1"));
    CHECK(log.find("line 2:") == std::string::npos);
    CHECK_THAT(log, Catch::Contains("finished: 5 rows imported, 3 skipped"));
}

TEST_CASE("import: overwrite on replaces profiles and statuses, off keeps them", "[import]") {
    auto& s = importServer();
    clearImport(s);
    const std::string domain = unique("ow") + ".example.com";
    const auto list = createList(s, unique("ow-"));
    const std::string first = "email,name,attributes\na@" + domain + ",First,\"{\"\"v\"\": 1}\"\n";
    REQUIRE(upload(s, {{"lists", std::to_string(list)}, {"subscription_status", "confirmed"}}, first).status == 200);
    waitForEnd(s);
    const std::string second = "email,name,attributes\na@" + domain + ",Second,\"{\"\"v\"\": 2}\"\n";
    REQUIRE(upload(s, {{"lists", std::to_string(list)}, {"overwrite", "false"}, {"subscription_status", "unsubscribed"}},
                   second).status == 200);
    waitForEnd(s);
    const std::string who = "(SELECT id FROM subscribers WHERE email = 'a@" + domain + "')";
    CHECK(s.sql("SELECT name || '|' || (attribs->>'v') FROM subscribers WHERE email = 'a@" + domain + "'") == "First|1");
    CHECK(s.sql("SELECT status FROM subscriber_lists WHERE subscriber_id = " + who) == "confirmed");
    // listmonk's params JSON, with overwrite on.
    REQUIRE(upload(s, {{"params", R"({"mode":"subscribe","lists":[)" + std::to_string(list) +
                                      R"(],"overwrite":true,"subscription_status":"unsubscribed"})"}},
                   second).status == 200);
    waitForEnd(s);
    CHECK(s.sql("SELECT name || '|' || (attribs->>'v') FROM subscribers WHERE email = 'a@" + domain + "'") == "Second|2");
    CHECK(s.sql("SELECT status FROM subscriber_lists WHERE subscriber_id = " + who) == "unsubscribed");
}

TEST_CASE("import: blocklist mode blocklists and unsubscribes, new and existing", "[import]") {
    auto& s = importServer();
    clearImport(s);
    const std::string domain = unique("bl") + ".example.com";
    const auto list = createList(s, unique("bl-"));
    REQUIRE(upload(s, {{"lists", std::to_string(list)}, {"subscription_status", "confirmed"}},
                   "email\nold@" + domain + "\n").status == 200);
    waitForEnd(s);
    // Semicolon-delimited, as some spreadsheets write.
    REQUIRE(upload(s, {{"mode", "blocklist"}, {"delim", ";"}}, "name;email\nOld;old@" + domain + "\nNew;new@" + domain + "\n")
                .status == 200);
    auto end = waitForEnd(s);
    CHECK(end->getValue<std::string>("status") == "finished");
    CHECK(count(s, "email LIKE '%@" + domain + "' AND status = 'blocklisted'") == "2");
    CHECK(s.sql("SELECT status FROM subscriber_lists WHERE subscriber_id = (SELECT id FROM subscribers WHERE email = 'old@" +
                domain + "')") == "unsubscribed");
    // A later subscribe import gives blocklisted subscribers unsubscribed memberships only.
    REQUIRE(upload(s, {{"lists", std::to_string(list)}, {"subscription_status", "confirmed"}},
                   "email\nnew@" + domain + "\n").status == 200);
    waitForEnd(s);
    CHECK(s.sql("SELECT status FROM subscriber_lists WHERE subscriber_id = (SELECT id FROM subscribers WHERE email = 'new@" +
                domain + "')") == "unsubscribed");
    CHECK(count(s, "email = 'new@" + domain + "' AND status = 'blocklisted'") == "1");
}

TEST_CASE("import: a ZIP holding one CSV is imported, one without is refused", "[import]") {
    auto& s = importServer();
    clearImport(s);
    const std::string domain = unique("zip") + ".example.com";
    const auto list = createList(s, unique("zip-"));
    const std::string csv = "email,name\none@" + domain + ",One\ntwo@" + domain + ",Two\n";
    REQUIRE(upload(s, {{"lists", std::to_string(list)}}, zipOf({{"README.txt", "not data"}, {"people.csv", csv}}),
                   "people.zip").status == 200);
    auto done = waitForEnd(s);
    CHECK(done->getValue<std::string>("status") == "finished");
    CHECK(done->getValue<std::int64_t>("imported") == 2);
    CHECK(count(s, "email LIKE '%@" + domain + "'") == "2");
    clearImport(s);
    auto refused = upload(s, {{"lists", std::to_string(list)}}, zipOf({{"README.txt", "not data"}}), "empty.zip");
    CHECK(refused.status == 400);
    CHECK(refused.message().find(".csv") != std::string::npos);
}

TEST_CASE("import: refused uploads change nothing", "[import]") {
    auto& s = importServer();
    clearImport(s);
    const std::string domain = unique("bad") + ".example.com";
    const std::string csv = "email\nx@" + domain + "\n";
    auto r = s.request("POST", "/api/import/subscribers", multipart({{"mode", "subscribe"}}, "a.csv", csv).substr(0, 10),
                       s.admin(), "text/csv");
    CHECK(r.status == 400);
    CHECK(upload(s, {{"mode", "everything"}}, csv).status == 400);
    CHECK_THAT(upload(s, {{"mode", "everything"}}, csv).message(), Catch::Contains("mode"));
    CHECK_THAT(upload(s, {{"lists", "999999"}}, csv).message(), Catch::Contains("lists"));
    CHECK(upload(s, {{"lists", "abc"}}, csv).status == 400);
    CHECK(upload(s, {{"delim", "ab"}}, csv).status == 400);
    CHECK(upload(s, {{"subscription_status", "maybe"}}, csv).status == 400);
    auto no_email = upload(s, {}, "name,attributes\nA,{}\n");
    CHECK(no_email.status == 400);
    CHECK_THAT(no_email.message(), Catch::Contains("email column"));
    CHECK(upload(s, {}, "").status == 400);
    auto no_file = s.request("POST", "/api/import/subscribers",
                             "--" + kMultipartBoundary + "\r\nContent-Disposition: form-data; name=\"mode\"\r\n\r\nsubscribe\r\n--" +
                                 kMultipartBoundary + "--\r\n",
                             s.admin(), multipartContentType());
    CHECK(no_file.status == 400);
    CHECK_THAT(no_file.message(), Catch::Contains("file"));
    CHECK(s.request("POST", "/api/import/subscribers", multipart({}, "a.csv", csv), Credentials::none(),
                    multipartContentType()).status == 401);
    CHECK(count(s, "email LIKE '%@" + domain + "'") == "0");
    CHECK(s.get("/api/import/subscribers", s.admin()).data()->getValue<std::string>("status") == "none");
}

TEST_CASE("import: a delimiter that is not one printable ASCII character is refused", "[import]") {
    auto& s = importServer();
    clearImport(s);
    const std::string domain = unique("delim") + ".example.com";
    // A high byte once sent the parser into an endless loop: no answer, and no clean shutdown.
    const std::string high = "email\xffname\r\nx@" + domain + "\xffX\r\n";
    const std::vector<std::string> refused{"\xff", "\x80", "\xc3\xa9", "\"", "\r", "\n", std::string(1, '\0'), "", ";;"};
    for (const auto& delim : refused) {
        INFO("delim bytes: " << delim.size());
        auto r = upload(s, {{"delim", delim}}, high);
        CHECK(r.status == 400);
        CHECK_THAT(r.message(), Catch::Contains("delim"));
    }
    auto in_params = upload(s, {{"params", R"({"delim": "\u00ff"})"}}, high);
    CHECK(in_params.status == 400);
    CHECK_THAT(in_params.message(), Catch::Contains("delim"));
    CHECK(count(s, "email LIKE '%@" + domain + "'") == "0");
    CHECK(s.get("/api/import/subscribers", s.admin()).data()->getValue<std::string>("status") == "none");

    // Printable ones and a tab still work.
    REQUIRE(upload(s, {{"delim", "|"}}, "email|name\r\np@" + domain + "|P\r\n").status == 200);
    CHECK(waitForEnd(s)->getValue<std::string>("status") == "finished");
    clearImport(s);
    REQUIRE(upload(s, {{"delim", "\t"}}, "email\tname\r\nt@" + domain + "\tT\r\n").status == 200);
    CHECK(waitForEnd(s)->getValue<std::string>("status") == "finished");
    clearImport(s);
    CHECK(count(s, "email LIKE '%@" + domain + "'") == "2");
}

TEST_CASE("import: stop midway keeps whole batches and a second import while one runs is 409", "[import]") {
    // Small batches make the import long enough to stop.
    TidingsServer s({{"TIDINGS_PLUGINS__ENABLED", "importer-csv"}, {"TIDINGS_IMPORT__BATCH_ROWS", "200"}});
    const std::string domain = unique("stop") + ".example.com";
    REQUIRE(upload(s, {}, bigCsv(domain, 100000)).status == 200);
    auto second = upload(s, {}, "email\nother@" + domain + "\n");
    CHECK(second.status == 409);
    CHECK_THAT(second.message(), Catch::Contains("already running"));
    auto stop = s.del("/api/import/subscribers", s.admin());
    REQUIRE(stop.status == 200);
    auto end = waitForEnd(s);
    CHECK(end->getValue<std::string>("status") == "stopped");
    const auto imported = end->getValue<std::int64_t>("imported");
    CHECK(imported < 100000);
    CHECK(imported % 200 == 0);  // whole batches only
    CHECK(count(s, "email LIKE '%@" + domain + "'") == std::to_string(imported));
    CHECK_THAT(logText(s), Catch::Contains("stopped on request"));
    // Stopped imports are cleared by a second DELETE, and a new one may start.
    CHECK(s.del("/api/import/subscribers", s.admin()).data()->getValue<std::string>("status") == "none");
    REQUIRE(upload(s, {}, "email\nother@" + domain + "\n").status == 200);
    CHECK(waitForEnd(s)->getValue<std::string>("status") == "finished");
}

TEST_CASE("import: a crash mid-import leaves it failed with its count, never importing", "[import]") {
    auto first = std::make_unique<TidingsServer>(
        std::map<std::string, std::string>{{"TIDINGS_PLUGINS__ENABLED", "importer-csv"},
                                           {"TIDINGS_IMPORT__BATCH_ROWS", "200"}});
    const std::string domain = unique("crash") + ".example.com";
    REQUIRE(upload(*first, {}, bigCsv(domain, 100000)).status == 200);
    for (int i = 0; i < 100 && first->get("/api/import/subscribers", first->admin()).data()->getValue<std::int64_t>("imported") == 0; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    first->kill();
    auto env = first->sameDatabase();
    env["TIDINGS_PLUGINS__ENABLED"] = "importer-csv";
    env["TIDINGS_IMPORT__STALE_AFTER_SECONDS"] = "1";
    TidingsServer second(env);
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    auto state = second.get("/api/import/subscribers", second.admin()).data();
    CHECK(state->getValue<std::string>("status") == "failed");
    const auto imported = state->getValue<std::int64_t>("imported");
    CHECK(imported > 0);
    CHECK(count(second, "email LIKE '%@" + domain + "'") == std::to_string(imported));
    REQUIRE(upload(second, {}, "email\nafter@" + domain + "\n").status == 200);
    CHECK(waitForEnd(second)->getValue<std::string>("status") == "finished");
}

TEST_CASE("import: SIGTERM mid-import stops it and records it failed, not importing", "[import]") {
    auto first = std::make_unique<TidingsServer>(
        std::map<std::string, std::string>{{"TIDINGS_PLUGINS__ENABLED", "importer-csv"},
                                           {"TIDINGS_IMPORT__BATCH_ROWS", "200"}});
    const std::string domain = unique("term") + ".example.com";
    REQUIRE(upload(*first, {}, bigCsv(domain, 100000)).status == 200);
    for (int i = 0; i < 100 && first->get("/api/import/subscribers", first->admin()).data()->getValue<std::int64_t>("imported") == 0; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    INFO(first->log());
    REQUIRE(first->terminate());
    CHECK_THAT(first->log(), Catch::Contains("import of subscribers.csv failed: "));
    // The default stale_after (60 s): only the process's own shutdown can have ended the run.
    auto env = first->sameDatabase();
    env["TIDINGS_PLUGINS__ENABLED"] = "importer-csv";
    TidingsServer second(env);
    auto state = second.get("/api/import/subscribers", second.admin()).data();
    CHECK(state->getValue<std::string>("status") == "failed");
    CHECK(count(second, "email LIKE '%@" + domain + "'") == std::to_string(state->getValue<std::int64_t>("imported")));
    CHECK_THAT(logText(second), Catch::Contains("the server shut down during the import"));
}

TEST_CASE("export: the current query as CSV that imports back", "[import]") {
    auto& s = importServer();
    clearImport(s);
    const std::string domain = unique("exp") + ".example.com";
    REQUIRE(upload(s, {}, "email,name,attributes\na@" + domain + ",\"Doe, Jane\",\"{\"\"k\"\": \"\"v\"\"}\"\nb@" + domain +
                              ",B,\n").status == 200);
    waitForEnd(s);
    auto r = s.request("GET", "/api/subscribers/export?search=" + domain, "", s.admin());
    REQUIRE(r.status == 200);
    CHECK_THAT(r.headers["content-type"], Catch::StartsWith("text/csv"));
    CHECK_THAT(r.body, Catch::StartsWith("uuid,email,name,attributes,status,created_at,updated_at\n"));
    CHECK_THAT(r.body, Catch::Contains(",a@" + domain + ",\"Doe, Jane\",\"{\"\"k\"\": \"\"v\"\"}\",enabled,"));
    CHECK_THAT(r.body, Catch::Contains(",b@" + domain + ",B,{},enabled,"));
    CHECK(s.request("GET", "/api/subscribers/export?subscription_status=nope", "", s.admin()).status == 400);
}
