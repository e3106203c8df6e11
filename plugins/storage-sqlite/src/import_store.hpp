// SQLite implementation of sdk::ImportStore: the shared import state (table imports, one live
// row at most), its log (import_logs), and bulk loading of row batches (import_load.hpp), each
// batch in one write transaction together with its count.
#pragma once

#include <tidings/sdk/v1/storage.hpp>

#include "database.hpp"

namespace tidings::storage_sqlite {

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

}  // namespace tidings::storage_sqlite
