// A fake kernel for plugin tests: FakeHost implements sdk::Host and FakeRegistrar implements
// sdk::Registrar, both in memory and thread-safe, so a test can create a plugin, attach it, start
// it and inspect what it declared, logged, published and provided, without the real kernel.
//
// Usage:
//   tidings::sdk::testing::FakeHost host;
//   host.setConfig("db.url", "postgresql://...");
//   tidings::sdk::testing::FakeRegistrar registrar(host);
//   plugin->attach(registrar);   // declared keys now answer host.config() with their defaults
//   plugin->start();
//   registrar.storage()->migrate(report);
//
// Header-only on purpose: any plugin's test target can include it without linking anything.
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <tidings/sdk/v1/host.hpp>

namespace tidings::sdk::testing {

namespace v1 = ::tidings::sdk::v1;

/// In-memory Host. Configuration resolves like the kernel's: an explicit value set by the test
/// wins, else the default of a key declared through a FakeRegistrar bound to this host.
class FakeHost final : public v1::Host {
public:
    struct LogLine {
        v1::LogLevel level;
        std::string message;
    };
    struct Event {
        std::string name;
        std::string payload_json;
    };

    v1::AbiVersion abiVersion() const noexcept override { return v1::kAbiVersion; }

    void log(v1::LogLevel level, std::string_view message) noexcept override {
        try {
            std::lock_guard lock(mutex_);
            logs_.push_back({level, std::string(message)});
        } catch (...) {  // A host must never throw into a plugin.
        }
    }

    std::optional<std::string> config(std::string_view key) const noexcept override {
        try {
            std::lock_guard lock(mutex_);
            if (auto it = config_.find(std::string(key)); it != config_.end()) return it->second;
            if (auto it = declared_.find(std::string(key)); it != declared_.end())
                return it->second.default_value;
        } catch (...) {
        }
        return std::nullopt;
    }

    std::optional<std::string> setting(std::string_view key) const noexcept override {
        try {
            std::lock_guard lock(mutex_);
            if (auto it = settings_.find(std::string(key)); it != settings_.end()) return it->second;
        } catch (...) {
        }
        return std::nullopt;
    }

    void publish(std::string_view event, std::string payload_json) noexcept override {
        try {
            std::lock_guard lock(mutex_);
            events_.push_back({std::string(event), std::move(payload_json)});
        } catch (...) {
        }
    }

    // Shared state lives in memory here; expiry uses the steady clock.
    v1::Status getState(std::string_view key, std::optional<std::string>& value) noexcept override {
        try {
            std::lock_guard lock(mutex_);
            value.reset();
            if (auto it = state_.find(std::string(key)); it != state_.end() && live(it->second))
                value = it->second.value;
            return {};
        } catch (...) {
            return v1::Status::internal("getState failed");
        }
    }

    v1::Status putState(std::string_view key, std::string_view value,
                        std::chrono::seconds ttl) noexcept override {
        try {
            std::lock_guard lock(mutex_);
            state_[std::string(key)] = {std::string(value), expiry(ttl)};
            return {};
        } catch (...) {
            return v1::Status::internal("putState failed");
        }
    }

    v1::Status insertStateIfAbsent(std::string_view key, std::string_view value,
                                   std::chrono::seconds ttl, bool& inserted) noexcept override {
        try {
            std::lock_guard lock(mutex_);
            auto it = state_.find(std::string(key));
            inserted = it == state_.end() || !live(it->second);
            if (inserted) state_[std::string(key)] = {std::string(value), expiry(ttl)};
            return {};
        } catch (...) {
            return v1::Status::internal("insertStateIfAbsent failed");
        }
    }

    // Bounces are kept as given; every event counts as recorded for subscriber 1.
    v1::Status recordBounce(const v1::BounceEvent& event, v1::BounceOutcome& outcome) noexcept override {
        try {
            std::lock_guard lock(mutex_);
            if (event.email.empty() && event.subscriber_uuid.empty())
                return v1::Status::invalid("email: email or subscriber_uuid is required");
            bounces_.push_back(event);
            outcome = {};
            outcome.recorded = true;
            outcome.bounce_id = static_cast<v1::Id>(bounces_.size());
            outcome.subscriber_id = 1;
            outcome.count = 1;
            return {};
        } catch (...) {
            return v1::Status::internal("recordBounce failed");
        }
    }

    /// Whatever the test set with setOutbox (e.g. a started store's outbox()), else nullptr, as
    /// the kernel answers before storage has started.
    v1::OutboxStore* outbox() noexcept override {
        std::lock_guard lock(mutex_);
        return outbox_;
    }

    // ---- test controls ------------------------------------------------------------------------

    /// Makes outbox() answer with `outbox` (not owned; must outlive its use), or nullptr.
    void setOutbox(v1::OutboxStore* outbox) {
        std::lock_guard lock(mutex_);
        outbox_ = outbox;
    }

    /// Sets an operator configuration value (as if from the INI file).
    void setConfig(const std::string& key, std::string value) {
        std::lock_guard lock(mutex_);
        config_[key] = std::move(value);
    }
    /// Sets a runtime setting (JSON text).
    void setSetting(const std::string& key, std::string value_json) {
        std::lock_guard lock(mutex_);
        settings_[key] = std::move(value_json);
    }
    /// Records a declared key; called by FakeRegistrar::declareConfig.
    void declare(const v1::ConfigKey& key) {
        std::lock_guard lock(mutex_);
        declared_[key.key] = key;
    }
    std::map<std::string, v1::ConfigKey> declaredKeys() const {
        std::lock_guard lock(mutex_);
        return declared_;
    }
    std::vector<LogLine> logs() const {
        std::lock_guard lock(mutex_);
        return logs_;
    }
    std::vector<Event> events() const {
        std::lock_guard lock(mutex_);
        return events_;
    }
    std::vector<v1::BounceEvent> bounces() const {
        std::lock_guard lock(mutex_);
        return bounces_;
    }

private:
    struct StateEntry {
        std::string value;
        std::optional<std::chrono::steady_clock::time_point> expires;
    };
    static std::optional<std::chrono::steady_clock::time_point> expiry(std::chrono::seconds ttl) {
        if (ttl.count() <= 0) return std::nullopt;  // zero: never expires
        return std::chrono::steady_clock::now() + ttl;
    }
    static bool live(const StateEntry& e) {
        return !e.expires || std::chrono::steady_clock::now() < *e.expires;
    }

    mutable std::mutex mutex_;
    std::map<std::string, StateEntry> state_;
    std::map<std::string, std::string> config_;
    std::map<std::string, std::string> settings_;
    std::map<std::string, v1::ConfigKey> declared_;
    std::vector<LogLine> logs_;
    std::vector<Event> events_;
    std::vector<v1::BounceEvent> bounces_;
    v1::OutboxStore* outbox_ = nullptr;
};

/// In-memory Registrar. Applies the kernel's registration rules that matter to plugins: one
/// storage, one capability per name, one route per method and pattern, no duplicate config key.
class FakeRegistrar final : public v1::Registrar {
public:
    struct Route {
        v1::RouteSpec spec;
        v1::RouteHandler handler;
    };
    struct Hook {
        std::string event;
        v1::HookHandler handler;
    };

    explicit FakeRegistrar(FakeHost& host) : host_(host) {}

    v1::Status declareConfig(const v1::ConfigKey& key) noexcept override {
        try {
            if (key.key.find('.') == std::string::npos)
                return v1::Status::invalid("config: key must look like section.name");
            if (host_.declaredKeys().count(key.key))
                return v1::Status::conflict("config: " + key.key + " already declared");
            host_.declare(key);
            return {};
        } catch (...) {
            return v1::Status::internal("declareConfig failed");
        }
    }

    v1::Status provideStorage(v1::Storage& storage) noexcept override {
        if (storage_) return v1::Status::conflict("storage: already provided");
        storage_ = &storage;
        return {};
    }
    v1::Status provideMessenger(v1::Messenger& m) noexcept override { return addNamed(messengers_, m); }
    v1::Status provideBounceProvider(v1::BounceProvider& p) noexcept override {
        return addNamed(bounces_, p);
    }
    v1::Status provideCaptcha(v1::CaptchaProvider& c) noexcept override { return addNamed(captchas_, c); }
    v1::Status provideImporter(v1::Importer& i) noexcept override { return addNamed(importers_, i); }

    v1::Status route(const v1::RouteSpec& spec, v1::RouteHandler handler) noexcept override {
        try {
            if (spec.pattern.empty() || spec.pattern.front() != '/')
                return v1::Status::invalid("route: pattern must begin with '/'");
            for (const auto& r : routes_)
                if (r.spec.method == spec.method && r.spec.pattern == spec.pattern)
                    return v1::Status::conflict("route: " + spec.method + " " + spec.pattern +
                                                " already registered");
            routes_.push_back({spec, std::move(handler)});
            return {};
        } catch (...) {
            return v1::Status::internal("route failed");
        }
    }

    v1::Status onHook(std::string_view event, v1::HookHandler handler) noexcept override {
        try {
            hooks_.push_back({std::string(event), std::move(handler)});
            return {};
        } catch (...) {
            return v1::Status::internal("onHook failed");
        }
    }

    v1::Status provideMessengerDirectory(v1::MessengerDirectory& directory) noexcept override {
        try {
            directories_.push_back(&directory);
            return {};
        } catch (...) {
            return v1::Status::internal("provideMessengerDirectory failed");
        }
    }

    // ---- inspection ---------------------------------------------------------------------------
    v1::Storage* storage() const { return storage_; }
    const std::vector<v1::MessengerDirectory*>& messengerDirectories() const { return directories_; }
    const std::vector<v1::Messenger*>& messengers() const { return messengers_; }
    const std::vector<v1::BounceProvider*>& bounceProviders() const { return bounces_; }
    const std::vector<v1::CaptchaProvider*>& captchas() const { return captchas_; }
    const std::vector<v1::Importer*>& importers() const { return importers_; }
    const std::vector<Route>& routes() const { return routes_; }
    const std::vector<Hook>& hooks() const { return hooks_; }

private:
    template <typename T>
    static v1::Status addNamed(std::vector<T*>& into, T& item) noexcept {
        try {
            for (T* existing : into)
                if (existing->name() == item.name())
                    return v1::Status::conflict(std::string(item.name()) + ": already provided");
            into.push_back(&item);
            return {};
        } catch (...) {
            return v1::Status::internal("registration failed");
        }
    }

    FakeHost& host_;
    v1::Storage* storage_ = nullptr;
    std::vector<v1::MessengerDirectory*> directories_;
    std::vector<v1::Messenger*> messengers_;
    std::vector<v1::BounceProvider*> bounces_;
    std::vector<v1::CaptchaProvider*> captchas_;
    std::vector<v1::Importer*> importers_;
    std::vector<Route> routes_;
    std::vector<Hook> hooks_;
};

}  // namespace tidings::sdk::testing
