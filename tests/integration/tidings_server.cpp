#include "tidings_server.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <Poco/Base64Encoder.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>

#include <signal.h>
#include <sys/resource.h>

namespace tidings::test {
namespace {

std::string randomHex(int bytes) {
    static std::mt19937_64 rng{std::random_device{}()};
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    for (int i = 0; i < bytes * 2; ++i) out.push_back(hex[rng() % 16]);
    return out;
}

int freePort() {
    Poco::Net::ServerSocket s(Poco::Net::SocketAddress("127.0.0.1", 0));
    return s.address().port();
}

std::string withDatabase(const std::string& server_url, const std::string& db) {
    auto slash = server_url.rfind('/');
    auto query = server_url.find('?', slash);
    return server_url.substr(0, slash + 1) + db + (query == std::string::npos ? "" : server_url.substr(query));
}

/// Poco::Process::launch closes every descriptor up to the soft RLIMIT_NOFILE in the child; with
/// container limits of a million or more that costs seconds per launch. Tests need few.
void limitDescriptors() {
    static const bool done = [] {
        rlimit limit{};
        if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur > 4096) {
            limit.rlim_cur = 4096;
            setrlimit(RLIMIT_NOFILE, &limit);
        }
        return true;
    }();
    (void)done;
}

/// Runs a database's command-line client and returns its output without the final newline.
std::string runClient(const std::string& program, const std::vector<std::string>& args) {
    limitDescriptors();
    Poco::Pipe out;
    auto handle = Poco::Process::launch(program, args, nullptr, &out, &out);
    Poco::PipeInputStream in(out);
    std::stringstream text;
    text << in.rdbuf();
    int rc = handle.wait();
    if (rc != 0) throw std::runtime_error(program + " failed (" + std::to_string(rc) + "): " + text.str());
    std::string result = text.str();
    while (!result.empty() && (result.back() == '\n' || result.back() == '\r')) result.pop_back();
    return result;
}

std::string runPsql(const std::string& url, const std::string& statement) {
    return runClient("psql", {url, "-v", "ON_ERROR_STOP=1", "-qAtc", statement});
}

// Same output shape as psql -qAt: unaligned, '|'-separated, no header. The timeout waits out
// the server's writer instead of failing with "database is locked".
std::string runSqlite(const std::string& path, const std::string& statement) {
    return runClient("sqlite3", {"-batch", "-bail", "-list", "-noheader", "-cmd", ".timeout 10000", path, statement});
}

}  // namespace

TestStore testStore() {
    const char* store = std::getenv("TIDINGS_TEST_STORE");
    if (!store || !*store || std::string_view(store) == "postgres") return TestStore::Postgres;
    if (std::string_view(store) == "sqlite") return TestStore::Sqlite;
    throw std::runtime_error(std::string("TIDINGS_TEST_STORE must be postgres or sqlite, not ") + store);
}

namespace {

}  // namespace

Credentials Credentials::basic(const std::string& user, const std::string& secret) {
    std::ostringstream out;
    Poco::Base64Encoder encoder(out);
    encoder.rdbuf()->setLineLength(0);
    encoder << user << ':' << secret;
    encoder.close();
    return {"Basic " + out.str()};
}

Poco::JSON::Object::Ptr HttpResult::data() const {
    if (json.type() != typeid(Poco::JSON::Object::Ptr)) throw std::runtime_error("response is not a JSON object: " + body);
    auto obj = json.extract<Poco::JSON::Object::Ptr>();
    auto d = obj->getObject("data");
    if (!d) throw std::runtime_error("response has no data object: " + body);
    return d;
}

std::string HttpResult::message() const {
    if (json.type() != typeid(Poco::JSON::Object::Ptr)) return {};
    return json.extract<Poco::JSON::Object::Ptr>()->optValue<std::string>("message", "");
}

std::string json(const Poco::Dynamic::Var& value) {
    std::ostringstream out;
    Poco::JSON::Stringifier::stringify(value, out);
    return out.str();
}

std::string unique(const std::string& prefix) { return prefix + randomHex(6); }

TidingsServer::TidingsServer(std::map<std::string, std::string> env) : store_(testStore()) {
    if (auto shared = env.find("TIDINGS_DB__URL"); shared != env.end()) {
        db_url_ = shared->second;  // another server's database: not ours to drop
    } else if (store_ == TestStore::Sqlite) {
        db_dir_ = std::filesystem::temp_directory_path() / ("tidings-it-" + randomHex(6));
        std::filesystem::create_directories(db_dir_);
        db_url_ = "sqlite:" + (db_dir_ / "tidings.db").string();
    } else {
        const char* pg = std::getenv("TIDINGS_TEST_PG_URL");
        if (!pg || !*pg) {
            throw std::runtime_error("TIDINGS_TEST_PG_URL is not set: run the integration tests through scripts/test, "
                                     "or export TIDINGS_TEST_PG_URL=postgresql://postgres@127.0.0.1:<port>/postgres");
        }
        server_url_ = pg;
        db_name_ = "it_" + randomHex(6);
        runPsql(server_url_, "CREATE DATABASE " + db_name_);
        db_url_ = withDatabase(server_url_, db_name_);
    }
    auto password = env.find("TIDINGS_ADMIN_PASSWORD");
    admin_password_ = password != env.end() ? password->second : randomHex(10);
    port_ = freePort();
    root_ = "http://127.0.0.1:" + std::to_string(port_);
    log_path_ = "/tmp/tidings-it-" + randomHex(6) + ".log";

    Poco::Process::Env environment{
        {"TIDINGS_APP__ADDRESS", "127.0.0.1:" + std::to_string(port_)},
        {"TIDINGS_APP__ROOT_URL", root_},
        {"TIDINGS_DB__URL", db_url_},
        {"TIDINGS_PLUGINS__DIR", TIDINGS_PLUGIN_DIR},
        {"TIDINGS_PLUGINS__ENABLED", ""},
        {"TIDINGS_ADMIN_USER", "admin"},
        {"TIDINGS_ADMIN_PASSWORD", admin_password_},
        {"TIDINGS_SECURITY__RATE_LIMIT", "0"},
    };
    for (auto& [k, v] : env) environment[k] = v;
    std::vector<std::string> args{"-c", std::string("exec \"$0\" > ") + log_path_ + " 2>&1", TIDINGS_BIN};
    process_ = std::make_unique<Poco::ProcessHandle>(Poco::Process::launch("/bin/sh", args, ".", nullptr, nullptr, nullptr, environment));

    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline) {
        if (!Poco::Process::isRunning(*process_)) throw std::runtime_error("tidings exited during start-up:\n" + log());
        try {
            if (get("/api/health", admin()).status == 200) return;
        } catch (const Poco::Exception&) {
            // not listening yet
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    throw std::runtime_error("tidings did not become healthy within 30 s:\n" + log());
}

TidingsServer::~TidingsServer() {
    if (process_ && Poco::Process::isRunning(*process_)) {
        ::kill(process_->id(), SIGTERM);
        for (int i = 0; i < 50 && Poco::Process::isRunning(*process_); ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        if (Poco::Process::isRunning(*process_)) Poco::Process::kill(*process_);
    }
    if (process_) process_->wait();
    try {
        if (!db_name_.empty()) runPsql(server_url_, "DROP DATABASE IF EXISTS " + db_name_ + " WITH (FORCE)");
    } catch (...) {
    }
    if (!db_dir_.empty()) {
        std::error_code ignored;
        std::filesystem::remove_all(db_dir_, ignored);
    }
    std::remove(log_path_.c_str());
}

void TidingsServer::kill() {
    if (!process_) return;
    ::kill(process_->id(), SIGKILL);
    process_->wait();
    process_.reset();
}

bool TidingsServer::terminate(std::chrono::seconds grace) {
    if (!process_) return true;
    ::kill(process_->id(), SIGTERM);
    const auto deadline = std::chrono::steady_clock::now() + grace;
    bool exited = false;
    // tryWait, not isRunning: an exited child stays a zombie, and "running", until reaped.
    while (!(exited = process_->tryWait() != -1) && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    if (!exited) {
        ::kill(process_->id(), SIGKILL);
        process_->wait();
    }
    process_.reset();
    return exited;
}

std::map<std::string, std::string> TidingsServer::sameDatabase() const {
    return {{"TIDINGS_DB__URL", db_url_}, {"TIDINGS_ADMIN_PASSWORD", admin_password_}};
}

std::string TidingsServer::log() const {
    std::ifstream in(log_path_);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

std::string TidingsServer::sql(const std::string& statement) const {
    if (db_url_.rfind("sqlite:", 0) == 0) return runSqlite(db_url_.substr(7), statement);
    return runPsql(db_url_, statement);
}

std::string TidingsServer::clusterSql(const std::string& statement) const {
    if (store_ != TestStore::Postgres || db_name_.empty())
        throw std::runtime_error("clusterSql needs a PostgreSQL server that created its database");
    std::string text = statement;
    for (std::size_t at; (at = text.find("{db}")) != std::string::npos;) text.replace(at, 4, db_name_);
    return runPsql(server_url_, text);
}

HttpResult TidingsServer::request(const std::string& method, const std::string& path, const std::string& body,
                                  const Credentials& who, const std::string& content_type,
                                  const std::vector<std::pair<std::string, std::string>>& headers) const {
    Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port_));
    session.setTimeout(Poco::Timespan(30, 0));
    Poco::Net::HTTPRequest rq(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
    if (!who.header.empty()) rq.set("Authorization", who.header);
    for (const auto& [k, v] : headers) rq.set(k, v);
    if (!body.empty() || method == "POST" || method == "PUT") {
        rq.setContentType(content_type);
        rq.setContentLength64(static_cast<Poco::Int64>(body.size()));
    }
    Poco::Net::HTTPResponse rs;
    // Large bodies go with Expect: 100-continue, as curl sends them: a server that refuses the
    // size (413) answers before the body is on the wire instead of resetting the connection.
    const bool expect_continue = body.size() > 1024 * 1024;
    rq.setExpectContinue(expect_continue);
    std::ostream& out = session.sendRequest(rq);
    bool send_body = !expect_continue || session.peekResponse(rs);
    if (send_body) out << body;
    std::istream& in = session.receiveResponse(rs);
    HttpResult result;
    result.status = rs.getStatus();
    for (const auto& [k, v] : rs) {
        std::string lower = k;
        for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        result.headers[lower] = v;
    }
    std::stringstream text;
    // 204 and 304 have no body; reading one would wait for the keep-alive timeout.
    if (result.status != 204 && result.status != 304 && method != "HEAD") text << in.rdbuf();
    result.body = text.str();
    if (rs.getContentType().find("json") != std::string::npos && !result.body.empty()) {
        try {
            Poco::JSON::Parser parser;
            result.json = parser.parse(result.body);
        } catch (const Poco::Exception&) {
            // leave json empty; tests assert on it
        }
    }
    // A 500 is a bug wherever it happens, whatever the test was checking (docs/decisions.md,
    // "Errors"): every suite fails on one. Other 5xx (503 with the database or relay away, 505)
    // are answers some tests provoke on purpose.
    if (result.status == 500) FAIL_CHECK("500 from " << method << " " << path << ": " << result.body);
    return result;
}

}  // namespace tidings::test
