#include "sqlite_harness.hpp"

#include <random>
#include <stdexcept>
#include <vector>

#include <unistd.h>

namespace tidings::conformance {

LoadedSqlitePlugin::LoadedSqlitePlugin(const std::string& url)
    : LoadedStoragePlugin("storage-sqlite", {{"db.url", url}, {"db.query_timeout", "2s"}}) {}

SqliteConnPtr connectSqlite(const std::string& path) {
    sqlite3* raw = nullptr;
    const int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE, nullptr);
    SqliteConnPtr conn(raw, &sqlite3_close_v2);
    if (rc != SQLITE_OK)
        throw std::runtime_error("cannot open test database " + path + ": " + (raw ? sqlite3_errmsg(raw) : "?"));
    sqlite3_busy_timeout(raw, 5000);
    return conn;
}

std::string queryValue(sqlite3* conn, const std::string& sql) {
    std::string first;
    bool have = false;
    const auto row = [](void* out, int columns, char** values, char**) {
        auto* p = static_cast<std::pair<std::string*, bool*>*>(out);
        if (!*p->second && columns > 0) {
            *p->first = values[0] ? values[0] : "";
            *p->second = true;
        }
        return 0;
    };
    std::pair<std::string*, bool*> out{&first, &have};
    char* error = nullptr;
    if (sqlite3_exec(conn, sql.c_str(), row, &out, &error) != SQLITE_OK) {
        std::string message = error ? error : "?";
        sqlite3_free(error);
        throw std::runtime_error("SQL failed: " + sql + ": " + message);
    }
    return first;
}

SqliteHarness::SqliteHarness() {
    std::random_device rd;
    dir_ = std::filesystem::temp_directory_path() /
           ("tidings_sqlite_test_" + std::to_string(::getpid()) + "_" + std::to_string(rd()));
    std::filesystem::create_directories(dir_);
    path_ = (dir_ / "tidings.db").string();
    plugin_ = std::make_unique<LoadedSqlitePlugin>("sqlite:" + path_);
    if (auto st = plugin_->start(); !st) throw std::runtime_error("storage-sqlite start failed: " + st.message());
    sdk::MigrationReport report;
    if (auto st = plugin_->storage().migrate(report); !st)
        throw std::runtime_error("storage-sqlite migrate failed: " + st.message());
    conn_ = connectSqlite(path_);
}

SqliteHarness::~SqliteHarness() {
    conn_.reset();
    plugin_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
}

void SqliteHarness::reset() {
    std::vector<std::string> tables;
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(conn_.get(),
                       "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                       " AND name <> 'schema_migrations'",
                       -1, &st, nullptr);
    while (sqlite3_step(st) == SQLITE_ROW) tables.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
    sqlite3_finalize(st);
    // Two passes: triggers that maintain counters may write rows while the first pass deletes.
    std::string sql = "PRAGMA foreign_keys = OFF; BEGIN;";
    for (int pass = 0; pass < 2; ++pass)
        for (const auto& t : tables) sql += "DELETE FROM \"" + t + "\";";
    if (queryValue(conn_.get(), "SELECT COUNT(*) FROM sqlite_master WHERE name = 'sqlite_sequence'") == "1")
        sql += "DELETE FROM sqlite_sequence;";
    sql += "COMMIT; PRAGMA foreign_keys = ON;";
    queryValue(conn_.get(), sql);
}

StorageHarness& harness() { return sqliteHarness(); }

SqliteHarness& sqliteHarness() {
    static SqliteHarness instance;
    return instance;
}

}  // namespace tidings::conformance
