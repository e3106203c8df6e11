#include "kernel/campaign/campaign_job.hpp"

#include "kernel/campaign/delivery_buffer.hpp"
#include "kernel/campaign/send_pacer.hpp"
#include "kernel/campaign/send_settings.hpp"
#include "kernel/core/json_writer.hpp"
#include "kernel/core/settings_service.hpp"
#include "kernel/hooks/event_bus.hpp"

namespace tidings::kernel {

namespace {
constexpr auto kIdleWait = std::chrono::milliseconds(500);

void sleepUnlessStopped(const std::atomic<bool>& stop, std::chrono::milliseconds total) {
    const auto until = std::chrono::steady_clock::now() + total;
    while (!stop.load() && std::chrono::steady_clock::now() < until) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
}
}  // namespace

CampaignJob::CampaignJob(const JobEnvironment& env, CampaignMessage message, sdk::Messenger& messenger)
    : env_(env), message_(std::move(message)), messenger_(messenger) {}

CampaignJob::~CampaignJob() {
    stop();
    std::lock_guard lock(workers_mutex_);
    for (auto& t : workers_) t.join();
}

void CampaignJob::ensureWorkers(std::size_t count) {
    std::lock_guard lock(workers_mutex_);
    if (stop_.load()) return;
    // A worker retires when its index reaches app.concurrency; new ones take the next indexes.
    std::size_t live = active_.load();
    while (live < count) {
        if (workers_.size() >= 4 * count + 64) break;  // bound thread churn from repeated shrink/grow
        const std::size_t index = live;
        ++active_;
        ++live;
        workers_.emplace_back([this, index] {
            work(index);
            --active_;
        });
    }
}

void CampaignJob::work(std::size_t index) {
    sdk::DeliveryStore& deliveries = env_.storage.deliveries();
    const sdk::Id id = campaignId();
    while (!stop_.load()) {
        const SendSettings settings = SendSettings::read(env_.settings);
        if (index >= static_cast<std::size_t>(settings.concurrency) && active_.load() > 1) return;

        sdk::RecipientBatch batch;
        sdk::Status st = deliveries.claimBatch(id, static_cast<std::size_t>(settings.batch_size), env_.lease, batch);
        if (!st) {
            if (st.code() == sdk::StatusCode::Conflict || st.code() == sdk::StatusCode::NotFound) return;  // no longer running
            env_.log.warning("campaign %?d: claiming a batch failed: %s", id, st.message());
            sleepUnlessStopped(stop_, std::chrono::seconds(1));
            continue;
        }
        if (batch.id != 0) {
            sendBatch(batch);
            continue;
        }
        if (batch.exhausted) {
            bool finished = false;
            st = deliveries.finishIfDone(id, finished);
            if (st && finished) {
                env_.log.information("campaign %?d finished", id);
                sdk::Campaign done = message_.campaign();
                done.status = sdk::CampaignStatus::Finished;
                publish("campaign.finished", done);
                return;
            }
        }
        // Other workers (here or elsewhere) hold the remaining batches; one of them may die and
        // its lease lapse, so keep looking until the campaign is finished.
        sleepUnlessStopped(stop_, kIdleWait);
    }
}

void CampaignJob::sendBatch(sdk::RecipientBatch& batch) {
    sdk::DeliveryStore& deliveries = env_.storage.deliveries();
    DeliveryBuffer ledger(deliveries, batch.campaign_id);
    auto renewed = std::chrono::steady_clock::now();
    std::size_t done = 0;
    for (const sdk::Subscriber& subscriber : batch.recipients) {
        if (stop_.load() || !env_.pacer.acquire(stop_)) break;
        sdk::Delivery d;
        deliver(subscriber, d);
        ledger.add(std::move(d));
        ++done;
        if (std::chrono::steady_clock::now() - renewed > env_.lease / 3) {
            (void)deliveries.renewBatch(batch.id, env_.lease);
            renewed = std::chrono::steady_clock::now();
        }
    }
    sdk::Status st = ledger.flush();
    if (!st) {
        // Without the ledger the batch cannot be marked done: leave it to lapse, and whoever
        // reclaims it re-sends only what the ledger does not hold.
        env_.log.error("campaign %?d: recording deliveries failed: %s", batch.campaign_id, st.message());
        return;
    }
    if (done == batch.recipients.size()) {
        st = deliveries.completeBatch(batch.id);
    } else {
        st = deliveries.renewBatch(batch.id, std::chrono::seconds(0));  // release for a resume
    }
    if (!st && st.code() != sdk::StatusCode::NotFound) {
        env_.log.warning("campaign %?d: closing batch %?d failed: %s", batch.campaign_id, batch.id, st.message());
    }
}

void CampaignJob::deliver(const sdk::Subscriber& subscriber, sdk::Delivery& out) {
    out.subscriber_id = subscriber.id;
    sdk::Status st;
    try {
        st = messenger_.push(message_.render(subscriber));
    } catch (const std::exception& e) {
        st = sdk::Status::invalid(std::string("template: ") + e.what());
    }
    if (st) {
        out.status = sdk::DeliveryStatus::Sent;
        ++sent_;
        return;
    }
    out.error = st.message();
    if (st.code() == sdk::StatusCode::Unconfirmed) {
        // The message went out in full and the relay's answer was lost: it has probably arrived.
        // In the ledger it is not sent again, by a resume or by a retry of the failed. It still
        // counts as an error: a relay that keeps dropping the answer must pause the campaign.
        ++sent_;
        if (env_.ledger_records_unconfirmed) {
            out.status = sdk::DeliveryStatus::Unconfirmed;
        } else {
            out.status = sdk::DeliveryStatus::Failed;
            out.error = "unconfirmed: " + out.error;
        }
        countFailure();
        return;
    }
    out.status = sdk::DeliveryStatus::Failed;
    countFailure();
}

void CampaignJob::countFailure() {
    const std::int64_t failures = ++failures_;
    const std::int64_t limit = SendSettings::read(env_.settings).max_send_errors;
    if (limit <= 0 || failures != limit) return;  // exactly once, by the worker that reached it
    sdk::Campaign paused;
    sdk::Status st = env_.storage.campaigns().transition(campaignId(), {sdk::CampaignStatus::Running},
                                                         sdk::CampaignStatus::Paused, paused);
    env_.log.warning("campaign %?d paused after %?d send errors (app.max_send_errors)%s", campaignId(), failures,
                     st ? std::string() : ": " + st.message());
    if (st) publish("campaign.paused", paused);
    stop();
}

void CampaignJob::publish(const char* event, const sdk::Campaign& campaign) {
    if (!env_.events.hasSubscribers(event)) return;
    JsonWriter w;
    w.beginObject().key("campaign").beginObject();
    w.key("id").value(campaign.id).key("uuid").value(campaign.uuid).key("name").value(campaign.name);
    w.key("status").value(sdk::toString(campaign.status));
    w.endObject().endObject();
    env_.events.publish(event, w.take());
}

}  // namespace tidings::kernel
