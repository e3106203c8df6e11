#include "kernel/core/import_service.hpp"

#include <Poco/Logger.h>

#include "kernel/core/import_rows.hpp"
#include "kernel/core/json_writer.hpp"
#include "kernel/core/status_error.hpp"
#include "kernel/core/text.hpp"

namespace tidings::kernel {

struct ImportService::Job {
    sdk::ImportState state;
    ImportRequest request;
    TempFile file;
    std::unique_ptr<sdk::ImportSource> source;
    DomainRules rules;
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

void ImportService::reap() {
    // Called with mutex_ held: a finished worker is joined before another starts.
    if (worker_.joinable() && !running_) {
        worker_.join();
        job_.reset();
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
    reap();
    if (running_) throw StatusError(sdk::Status::conflict("import: an import is already running"));
    // Claim the slot before reading the file: the second of two concurrent uploads gets its 409
    // without parsing anything.
    sdk::ImportState current;
    check(storage_.imports().current(config_.stale_after, current));
    if (current.status == sdk::ImportStatus::Importing || current.status == sdk::ImportStatus::Stopping) {
        throw StatusError(sdk::Status::conflict("import: an import is already running"));
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
    std::vector<sdk::ImportRow> rows;
    std::vector<sdk::ImportRecord> records;
    std::vector<std::string> lines;
    std::int64_t seen = 0, skipped = 0, imported = 0;
    sdk::ImportStatus outcome = sdk::ImportStatus::Finished;
    bool ours = true;  // false once the store says the run is no longer this process's
    auto flushLog = [&] {
        if (lines.empty() || !ours) return;
        if (!store.appendLog(run_id, lines)) log.warning("import: could not write the import log");
        lines.clear();
    };
    auto note = [&](std::string line) {
        if (static_cast<std::size_t>(skipped) <= config_.max_log_lines) lines.push_back(std::move(line));
    };
    try {
        bool done = false;
        while (!done) {
            if (shutting_down_) {
                lines.push_back("the server shut down during the import");
                outcome = sdk::ImportStatus::Failed;
                break;
            }
            const sdk::Status read = job.source->next(rows, config_.batch_rows, done);
            records.clear();
            for (auto& row : rows) {
                ++seen;
                std::string why;
                if (row.error.empty()) {
                    if (auto record = validateImportRow(row, job.rules, why)) {
                        records.push_back(std::move(*record));
                        continue;
                    }
                } else {
                    why = row.error;
                }
                ++skipped;
                note("line " + std::to_string(row.line) + ": skipped: " + why);
                if (static_cast<std::size_t>(skipped) == config_.max_log_lines + 1) {
                    lines.push_back("more rows were skipped; only the first " + std::to_string(config_.max_log_lines) +
                                    " are logged");
                }
            }
            bool stop = false;
            sdk::Status wrote;
            if (!records.empty()) {
                sdk::BatchOutcome batch;
                wrote = store.loadBatch(run_id, records, job.request.load, batch);
                if (wrote) {
                    imported += batch.applied;
                    stop = batch.stop_requested;
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
            if (!read) {
                lines.push_back(read.message());
                outcome = sdk::ImportStatus::Failed;
                break;
            }
            if (stop && !done) {
                lines.push_back("stopped on request");
                outcome = sdk::ImportStatus::Stopped;
                break;
            }
        }
        lines.push_back(std::string(sdk::toString(outcome)) + ": " + std::to_string(imported) + " rows imported, " +
                        std::to_string(skipped) + " skipped, " + std::to_string(seen) + " read");
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
        log.error(std::string("import failed: ") + e.what());
        if (ours) (void)store.finish(run_id, sdk::ImportStatus::Failed, -1);
    }
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
    if (worker_.joinable()) worker_.join();
    job_.reset();
}

}  // namespace tidings::kernel
