#include <catch2/catch.hpp>

#include <tidings/sdk/v1/duration.hpp>

#include "kernel/config/config.hpp"
#include "kernel/plugins/storage_choice.hpp"

using namespace tidings::kernel;

TEST_CASE("the database URL chooses the storage plugin", "[config]") {
    CHECK(storagePluginFor("") == "storage-sqlite");
    CHECK(storagePluginFor("sqlite:var/tidings.db") == "storage-sqlite");
    CHECK(storagePluginFor("sqlite:///srv/tidings.db") == "storage-sqlite");
    CHECK(storagePluginFor("postgresql://tidings@db:5432/tidings") == "storage-postgres");
    CHECK(storagePluginFor("postgres://tidings@db/tidings") == "storage-postgres");
    CHECK(storagePluginFor("host=db dbname=tidings") == "storage-postgres");
    CHECK_THROWS_AS(storagePluginFor("mysql://root:secret@db/tidings"), ConfigError);
    try {
        storagePluginFor("mysql://root:secret@db/tidings");
    } catch (const ConfigError& e) {
        CHECK(std::string(e.what()).find("secret") == std::string::npos);
    }
}

TEST_CASE("the storage plugin is loaded first, an explicit one wins, two are refused", "[config]") {
    using V = std::vector<std::string>;
    CHECK(pluginsToLoad({"messenger-smtp", "importer-csv"}, "") == V{"storage-sqlite", "messenger-smtp", "importer-csv"});
    CHECK(pluginsToLoad({"messenger-smtp"}, "postgresql://db/t") == V{"storage-postgres", "messenger-smtp"});
    CHECK(pluginsToLoad({"messenger-smtp", "storage-postgres"}, "postgresql://db/t") ==
          V{"storage-postgres", "messenger-smtp"});
    CHECK_THROWS_AS(pluginsToLoad({"storage-postgres", "storage-sqlite"}, ""), ConfigError);
}

TEST_CASE("durations are read the way listmonk writes them", "[config]") {
    using std::chrono::milliseconds;
    using tidings::sdk::v1::parseDuration;
    CHECK(parseDuration("5s") == milliseconds(5000));
    CHECK(parseDuration("500ms") == milliseconds(500));
    CHECK(parseDuration("1m30s") == milliseconds(90000));
    CHECK(parseDuration("1.5h") == milliseconds(5400000));
    CHECK(parseDuration("7") == milliseconds(7000));
    for (const char* bad : {"", "soon", "5 s", "1.2.3s", "s", "5x", "-5s", "5s3"}) {
        INFO(bad);
        CHECK_FALSE(parseDuration(bad).has_value());
    }
}
