#include "sqlite_storage.hpp"

#include "errors.hpp"
#include "migrations.hpp"

namespace tidings::storage_sqlite {

sdk::Status SqliteStorage::open(const DatabaseOptions& options) noexcept {
    try {
        db_.open(options);
        return {};
    } catch (const SqliteError& e) {
        return sdk::Status::unavailable(std::string("cannot open the SQLite database: ") + e.what());
    } catch (const std::exception& e) {
        return sdk::Status::unavailable(std::string("cannot open the SQLite database ") + options.path + ": " + e.what());
    }
}

sdk::Status SqliteStorage::migrate(sdk::MigrationReport& report) noexcept {
    return guarded([&] {
        storage_sqlite::migrate(db_, report);
        return sdk::Status{};
    });
}

sdk::Status SqliteStorage::ping() noexcept {
    return guarded([&] {
        auto lease = db_.reader();
        lease->prepare("SELECT 1").step();
        return sdk::Status{};
    });
}

std::string SqliteStorage::describe() const noexcept {
    try {
        return db_.describe();
    } catch (...) {
        return "sqlite";
    }
}

}  // namespace tidings::storage_sqlite
