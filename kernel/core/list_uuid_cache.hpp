// Lists by UUID for the public subscription path, remembered briefly.
//
// Every public subscription names its lists by UUID; looking them up is one query per request
// on the hottest public endpoint, for data that changes a few times a year. Found lists are kept
// for a short time (a second by default: the same staleness bound as runtime settings and the
// authentication cache); unknown UUIDs are always looked up, so a bot sending random UUIDs
// cannot fill the cache.
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include <tidings/sdk/v1/storage.hpp>

namespace tidings::kernel {

namespace sdk = tidings::sdk::v1;

class ListUuidCache {
public:
    explicit ListUuidCache(sdk::ListStore& store, std::chrono::milliseconds ttl = std::chrono::seconds(1))
        : store_(store), ttl_(ttl) {}

    /// As ListStore::getByUuids: the lists among `uuids` that exist (counts may be a second old).
    sdk::Status getByUuids(const std::vector<std::string>& uuids, std::vector<sdk::List>& out);

private:
    using Clock = std::chrono::steady_clock;
    struct Entry {
        sdk::List list;
        Clock::time_point expires;
    };

    sdk::ListStore& store_;
    const std::chrono::milliseconds ttl_;
    std::mutex mutex_;
    std::map<std::string, Entry, std::less<>> entries_;
};

}  // namespace tidings::kernel
