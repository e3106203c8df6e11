#include "kernel/core/import_service.hpp"

#include <condition_variable>
#include <cstdio>
#include <deque>
#include <optional>

#include <Poco/Logger.h>

#include "kernel/core/import_rows.hpp"
#include "kernel/core/json_writer.hpp"
#include "kernel/core/status_error.hpp"
#include "kernel/core/text.hpp"

namespace tidings::kernel {

namespace {

/// One batch read and validated ahead of the writer, with the log lines of its skipped rows.
struct ReadBatch {
    std::vector<sdk::ImportRecord> records;
    std::vector<std::string> lines;
    std::int64_t read = 0;
    std::int64_t skipped = 0;
    sdk::Status status;  ///< Not ok: the file could not be read further.
    bool last = false;
};

/// A queue of at most `capacity` batches between the reading and the writing thread, so that
/// parsing overlaps the database work while memory stays bounded.
class BatchQueue {
public:
    explicit BatchQueue(std::size_t capacity) : capacity_(capacity) {}

    /// False when the reader should give up (the writer closed the queue).
    bool push(ReadBatch batch) {
        std::unique_lock lock(mutex_);
        space_.wait(lock, [&] { return closed_ || items_.size() < capacity_; });
        if (closed_) return false;
        items_.push_back(std::move(batch));
        ready_.notify_one();
        return true;
    }
    /// The next batch; none once the queue is closed (at shutdown, from another thread).
    std::optional<ReadBatch> pop() {
        std::unique_lock lock(mutex_);
        ready_.wait(lock, [&] { return closed_ || !items_.empty(); });
        if (closed_) return std::nullopt;
        ReadBatch batch = std::move(items_.front());
        items_.pop_front();
        space_.notify_one();
        return batch;
    }
    /// Wakes both sides for good and drops what is queued.
    void close() {
        std::lock_guard lock(mutex_);
        closed_ = true;
        items_.clear();
        space_.notify_all();
        ready_.notify_all();
    }

private:
    const std::size_t capacity_;
    std::mutex mutex_;
    std::condition_variable ready_, space_;
    std::deque<ReadBatch> items_;
    bool closed_ = false;
};

}  // namespace

struct ImportService::Job {
    sdk::ImportState state;
    ImportRequest request;
    TempFile file;
    std::unique_ptr<sdk::ImportSource> source;
    DomainRules rules;
    /// Between the reading and the writing thread; shutdown() closes it so that a writer waiting
    /// for the next batch ends at once instead of after it.
    BatchQueue queue{2};
};

namespace {

std::vector<std::string> normalisedRules(const std::vector<std::string>& rules) {
    std::vector<std::string> out;
    for (const auto& r : rules) {
        std::string rule = lowercase(trimmed(r));
        if (!rule.empty()) out.push_back(std::move(rule));
    }
    return out;
}

}  // namespace

ImportService::ImportService(sdk::Storage& storage, CapabilityRegistry& registry, SettingsService& settings,
                             EventBus& events, ImportConfig config)
    : storage_(storage), registry_(registry), settings_(settings), events_(events), config_(std::move(config)) {}

ImportService::~ImportService() { shutdown(); }

void ImportService::abandonPrevious() {
    std::int64_t affected = 0;
    check(storage_.imports().abandon(config_.owner, affected));
    if (affected > 0) {
        Poco::Logger::get("tidings").warning("an import this process ran before it restarted is recorded as failed");
    }
}

sdk::ImportState ImportService::start(const ImportRequest& request, TempFile file) {
    for (sdk::Id id : request.load.list_ids) {
        sdk::List list;
        auto st = storage_.lists().get(id, list);
        if (st.code() == sdk::StatusCode::NotFound) invalid("lists: unknown list id " + std::to_string(id));
        check(st);
    }
    sdk::Importer* importer = registry_.importer(config_.importer);
    if (!importer) {
        throw StatusError(sdk::Status::unavailable("import: no importer plugin is enabled (add importer-" +
                                                   config_.importer + " to [plugins] enabled)"));
    }
    auto job = std::make_unique<Job>();
    job->request = request;
    job->file = std::move(file);
    job->rules.allow = normalisedRules(settings_.strings("privacy.domain_allowlist"));
    job->rules.block = normalisedRules(settings_.strings("privacy.domain_blocklist"));

    std::lock_guard lock(mutex_);
    // Claim the slot before reading the file: the second of two concurrent uploads gets its 409
    // without parsing anything.
    sdk::ImportState current;
    check(storage_.imports().current(config_.stale_after, current));
    if (current.status == sdk::ImportStatus::Importing || current.status == sdk::ImportStatus::Stopping) {
        throw StatusError(sdk::Status::conflict("import: an import is already running"));
    }
    // The worker records the end before it lets go of its file (see run()), so a client that saw
    // the end can be here while it wraps up: wait for that rather than refuse the next import.
    if (worker_.joinable()) {
        worker_.join();
        job_.reset();
    }
    sdk::ImportOptions options;
    options.delimiter = request.delimiter;
    check(importer->open(job->file.path(), options, job->source));
    sdk::ImportStart claim;
    claim.name = request.name;
    claim.owner = config_.owner;
    claim.total = std::max<std::int64_t>(job->source->estimatedRows(), 0);
    claim.stale_after = config_.stale_after;
    check(storage_.imports().begin(claim, job->state));

    job_ = std::move(job);
    running_ = true;
    worker_ = std::thread([this, &job = *job_] { run(job); });
    return job_->state;
}

void ImportService::run(Job& job) noexcept {
    auto& store = storage_.imports();
    auto& log = Poco::Logger::get("tidings");
    const sdk::Id run_id = job.state.run_id;
    const auto started = std::chrono::steady_clock::now();
    std::int64_t seen = 0, skipped = 0, imported = 0;
    sdk::ImportStatus outcome = sdk::ImportStatus::Finished;
    bool ours = true;  // false once the store says the run is no longer this process's
    std::vector<std::string> lines;
    auto flushLog = [&] {
        if (lines.empty() || !ours) return;
        if (!store.appendLog(run_id, lines)) log.warning("import: could not write the import log");
        lines.clear();
    };

    BatchQueue& queue = job.queue;
    std::thread reader([&] {
        try {
            std::vector<sdk::ImportRow> rows;
            std::size_t problems = 0;  // rows skipped or imported in part, across batches
            for (bool done = false; !done;) {
                ReadBatch batch;
                batch.status = job.source->next(rows, config_.batch_rows, done);
                batch.last = done || !batch.status;
                batch.records.reserve(rows.size());
                for (auto& row : rows) {
                    ++batch.read;
                    CheckedRow checked;
                    if (row.error.empty()) {
                        checked = checkImportRow(row, job.rules);
                    } else {
                        checked.problem = row.error;  // the importer could not read the row
                    }
                    const bool imported = checked.record.has_value();
                    if (imported) {
                        batch.records.push_back(std::move(*checked.record));
                    } else {
                        ++batch.skipped;
                    }
                    if (checked.problem.empty()) continue;
                    if (++problems <= config_.max_log_lines) {
                        batch.lines.push_back("line " + std::to_string(row.line) + (imported ? ": imported " : ": skipped: ") +
                                              checked.problem);
                    } else if (problems == config_.max_log_lines + 1) {
                        batch.lines.push_back("more rows had problems; only the first " +
                                              std::to_string(config_.max_log_lines) + " are logged");
                    }
                }
                const bool last = batch.last;
                if (!queue.push(std::move(batch)) || last) return;
            }
        } catch (const std::exception& e) {
            ReadBatch failed;
            failed.status = sdk::Status::internal(std::string("reading the file failed: ") + e.what());
            failed.last = true;
            queue.push(std::move(failed));
        }
    });

    try {
        for (;;) {
            std::optional<ReadBatch> next;
            if (!shutting_down_) next = queue.pop();
            if (!next) {  // closed by shutdown()
                lines.push_back("the server shut down during the import");
                outcome = sdk::ImportStatus::Failed;
                break;
            }
            ReadBatch& batch = *next;
            seen += batch.read;
            skipped += batch.skipped;
            for (auto& line : batch.lines) lines.push_back(std::move(line));
            bool stop = false;
            sdk::Status wrote;
            if (!batch.records.empty()) {
                sdk::BatchOutcome result;
                wrote = store.loadBatch(run_id, batch.records, job.request.load, result);
                if (wrote) {
                    imported += result.applied;
                    stop = result.stop_requested;
                }
            } else {
                wrote = store.heartbeat(run_id, 0, stop);
            }
            if (!wrote) {
                if (wrote.code() == sdk::StatusCode::NotFound) {
                    ours = false;  // declared dead by another process, or cleared: not ours to finish
                    break;
                }
                lines.push_back("stopped by a database error: " + wrote.message() + " (rows of the batch not imported)");
                outcome = sdk::ImportStatus::Failed;
                break;
            }
            flushLog();
            if (!batch.status) {
                lines.push_back(batch.status.message());
                outcome = sdk::ImportStatus::Failed;
                break;
            }
            if (batch.last) break;
            if (stop) {
                lines.push_back("stopped on request");
                outcome = sdk::ImportStatus::Stopped;
                break;
            }
        }
    } catch (const std::exception& e) {
        log.error(std::string("import failed: ") + e.what());
        outcome = sdk::ImportStatus::Failed;
    }
    queue.close();
    // The end is recorded before waiting for the reader, which may still be inside the
    // importer's next(): the run's state must not depend on how soon that returns.
    try {
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        char took[32];
        std::snprintf(took, sizeof took, "%.1f", seconds);
        lines.push_back(std::string(sdk::toString(outcome)) + ": " + std::to_string(imported) + " rows imported, " +
                        std::to_string(skipped) + " skipped, " + std::to_string(seen) + " read in " + took + " s");
        log.information("import of " + job.state.name + " " + lines.back());
        flushLog();
        if (ours) {
            const auto total = outcome == sdk::ImportStatus::Finished ? seen : -1;
            if (auto st = store.finish(run_id, outcome, total); !st) log.error("import: cannot record its end: " + st.message());
            JsonWriter w;
            w.beginObject().key("name").value(job.state.name).key("status").value(sdk::toString(outcome));
            w.key("imported").value(imported).key("total").value(seen).endObject();
            events_.publish("import.finished", w.take());
        }
    } catch (const std::exception& e) {
        log.error(std::string("import: cannot record its end: ") + e.what());
    }
    reader.join();
    job.source.reset();  // closes the file before TempFile deletes it
    running_ = false;
}

sdk::ImportState ImportService::status() {
    sdk::ImportState state;
    check(storage_.imports().current(config_.stale_after, state));
    return state;
}

std::string ImportService::log() {
    std::string text;
    check(storage_.imports().log(text));
    return text;
}

sdk::ImportState ImportService::stopOrClear() {
    sdk::ImportState state = status();
    if (state.status == sdk::ImportStatus::Importing || state.status == sdk::ImportStatus::Stopping) {
        auto st = storage_.imports().requestStop(state);
        if (st.code() != sdk::StatusCode::NotFound) {
            check(st);
            return state;
        }
        // It ended between the two calls: fall through and clear it.
    }
    auto st = storage_.imports().clear();
    if (st.code() == sdk::StatusCode::Conflict) return status();  // one started meanwhile
    check(st);
    return sdk::ImportState{};
}

void ImportService::shutdown() {
    shutting_down_ = true;
    std::lock_guard lock(mutex_);
    if (job_) job_->queue.close();
    if (worker_.joinable()) worker_.join();
    job_.reset();
}

}  // namespace tidings::kernel
