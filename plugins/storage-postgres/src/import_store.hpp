// PostgreSQL implementation of sdk::ImportStore: the shared import state (table imports, one
// live row at most), its log (import_logs), and bulk loading of row batches through COPY into a
// per-transaction staging table followed by set-based upserts (import_load.cpp).
#pragma once

#include <tidings/sdk/v1/import.hpp>

#include "database.hpp"

namespace tidings::storage_pg {

class ImportStoreImpl final : public sdk::ImportStore {
public:
    explicit ImportStoreImpl(Database& db) : db_(db) {}

    sdk::Status begin(const sdk::ImportStart& start, sdk::ImportState& out) noexcept override;
    sdk::Status current(std::chrono::seconds stale_after, sdk::ImportState& out) noexcept override;
    sdk::Status loadBatch(sdk::Id run_id, const std::vector<sdk::ImportRecord>& rows,
                          const sdk::BulkLoadOptions& options, sdk::BatchOutcome& out) noexcept override;
    sdk::Status heartbeat(sdk::Id run_id, std::int64_t total, bool& stop_requested) noexcept override;
    sdk::Status finish(sdk::Id run_id, sdk::ImportStatus status, std::int64_t total) noexcept override;
    sdk::Status requestStop(sdk::ImportState& out) noexcept override;
    sdk::Status clear() noexcept override;
    sdk::Status abandon(std::string_view owner, std::int64_t& affected) noexcept override;
    sdk::Status appendLog(sdk::Id run_id, const std::vector<std::string>& lines) noexcept override;
    sdk::Status log(std::string& out) noexcept override;

private:
    Database& db_;
};

/// Writes one batch inside the caller's transaction (import_load.cpp): stages the rows with
/// COPY, upserts subscribers and applies memberships as `options` say. Returns the number of
/// distinct e-mails applied.
std::int64_t loadImportRows(Lease& lease, const std::vector<sdk::ImportRecord>& rows,
                            const sdk::BulkLoadOptions& options);

}  // namespace tidings::storage_pg
