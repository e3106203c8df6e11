#include "migrations.hpp"

#include <algorithm>
#include <array>

#include "schema.hpp"
#include "transaction.hpp"

namespace tidings::storage_sqlite {
namespace {

struct Migration {
    int version;
    const char* const& sql;
};

const std::array<Migration, 8> kMigrations = {{
    {1, schema::kSubscribers},
    {2, schema::kAdmin},
    {3, schema::kCampaigns},
    {4, schema::kImports},
    {5, schema::kBounces},
    {6, schema::kTracking},
    {7, schema::kOutbox},
    {8, schema::kDeliveryUnconfirmed},
}};

}  // namespace

int latestSchemaVersion() noexcept { return kMigrations.back().version; }

void migrate(Database& db, sdk::MigrationReport& report) {
    auto lease = db.writer();
    lease.unlimited();
    Transaction tx(*lease);
    lease->exec(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now')))");
    int from = 0;
    {
        auto st = lease->prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
        if (st.step()) from = static_cast<int>(st.int64(0));
    }
    for (const auto& m : kMigrations) {
        if (m.version <= from) continue;
        lease->exec(m.sql);
        lease->prepare("INSERT INTO schema_migrations (version) VALUES (?)").bindAll(m.version).run();
    }
    tx.commit();
    report.from_version = from;
    report.to_version = std::max(from, latestSchemaVersion());
}

}  // namespace tidings::storage_sqlite
