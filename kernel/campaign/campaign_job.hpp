// One running campaign in this process: a set of workers that claim recipient batches from the
// store, render each recipient's message, pace it through the shared pacer, hand it to
// the messenger and record the outcome in the ledger.
//
// A job stops when asked (pause, cancel, shutdown), when the campaign's recipients are
// exhausted, or when failures pass app.max_send_errors (it then pauses the campaign). Stopping
// mid-batch records what was sent and releases the batch at once, so a resumed campaign — in this
// process or another — carries on from the first recipient not yet in the ledger.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include <Poco/Logger.h>

#include <tidings/sdk/v1/messenger.hpp>
#include <tidings/sdk/v1/storage.hpp>

#include "kernel/template/campaign_message.hpp"

namespace tidings::kernel {

class EventBus;
class SendPacer;
class SettingsService;

/// What every job of a runner shares.
struct JobEnvironment {
    sdk::Storage& storage;
    SettingsService& settings;
    SendPacer& pacer;
    EventBus& events;
    Poco::Logger& log;  ///< Integers as %?d (see CampaignRunner::log_).
    /// How long a claimed batch is held without renewal before another process may take it.
    std::chrono::seconds lease{60};
    /// Whether the store takes DeliveryStatus::Unconfirmed; older stores get Failed instead.
    bool ledger_records_unconfirmed = true;
};

class CampaignJob {
public:
    CampaignJob(const JobEnvironment& env, CampaignMessage message, sdk::Messenger& messenger);
    ~CampaignJob();  ///< Stops and joins the workers.
    CampaignJob(const CampaignJob&) = delete;
    CampaignJob& operator=(const CampaignJob&) = delete;

    /// Starts workers until `count` run (app.concurrency may grow while a campaign runs; extra
    /// workers retire by themselves when it shrinks).
    void ensureWorkers(std::size_t count);

    /// Asks every worker to stop after the message it is sending. Returns at once.
    void stop() { stop_.store(true); }

    /// Whether every worker has exited.
    bool finished() const { return active_.load() == 0; }

    sdk::Id campaignId() const { return message_.campaign().id; }

    /// Messages handed to the messenger by this process for this campaign.
    std::int64_t sentHere() const { return sent_.load(); }

private:
    void work(std::size_t index);
    void sendBatch(sdk::RecipientBatch& batch);
    void deliver(const sdk::Subscriber& subscriber, sdk::Delivery& out);
    void countFailure();
    void publish(const char* event, const sdk::Campaign& campaign);

    const JobEnvironment env_;
    const CampaignMessage message_;
    sdk::Messenger& messenger_;
    std::atomic<bool> stop_{false};
    std::atomic<std::size_t> active_{0};
    std::atomic<std::int64_t> sent_{0};
    std::atomic<std::int64_t> failures_{0};
    std::mutex workers_mutex_;
    std::vector<std::thread> workers_;
};

}  // namespace tidings::kernel
