// The send engine's scheduler: twice a second it starts scheduled campaigns that are due, starts
// a CampaignJob for every running campaign this process is not yet sending, stops jobs whose
// campaign left the running state (paused, cancelled, finished — by any process), and applies
// changed send settings.
//
// Every process against the same database runs a runner; they share each campaign's batches
// through the store, so adding processes adds sending capacity.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include <Poco/Logger.h>

#include <tidings/sdk/v1/storage.hpp>

#include "kernel/campaign/campaign_job.hpp"
#include "kernel/core/link_registry.hpp"
#include "kernel/campaign/send_pacer.hpp"

namespace tidings::kernel {

class CapabilityRegistry;

struct RunnerOptions {
    std::chrono::milliseconds tick{500};
    std::chrono::seconds lease{60};
};

class CampaignRunner {
public:
    CampaignRunner(sdk::Storage& storage, SettingsService& settings, CapabilityRegistry& registry, EventBus& events,
                   RunnerOptions options = {});
    ~CampaignRunner();  ///< stop()
    CampaignRunner(const CampaignRunner&) = delete;
    CampaignRunner& operator=(const CampaignRunner&) = delete;

    void start();
    /// Stops every job after its current message, records what was sent, releases the batches.
    void stop();

    /// Runs the scheduler now instead of at the next tick (a status changed in this process).
    void wake();

    /// Messages sent by this process per campaign id, for progress reporting.
    std::map<sdk::Id, std::int64_t> sentHere() const;

private:
    void loop();
    void tick();
    void startJob(sdk::Id id);
    void pauseUnsendable(const sdk::Campaign& campaign, const std::string& why);

    sdk::Storage& storage_;
    SettingsService& settings_;
    CapabilityRegistry& registry_;
    EventBus& events_;
    RunnerOptions options_;
    /// Ids go to its format as %?d, which takes any integer type: %d wants exactly int and %Ld
    /// exactly Poco::Int64, and any other type prints "[ERRFMT]" instead of the number.
    Poco::Logger& log_;
    SendPacer pacer_;
    LinkRegistry links_;  ///< Shared by every job: a URL is registered once per process.

    mutable std::mutex mutex_;
    std::condition_variable wake_;
    bool running_ = false;
    bool woken_ = false;
    std::thread thread_;
    std::map<sdk::Id, std::unique_ptr<CampaignJob>> jobs_;
};

}  // namespace tidings::kernel
