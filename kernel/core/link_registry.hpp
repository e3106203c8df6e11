// The UUIDs of tracked links, cached: TrackLink asks for one per link per rendered message, and
// a campaign has a handful of distinct URLs, so after the first message of a run every lookup is
// a map hit. The store is the source of truth (every process gets the same UUID for a URL).
#pragma once

#include <mutex>
#include <string>
#include <unordered_map>

#include <tidings/sdk/v1/tracking.hpp>

namespace tidings::kernel {

namespace sdk = tidings::sdk::v1;

class LinkRegistry {
public:
    explicit LinkRegistry(sdk::TrackingStore& store) : store_(store) {}

    /// The UUID for `url`, registering it when new; empty when the store cannot be reached (the
    /// link is then sent untracked rather than failing the recipient's message).
    std::string uuidFor(const std::string& url);

private:
    // Distinct URLs across campaigns stay few; the bound only guards against a template that
    // generates unique URLs per subscriber.
    static constexpr std::size_t kMaxCached = 100000;

    sdk::TrackingStore& store_;
    std::mutex mutex_;
    std::unordered_map<std::string, std::string> cache_;
};

}  // namespace tidings::kernel
