// Runtime settings: listmonk's keys, kept in storage, applied live.
//
// Every process keeps an immutable snapshot of the effective settings (defaults overlaid with
// what storage holds) and polls the store's cheap revision number once a second, so a change
// made through any process's PUT /api/settings reaches every process within about a second
// without a restart.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <Poco/JSON/Object.h>

#include <tidings/sdk/v1/storage.hpp>

namespace tidings::kernel {

namespace sdk = tidings::sdk::v1;

class SettingsService {
public:
    /// `initial` holds defaults from the operator's INI file (e.g. "app.root_url" as JSON text)
    /// that replace the built-in defaults until a setting is stored.
    SettingsService(sdk::SettingsStore& store, std::map<std::string, std::string> initial = {});
    ~SettingsService();
    SettingsService(const SettingsService&) = delete;
    SettingsService& operator=(const SettingsService&) = delete;

    /// Reads storage and builds the first snapshot. Throws StatusError if storage fails.
    void load();

    /// Starts the revision poller (interval in milliseconds).
    void startPolling(int interval_ms = 1000);
    void stopPolling();

    /// Reloads now if the stored revision moved. Returns whether it reloaded.
    bool refreshIfChanged();

    /// The effective value of a key as JSON text; nullopt for an unknown key.
    std::optional<std::string> json(std::string_view key) const;

    bool flag(std::string_view key) const;
    std::int64_t integer(std::string_view key) const;
    std::string text(std::string_view key) const;
    std::vector<std::string> strings(std::string_view key) const;
    /// app.root_url without trailing slashes, ready for appending paths.
    std::string rootUrl() const;

    /// Every setting as one JSON object text, secrets replaced by bullets (GET /api/settings).
    std::string maskedJson() const;

    /// Validates and stores the keys present in `changes` (PUT /api/settings): unknown keys and
    /// values of the wrong type are Invalid, naming the key; a secret sent back masked or empty
    /// keeps its stored value. Applies the change to this process at once.
    void update(const Poco::JSON::Object& changes);

private:
    struct Snapshot {
        std::map<std::string, std::string, std::less<>> values;  // key -> JSON text
        std::int64_t revision = -1;
    };

    std::shared_ptr<const Snapshot> snapshot() const;
    void reload(std::int64_t revision);
    void pollLoop(int interval_ms);

    sdk::SettingsStore& store_;
    std::map<std::string, std::string> initial_;
    mutable std::mutex mutex_;
    std::shared_ptr<const Snapshot> snapshot_;
    std::mutex poll_mutex_;
    std::condition_variable poll_wake_;
    bool polling_ = false;
    std::thread poller_;
};

}  // namespace tidings::kernel
