#include "kernel/campaign/campaign_runner.hpp"

#include <set>

#include "kernel/campaign/send_settings.hpp"
#include "kernel/core/json_writer.hpp"
#include "kernel/core/message_context.hpp"
#include "kernel/core/settings_service.hpp"
#include "kernel/hooks/event_bus.hpp"
#include "kernel/plugins/capability_registry.hpp"

namespace tidings::kernel {

CampaignRunner::CampaignRunner(sdk::Storage& storage, SettingsService& settings, CapabilityRegistry& registry,
                               EventBus& events, RunnerOptions options)
    : storage_(storage), settings_(settings), registry_(registry), events_(events), options_(options),
      log_(Poco::Logger::get("tidings.campaigns")), links_(storage.tracking()) {}

CampaignRunner::~CampaignRunner() { stop(); }

void CampaignRunner::start() {
    std::lock_guard lock(mutex_);
    if (running_) return;
    running_ = true;
    thread_ = std::thread([this] { loop(); });
}

void CampaignRunner::stop() {
    {
        std::lock_guard lock(mutex_);
        if (!running_) return;
        running_ = false;
    }
    wake_.notify_all();
    thread_.join();
    // Ask every job first so they wind down in parallel, then join them one by one.
    for (auto& [id, job] : jobs_) job->stop();
    jobs_.clear();
}

void CampaignRunner::wake() {
    {
        std::lock_guard lock(mutex_);
        woken_ = true;
    }
    wake_.notify_all();
}

std::map<sdk::Id, std::int64_t> CampaignRunner::sentHere() const {
    std::lock_guard lock(mutex_);
    std::map<sdk::Id, std::int64_t> out;
    for (const auto& [id, job] : jobs_) out[id] = job->sentHere();
    return out;
}

void CampaignRunner::loop() {
    for (;;) {
        {
            std::unique_lock lock(mutex_);
            wake_.wait_for(lock, options_.tick, [this] { return !running_ || woken_; });
            if (!running_) return;
            woken_ = false;
        }
        try {
            tick();
        } catch (const std::exception& e) {
            log_.error("campaign scheduler: %s", std::string(e.what()));
        }
    }
}

void CampaignRunner::tick() {
    const SendSettings send = SendSettings::read(settings_);
    pacer_.configure(static_cast<double>(send.message_rate * send.concurrency),
                       send.sliding_window ? send.window_rate : 0, send.window);

    std::vector<sdk::Id> started;
    sdk::Status st = storage_.campaigns().startDue(std::chrono::time_point_cast<std::chrono::microseconds>(
                                                       std::chrono::system_clock::now()),
                                                   started);
    if (!st) log_.warning("starting scheduled campaigns failed: %s", st.message());
    for (sdk::Id id : started) {
        log_.information("scheduled campaign %?d started", id);
        if (events_.hasSubscribers("campaign.started")) {
            JsonWriter w;
            w.beginObject().key("campaign").beginObject().key("id").value(id).key("status").value("running");
            w.endObject().endObject();
            events_.publish("campaign.started", w.take());
        }
    }

    sdk::CampaignQuery q;
    q.statuses = {sdk::CampaignStatus::Running};
    q.per_page = 0;
    q.with_body = false;
    sdk::CampaignPage running;
    st = storage_.campaigns().query(q, running);
    if (!st) {
        log_.warning("listing running campaigns failed: %s", st.message());
        return;
    }
    std::set<sdk::Id> running_ids;
    for (const auto& c : running.results) running_ids.insert(c.id);

    std::lock_guard lock(mutex_);
    for (auto it = jobs_.begin(); it != jobs_.end();) {
        if (!running_ids.count(it->first)) it->second->stop();
        if (it->second->finished()) {
            it = jobs_.erase(it);  // joins its (exited) workers
        } else {
            ++it;
        }
    }
    for (sdk::Id id : running_ids) {
        auto it = jobs_.find(id);
        if (it == jobs_.end()) {
            startJob(id);
        } else {
            it->second->ensureWorkers(static_cast<std::size_t>(send.concurrency));
        }
    }
}

// Compiles the campaign and starts its workers; a campaign that cannot be sent (bad template,
// unknown messenger) is paused with the reason in the log rather than retried every tick.
void CampaignRunner::startJob(sdk::Id id) {
    sdk::Campaign campaign;
    sdk::Status st = storage_.campaigns().get(id, campaign);
    if (!st) {
        log_.warning("campaign %?d: loading failed: %s", id, st.message());
        return;
    }
    std::optional<sdk::Template> tmpl;
    if (campaign.template_id) {
        sdk::Template t;
        st = storage_.templates().get(*campaign.template_id, t);
        if (st) tmpl = std::move(t);
        else if (st.code() != sdk::StatusCode::NotFound) return;  // transient: try again next tick
    }
    sdk::Messenger* messenger = registry_.messenger(campaign.messenger);
    if (!messenger && campaign.messenger.rfind("email", 0) == 0) messenger = registry_.messenger("email");
    if (!messenger) return pauseUnsendable(campaign, "messenger \"" + campaign.messenger + "\" is not enabled");
    try {
        CampaignMessage message = CampaignMessage::compile(campaign, tmpl, messageContext(settings_, &links_));
        JobEnvironment env{storage_, settings_, pacer_, events_, log_, options_.lease,
                           registry_.ledgerRecordsUnconfirmed()};
        auto job = std::make_unique<CampaignJob>(env, std::move(message), *messenger);
        job->ensureWorkers(static_cast<std::size_t>(SendSettings::read(settings_).concurrency));
        log_.information("campaign %?d sending through \"%s\"", id, campaign.messenger);
        jobs_.emplace(id, std::move(job));
    } catch (const std::exception& e) {
        pauseUnsendable(campaign, std::string("template: ") + e.what());
    }
}

void CampaignRunner::pauseUnsendable(const sdk::Campaign& campaign, const std::string& why) {
    sdk::Campaign paused;
    sdk::Status st = storage_.campaigns().transition(campaign.id, {sdk::CampaignStatus::Running},
                                                     sdk::CampaignStatus::Paused, paused);
    log_.error("campaign %?d cannot be sent and was paused: %s%s", campaign.id, why,
               st ? std::string() : " (pausing failed: " + st.message() + ")");
}

}  // namespace tidings::kernel
