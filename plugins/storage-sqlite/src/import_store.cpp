#include "import_store.hpp"

namespace tidings::storage_sqlite {

sdk::Status ImportStoreImpl::begin(const sdk::ImportStart& start, sdk::ImportState& out) noexcept {
    return sdk::Status::internal("storage-sqlite: not implemented yet");
}

sdk::Status ImportStoreImpl::current(std::chrono::seconds stale_after, sdk::ImportState& out) noexcept {
    return sdk::Status::internal("storage-sqlite: not implemented yet");
}

sdk::Status ImportStoreImpl::loadBatch(sdk::Id run_id, const std::vector<sdk::ImportRecord>& rows,
                          const sdk::BulkLoadOptions& options, sdk::BatchOutcome& out) noexcept {
    return sdk::Status::internal("storage-sqlite: not implemented yet");
}

sdk::Status ImportStoreImpl::heartbeat(sdk::Id run_id, std::int64_t total, bool& stop_requested) noexcept {
    return sdk::Status::internal("storage-sqlite: not implemented yet");
}

sdk::Status ImportStoreImpl::finish(sdk::Id run_id, sdk::ImportStatus status, std::int64_t total) noexcept {
    return sdk::Status::internal("storage-sqlite: not implemented yet");
}

sdk::Status ImportStoreImpl::requestStop(sdk::ImportState& out) noexcept {
    return sdk::Status::internal("storage-sqlite: not implemented yet");
}

sdk::Status ImportStoreImpl::clear() noexcept {
    return sdk::Status::internal("storage-sqlite: not implemented yet");
}

sdk::Status ImportStoreImpl::abandon(std::string_view owner, std::int64_t& affected) noexcept {
    return sdk::Status::internal("storage-sqlite: not implemented yet");
}

sdk::Status ImportStoreImpl::appendLog(sdk::Id run_id, const std::vector<std::string>& lines) noexcept {
    return sdk::Status::internal("storage-sqlite: not implemented yet");
}

sdk::Status ImportStoreImpl::log(std::string& out) noexcept {
    return sdk::Status::internal("storage-sqlite: not implemented yet");
}

}  // namespace tidings::storage_sqlite
