// Collects one worker's delivery outcomes and writes them to the ledger in bulk: one statement
// per hundred recipients or per quarter second, whichever comes first, so the ledger costs a
// small fraction of the send rate while a crash loses at most that much of it.
#pragma once

#include <chrono>
#include <vector>

#include <tidings/sdk/v1/storage.hpp>

namespace tidings::kernel {

namespace sdk = tidings::sdk::v1;

class DeliveryBuffer {
public:
    static constexpr std::size_t kMaxPending = 100;
    static constexpr std::chrono::milliseconds kMaxAge{250};

    DeliveryBuffer(sdk::DeliveryStore& store, sdk::Id campaign_id) : store_(store), campaign_id_(campaign_id) {}

    /// Adds an outcome; writes the buffer when it is full or old enough.
    void add(sdk::Delivery delivery);

    /// Writes what is pending. On failure the entries stay buffered for the next attempt and the
    /// store's status is returned.
    sdk::Status flush();

    bool empty() const { return pending_.empty(); }

private:
    sdk::DeliveryStore& store_;
    sdk::Id campaign_id_;
    std::vector<sdk::Delivery> pending_;
    std::chrono::steady_clock::time_point oldest_{};
};

}  // namespace tidings::kernel
