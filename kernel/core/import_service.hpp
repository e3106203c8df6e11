// Subscriber imports: starts one import at a time on a worker thread, feeds an importer
// plugin's rows through validation into the store in batches, and reports progress, the log and
// stop requests through the store, so every process on the database sees the same import.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include <tidings/sdk/v1/import.hpp>
#include <tidings/sdk/v1/importer.hpp>
#include <tidings/sdk/v1/storage.hpp>

#include "kernel/core/settings_service.hpp"
#include "kernel/core/temp_file.hpp"
#include "kernel/hooks/event_bus.hpp"
#include "kernel/plugins/capability_registry.hpp"

namespace tidings::kernel {

namespace sdk = tidings::sdk::v1;

/// Operator settings for imports ([import] in the INI file).
struct ImportConfig {
    /// This process across restarts (host name and listen address): imports it owned are failed
    /// at start-up, since nothing can still be running them.
    std::string owner;
    /// A running import whose process has not reported for this long is dead (failed).
    std::chrono::seconds stale_after{60};
    std::size_t batch_rows = 10000;    ///< Rows per store transaction.
    std::size_t max_log_lines = 10000;  ///< Row problems logged per import; the rest are counted.
    std::string importer = "csv";      ///< The importer plugin's name().
};

/// What the client asked for, parsed by the API layer.
struct ImportRequest {
    std::string name;  ///< The uploaded file's name.
    sdk::BulkLoadOptions load;
    char delimiter = ',';
};

class ImportService {
public:
    ImportService(sdk::Storage& storage, CapabilityRegistry& registry, SettingsService& settings, EventBus& events,
                  ImportConfig config);
    ~ImportService();
    ImportService(const ImportService&) = delete;
    ImportService& operator=(const ImportService&) = delete;

    /// Fails the imports this process owned before a restart. Call once at start-up.
    void abandonPrevious();

    /// Opens `file` with the importer and starts importing it in the background; the file is
    /// deleted when the import ends. Throws StatusError: Invalid for unknown lists or a file the
    /// importer refuses (the message says why), Conflict when an import is running, Unavailable
    /// when no importer plugin is enabled.
    sdk::ImportState start(const ImportRequest& request, TempFile file);

    /// The current import (status none when there is none).
    sdk::ImportState status();

    /// The current import's log text.
    std::string log();

    /// Stops a running import (it ends "stopped" after its current batch) or, when none runs,
    /// forgets the last one. Returns the state afterwards.
    sdk::ImportState stopOrClear();

    /// Ends this process's import, if any, and waits for its worker (at shutdown).
    void shutdown();

private:
    struct Job;
    void run(Job& job) noexcept;

    sdk::Storage& storage_;
    CapabilityRegistry& registry_;
    SettingsService& settings_;
    EventBus& events_;
    const ImportConfig config_;
    std::mutex mutex_;  // guards worker_ and job_
    std::thread worker_;
    std::unique_ptr<Job> job_;
    std::atomic<bool> shutting_down_{false};
    std::atomic<bool> running_{false};
};

}  // namespace tidings::kernel
