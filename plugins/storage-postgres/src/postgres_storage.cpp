#include "postgres_storage.hpp"

#include "errors.hpp"
#include "migrations.hpp"

namespace tidings::storage_pg {

sdk::Status PostgresStorage::open(const PoolOptions& options,
                                  std::chrono::milliseconds compact_interval) noexcept {
    return guarded([&] {
        try {
            db_.open(options, compact_interval);
        } catch (const PgError& e) {
            return sdk::Status::unavailable("cannot connect to PostgreSQL at " + redactUrl(options.url) +
                                            ": " + redactUrl(e.what()));
        }
        return sdk::Status{};
    });
}

sdk::Status PostgresStorage::migrate(sdk::MigrationReport& report) noexcept {
    return guarded([&] {
        storage_pg::migrate(db_.pool(), report);
        return sdk::Status{};
    });
}

sdk::Status PostgresStorage::ping() noexcept {
    return guarded([&] {
        auto lease = db_.lease();
        lease->execPrepared("ping", "SELECT 1");
        return sdk::Status{};
    });
}

std::string PostgresStorage::describe() const noexcept {
    try {
        return db_.describe();
    } catch (...) {
        return "postgresql";
    }
}

}  // namespace tidings::storage_pg
