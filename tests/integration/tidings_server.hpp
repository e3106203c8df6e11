// Test fixture: a real `tidings` process on a fresh database, and an HTTP client.
//
// TIDINGS_TEST_STORE picks the store the suite runs against (CTest runs every suite once per
// store). postgres, the default: the server comes from TIDINGS_TEST_PG_URL (scripts/test starts
// one) and each fixture gets its own database, dropped when it ends; without the variable the
// test fails with a message saying how to run it, it is never skipped. sqlite: each fixture gets
// a database file in a temporary directory, removed when it ends.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <Poco/JSON/Object.h>
#include <Poco/Process.h>

namespace tidings::test {

/// One HTTP response, with the body parsed when it is JSON.
struct HttpResult {
    int status = 0;
    std::map<std::string, std::string> headers;  ///< Lower-case names.
    std::string body;
    Poco::Dynamic::Var json;  ///< Empty when the body is not JSON.

    /// json["data"] as an object (throws when absent).
    Poco::JSON::Object::Ptr data() const;
    /// json["message"] or "".
    std::string message() const;
};

/// Who a request is sent as.
struct Credentials {
    std::string header;  ///< The Authorization header value; empty for none.
    static Credentials none() { return {}; }
    static Credentials basic(const std::string& user, const std::string& secret);
    static Credentials token(const std::string& user, const std::string& token) { return {"token " + user + ":" + token}; }
    static Credentials bearer(const std::string& token) { return {"Bearer " + token}; }
};

enum class TestStore { Postgres, Sqlite };

/// The store named by TIDINGS_TEST_STORE (PostgreSQL when unset).
TestStore testStore();

class TidingsServer {
public:
    /// Starts a server on a fresh database; `env` adds or overrides TIDINGS_* variables. With
    /// `sameDatabase()` of another server in `env`, it joins that server's database instead.
    explicit TidingsServer(std::map<std::string, std::string> env = {});
    ~TidingsServer();
    TidingsServer(const TidingsServer&) = delete;
    TidingsServer& operator=(const TidingsServer&) = delete;

    const std::string& root() const { return root_; }
    int port() const { return port_; }
    Credentials admin() const { return Credentials::basic("admin", admin_password_); }
    const std::string& databaseUrl() const { return db_url_; }

    /// Sends one request. A 500 answer fails the running test (a 500 is always a bug).
    HttpResult request(const std::string& method, const std::string& path, const std::string& body = "",
                       const Credentials& who = {}, const std::string& content_type = "application/json",
                       const std::vector<std::pair<std::string, std::string>>& headers = {}) const;
    HttpResult get(const std::string& path, const Credentials& who) const { return request("GET", path, "", who); }
    HttpResult post(const std::string& path, const std::string& json, const Credentials& who) const {
        return request("POST", path, json, who);
    }
    HttpResult put(const std::string& path, const std::string& json, const Credentials& who) const {
        return request("PUT", path, json, who);
    }
    HttpResult del(const std::string& path, const Credentials& who) const { return request("DELETE", path, "", who); }

    /// Runs SQL on the server's database through psql or sqlite3 and returns its unaligned
    /// output ('|' between columns). Keep statements to SQL both stores understand.
    std::string sql(const std::string& statement) const;
    /// PostgreSQL only: runs SQL on the cluster's maintenance database (the one
    /// TIDINGS_TEST_PG_URL names), for statements about this server's database itself, such as
    /// refusing its connections. `{db}` in the statement stands for this server's database name.
    std::string clusterSql(const std::string& statement) const;

    /// Kills the process with SIGKILL (a crash: no shutdown code runs) and reaps it.
    void kill();

    /// Asks the process to stop with SIGTERM, as an operator's service manager does, and
    /// reaps it. True when it exited by itself within `grace`; otherwise it is killed.
    bool terminate(std::chrono::seconds grace = std::chrono::seconds(60));

    /// The environment that makes another server share this one's database and admin.
    std::map<std::string, std::string> sameDatabase() const;

    /// Everything the server printed so far.
    std::string log() const;

    TestStore store() const { return store_; }

private:
    TestStore store_;
    std::filesystem::path db_dir_;  ///< SQLite: the temporary directory holding the database.
    std::string db_name_;
    std::string db_url_;
    std::string server_url_;
    std::string admin_password_;
    std::string log_path_;
    std::string root_;
    int port_ = 0;
    std::unique_ptr<Poco::ProcessHandle> process_;
};

/// Serialises a JSON value the way tests write bodies.
std::string json(const Poco::Dynamic::Var& value);

/// A unique suffix for names in one test run.
std::string unique(const std::string& prefix);

}  // namespace tidings::test
