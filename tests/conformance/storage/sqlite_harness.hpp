// SQLite harness: a database file in a fresh temporary directory, the built storage-sqlite.so
// loaded and started with a FakeHost, and the directory removed at exit.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include <sqlite3.h>

#include "loaded_plugin.hpp"
#include "storage_harness.hpp"

namespace tidings::conformance {

/// storage-sqlite loaded for `url` (sqlite:PATH), with the suite's timeout settings.
class LoadedSqlitePlugin : public LoadedStoragePlugin {
public:
    explicit LoadedSqlitePlugin(const std::string& url);
};

/// A read-write connection of the test's own, for set-up and for peeking at tables.
using SqliteConnPtr = std::unique_ptr<sqlite3, decltype(&sqlite3_close_v2)>;
SqliteConnPtr connectSqlite(const std::string& path);
/// Runs SQL and returns the first column of the first row ("" when none); throws on error.
std::string queryValue(sqlite3* conn, const std::string& sql);

class SqliteHarness final : public StorageHarness {
public:
    SqliteHarness();
    ~SqliteHarness() override;

    sdk::Storage& storage() override { return plugin_->storage(); }
    void reset() override;
    /// Counts are maintained exactly in the writing transaction: nothing to settle.
    void settleCounts() override {}

    /// A fresh path in the harness's directory (for tests that need a database of their own).
    std::string scratchPath(const std::string& name) const { return (dir_ / name).string(); }
    const std::string& databasePath() const { return path_; }
    sqlite3* connection() { return conn_.get(); }

private:
    std::filesystem::path dir_;
    std::string path_;
    std::unique_ptr<LoadedSqlitePlugin> plugin_;
    SqliteConnPtr conn_{nullptr, &sqlite3_close_v2};
};

/// The harness as its concrete type, for SQLite-only tests.
SqliteHarness& sqliteHarness();

}  // namespace tidings::conformance
