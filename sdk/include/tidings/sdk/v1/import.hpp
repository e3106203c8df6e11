// Tidings plugin SDK, version 1: the import part of the storage capability.
//
// A subscriber import has two halves. An importer plugin (importer.hpp) turns an uploaded file
// into rows; the kernel validates them and hands the store batches through this interface. The
// store keeps the import's state and log as well, so that every process sharing the database can
// report an import's progress or stop it, whichever process runs it.
//
// At most one import is live (importing or stopping) at a time. Each import has a run id issued
// by begin(); the writing calls take it, so a process that lost its import (it was declared
// stale, then cleared, and a new one began) cannot write into the next one.
//
// Liveness: the process running an import refreshes its heartbeat with every batch and every
// progress call. A live import whose heartbeat is older than the caller's `stale_after` is dead
// (its process was killed or lost the database) and is recorded as failed the next time anyone
// looks, with the count of rows that went in. A restarting process also fails, at once, the
// imports it owned before (see abandon()).
//
// Threading and errors: as for the rest of the store (storage.hpp). Every method may be called
// from any thread; every method applies all of its change or none of it.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model.hpp"
#include "status.hpp"

namespace tidings::sdk::v1 {

/// One row of an import, already validated and normalised by the kernel: `email` is a
/// lower-cased, valid address; `name` is non-empty valid UTF-8; `attribs_json` is a JSON object
/// that the store can save as is.
struct ImportRecord {
    std::string email;
    std::string name;
    std::string attribs_json = "{}";
};

/// What an import does with its rows.
enum class ImportMode : std::uint8_t {
    /// Upsert subscribers (new ones enabled) and add memberships of the chosen lists.
    Subscribe = 0,
    /// Upsert subscribers as blocklisted and unsubscribe every membership they have.
    Blocklist = 1,
};

/// How a batch is applied.
struct BulkLoadOptions {
    ImportMode mode = ImportMode::Subscribe;
    /// Existing subscribers take the row's name and attributes. Without it their profile stays.
    /// A subscriber's status (enabled, disabled) is never changed in subscribe mode.
    bool overwrite_userinfo = false;
    /// Existing memberships of the chosen lists take `subscription_status`. Without it they keep
    /// theirs; new memberships always get it.
    bool overwrite_subscription_status = false;
    /// Subscribe mode: every row is subscribed to these lists (which must exist: Invalid
    /// otherwise). May be empty. Ignored in blocklist mode.
    std::vector<Id> list_ids;
    /// Subscribe mode: the status of new memberships. A blocklisted subscriber's new memberships
    /// are unsubscribed whatever this says.
    SubscriptionStatus subscription_status = SubscriptionStatus::Unconfirmed;
};

/// Where an import stands.
enum class ImportStatus : std::uint8_t {
    None = 0,       ///< No import recorded (never run, or cleared).
    Importing = 1,  ///< Running.
    Stopping = 2,   ///< Asked to stop; the running process stops after its current batch.
    Stopped = 3,    ///< Stopped on request; the rows counted in `imported` went in.
    Finished = 4,   ///< Every row was read.
    Failed = 5,     ///< A database error, an unreadable file, or its process died.
};

/// listmonk's names for ImportStatus: "none", "importing", "stopping", "stopped", "finished",
/// "failed".
constexpr std::string_view toString(ImportStatus s) noexcept {
    switch (s) {
    case ImportStatus::None: return "none";
    case ImportStatus::Importing: return "importing";
    case ImportStatus::Stopping: return "stopping";
    case ImportStatus::Stopped: return "stopped";
    case ImportStatus::Finished: return "finished";
    case ImportStatus::Failed: return "failed";
    }
    return "none";
}

/// The inverse of toString(ImportStatus); nullopt for any other text.
constexpr std::optional<ImportStatus> parseImportStatus(std::string_view text) noexcept {
    for (auto s : {ImportStatus::None, ImportStatus::Importing, ImportStatus::Stopping, ImportStatus::Stopped,
                   ImportStatus::Finished, ImportStatus::Failed}) {
        if (toString(s) == text) return s;
    }
    return std::nullopt;
}

/// The current (latest) import, as every process sees it.
struct ImportState {
    Id run_id = 0;              ///< 0 when status is None.
    std::string name;           ///< The uploaded file's name.
    ImportStatus status = ImportStatus::None;
    std::int64_t total = 0;     ///< Rows in the file: an estimate while running, exact at the end.
    std::int64_t imported = 0;  ///< Rows committed to the database so far.
    bool stop_requested = false;
    Timestamp started_at{};
    Timestamp updated_at{};     ///< Also the heartbeat of the process running it.
};

/// Claims the import slot (see ImportStore::begin).
struct ImportStart {
    std::string name;   ///< The uploaded file's name, shown in the status.
    /// Identifies the process running the import across its restarts (the kernel uses its host
    /// name and listen address), so that a restarted process can fail what it left behind.
    std::string owner;
    std::int64_t total = 0;  ///< The estimated number of rows; 0 when unknown.
    /// A live import whose heartbeat is older than this is dead and does not block a new one.
    std::chrono::seconds stale_after{60};
};

/// What loadBatch() did.
struct BatchOutcome {
    std::int64_t applied = 0;     ///< Rows written (each distinct e-mail of the batch once).
    bool stop_requested = false;  ///< Someone asked the import to stop; finish it after this batch.
};

/// Subscriber imports: their shared state and log, and bulk loading of validated rows.
class ImportStore {
public:
    /// Starts a new import: fails a stale live one (as importState does), then records a new
    /// one as importing with `start.name`, `start.total` and no rows imported, replacing the
    /// previous import and its log. Returns it in `out` (with its new run id). Conflict
    /// ("an import is already running") when a live, fresh import exists.
    virtual Status begin(const ImportStart& start, ImportState& out) noexcept = 0;

    /// The current import, or status None. A live import whose heartbeat is older than
    /// `stale_after` is first recorded as failed (keeping its counts) and returned so.
    virtual Status current(std::chrono::seconds stale_after, ImportState& out) noexcept = 0;

    /// Applies one batch of rows for run `run_id`, in one transaction together with adding
    /// `applied` to the import's `imported` count and refreshing its heartbeat: a crash leaves
    /// either the whole batch in and counted, or none of it. E-mails repeated within the batch
    /// are applied once, the last row winning. Invalid when a list id does not exist; NotFound
    /// when `run_id` is not the live import any more (nothing is written then).
    /// The rows are only read during the call.
    virtual Status loadBatch(Id run_id, const std::vector<ImportRecord>& rows, const BulkLoadOptions& options,
                             BatchOutcome& out) noexcept = 0;

    /// Refreshes the heartbeat of run `run_id` and sets its estimated `total` (when > 0);
    /// `stop_requested` tells whether someone asked it to stop. NotFound when `run_id` is not
    /// the live import.
    virtual Status heartbeat(Id run_id, std::int64_t total, bool& stop_requested) noexcept = 0;

    /// Ends run `run_id` with `status` (Stopped, Finished or Failed; Invalid for others) and the
    /// exact `total` (when >= 0). NotFound when `run_id` is not the live import.
    virtual Status finish(Id run_id, ImportStatus status, std::int64_t total) noexcept = 0;

    /// Asks the live import to stop (status Stopping); the process running it sees the request
    /// at its next batch. Returns the new state in `out`. NotFound when no import is live.
    virtual Status requestStop(ImportState& out) noexcept = 0;

    /// Forgets the current import and its log (status None). Conflict while one is live.
    virtual Status clear() noexcept = 0;

    /// Fails every live import recorded with this `owner`: the kernel calls it at start-up,
    /// when nothing it owned before can still be running. `affected` is how many were failed.
    virtual Status abandon(std::string_view owner, std::int64_t& affected) noexcept = 0;

    /// Appends lines (per-row errors, notes) to the log of run `run_id`, in order. The kernel
    /// bounds how many lines one import writes. NotFound when the run is not the current import.
    virtual Status appendLog(Id run_id, const std::vector<std::string>& lines) noexcept = 0;

    /// The log of the current import, its lines joined with '\n' (empty when there is none).
    virtual Status log(std::string& out) noexcept = 0;

protected:
    ~ImportStore() = default;
};

}  // namespace tidings::sdk::v1
