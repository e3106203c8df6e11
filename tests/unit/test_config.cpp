#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "kernel/config/config.hpp"

using namespace tidings::kernel;

namespace {

std::string writeIni(const std::string& text) {
    auto path = std::filesystem::temp_directory_path() / ("tidings-test-" + std::to_string(::getpid()) + ".ini");
    std::ofstream(path) << text;
    return path.string();
}

}  // namespace

TEST_CASE("config: built-in defaults", "[config]") {
    Config c = Config::load("", {});
    CHECK(c.getString("app.address") == "127.0.0.1:9000");
    CHECK(c.getInt("http.max_body_bytes", 0) == 10485760);
    CHECK(c.getBool("log.access", false));
}

TEST_CASE("config: INI sections, comments, quotes and inline comments", "[config]") {
    auto path = writeIni(R"(; comment
# another
[app]
address = 0.0.0.0:9100   ; inline comment
root_url = "https://news.example.com"
[DB]
URL = postgresql://u@h/db
[plugin.storage-postgres]
pool_size = 7
)");
    Config c = Config::load(path, {});
    CHECK(c.getString("app.address") == "0.0.0.0:9100");
    CHECK(c.getString("app.root_url") == "https://news.example.com");
    CHECK(c.getString("db.url") == "postgresql://u@h/db");
    CHECK(c.getInt("plugin.storage-postgres.pool_size", 0) == 7);
    std::filesystem::remove(path);
}

TEST_CASE("config: malformed files name the line", "[config]") {
    auto path = writeIni("[app]\naddress 127.0.0.1\n");
    CHECK_THROWS_WITH(Config::load(path, {}), Catch::Contains(":2:") && Catch::Contains("key = value"));
    auto orphan = writeIni("address = x\n");
    CHECK_THROWS_WITH(Config::load(orphan, {}), Catch::Contains("outside of a [section]"));
    CHECK_THROWS_AS(Config::load("/nonexistent/tidings.ini", {}), ConfigError);
    std::filesystem::remove(path);
}

TEST_CASE("config: environment overrides with mangled names", "[config]") {
    CHECK(Config::envName("app.address") == "TIDINGS_APP__ADDRESS");
    CHECK(Config::envName("plugin.storage-postgres.pool_size") == "TIDINGS_PLUGIN_STORAGE_POSTGRES__POOL_SIZE");
    auto path = writeIni("[plugin.storage-postgres]\npool_size = 7\n");
    Config c = Config::load(path, {{"TIDINGS_APP__ADDRESS", "127.0.0.1:1"},
                                   {"TIDINGS_PLUGIN_STORAGE_POSTGRES__POOL_SIZE", "9"},
                                   {"TIDINGS_SMTP__HOST", "relay"}});
    CHECK(c.getString("app.address") == "127.0.0.1:1");
    CHECK(c.getInt("plugin.storage-postgres.pool_size", 0) == 9);
    CHECK(c.getString("smtp.host") == "relay");
    c.declareDefault("smtp.port", "25");
    CHECK(c.getInt("smtp.port", 0) == 25);
    std::filesystem::remove(path);
}

TEST_CASE("config: typed getters refuse bad values", "[config]") {
    Config c;
    c.set("x.n", "12a");
    c.set("x.b", "maybe");
    CHECK_THROWS_AS(c.getInt("x.n", 0), ConfigError);
    CHECK_THROWS_AS(c.getBool("x.b", false), ConfigError);
    CHECK(c.getInt("x.missing", 5) == 5);
}
