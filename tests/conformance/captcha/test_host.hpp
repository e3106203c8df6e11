// Test doubles for loading a CAPTCHA plugin the way the kernel does: a Host with in-memory
// configuration, settings and a state store that several hosts can share (as several kernels
// share one database), a Registrar that captures what the plugin provides, and a loader that
// opens the .so with Boost.DLL and calls its exported entry points.
//
// Not sdk/tests/fake_host.hpp: its FakeHost keeps state per host and cannot fail, while these tests
// need one store shared by two hosts (two kernels on one database), failure injection and a look
// at the TTLs the plugin chose.
#pragma once

#include <boost/dll/shared_library.hpp>

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <tidings/sdk/v1/plugin.hpp>

namespace captcha_test {

namespace sdk = ::tidings::sdk::v1;

/// The shared state store (one "database"). TTLs are honoured with the steady clock.
class SharedState {
public:
    sdk::Status get(std::string_view key, std::optional<std::string>& value) {
        std::lock_guard lock(mutex_);
        if (failing_) return sdk::Status::unavailable("state store down");
        value.reset();
        if (auto it = entries_.find(std::string(key)); it != entries_.end() && live(it->second))
            value = it->second.value;
        return {};
    }
    sdk::Status put(std::string_view key, std::string_view value, std::chrono::seconds ttl) {
        std::lock_guard lock(mutex_);
        if (failing_) return sdk::Status::unavailable("state store down");
        entries_[std::string(key)] = entry(value, ttl);
        return {};
    }
    sdk::Status insertIfAbsent(std::string_view key, std::string_view value, std::chrono::seconds ttl,
                               bool& inserted) {
        std::lock_guard lock(mutex_);
        if (failing_) return sdk::Status::unavailable("state store down");
        auto it = entries_.find(std::string(key));
        inserted = it == entries_.end() || !live(it->second);
        if (inserted) entries_[std::string(key)] = entry(value, ttl);
        return {};
    }

    // ---- test controls ----
    void setFailing(bool failing) {
        std::lock_guard lock(mutex_);
        failing_ = failing;
    }
    /// The raw entry, expired or not, with its remaining lifetime (nullopt = never expires).
    std::optional<std::pair<std::string, std::optional<std::chrono::seconds>>> peek(const std::string& key) {
        std::lock_guard lock(mutex_);
        auto it = entries_.find(key);
        if (it == entries_.end()) return std::nullopt;
        std::optional<std::chrono::seconds> left;
        if (it->second.expires)
            left = std::chrono::duration_cast<std::chrono::seconds>(*it->second.expires -
                                                                    std::chrono::steady_clock::now());
        return std::make_pair(it->second.value, left);
    }

private:
    struct Entry {
        std::string value;
        std::optional<std::chrono::steady_clock::time_point> expires;
    };
    static Entry entry(std::string_view value, std::chrono::seconds ttl) {
        Entry e{std::string(value), std::nullopt};
        if (ttl.count() > 0) e.expires = std::chrono::steady_clock::now() + ttl;
        return e;
    }
    static bool live(const Entry& e) { return !e.expires || *e.expires > std::chrono::steady_clock::now(); }

    std::mutex mutex_;
    bool failing_ = false;
    std::map<std::string, Entry> entries_;
};

class TestHost final : public sdk::Host {
public:
    explicit TestHost(std::shared_ptr<SharedState> state = std::make_shared<SharedState>())
        : state_(std::move(state)) {}

    sdk::AbiVersion abiVersion() const noexcept override { return sdk::kAbiVersion; }

    void log(sdk::LogLevel level, std::string_view message) noexcept override {
        try {
            std::lock_guard lock(mutex_);
            logs_.push_back({level, std::string(message)});
        } catch (...) {
        }
    }
    std::optional<std::string> config(std::string_view key) const noexcept override {
        try {
            std::lock_guard lock(mutex_);
            if (auto it = config_.find(std::string(key)); it != config_.end()) return it->second;
            if (auto it = declared_.find(std::string(key)); it != declared_.end()) return it->second;
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
    void publish(std::string_view, std::string) noexcept override {}
    /// CAPTCHA providers queue nothing.
    sdk::OutboxStore* outbox() noexcept override { return nullptr; }

    sdk::Status getState(std::string_view key, std::optional<std::string>& value) noexcept override {
        try {
            return state_->get(key, value);
        } catch (...) {
            return sdk::Status::internal("getState failed");
        }
    }
    sdk::Status putState(std::string_view key, std::string_view value, std::chrono::seconds ttl) noexcept override {
        try {
            return state_->put(key, value, ttl);
        } catch (...) {
            return sdk::Status::internal("putState failed");
        }
    }
    sdk::Status insertStateIfAbsent(std::string_view key, std::string_view value, std::chrono::seconds ttl,
                                    bool& inserted) noexcept override {
        try {
            return state_->insertIfAbsent(key, value, ttl, inserted);
        } catch (...) {
            return sdk::Status::internal("insertStateIfAbsent failed");
        }
    }
    // CAPTCHA providers never record bounces.
    sdk::Status recordBounce(const sdk::BounceEvent&, sdk::BounceOutcome&) noexcept override {
        return sdk::Status::unavailable("no bounce recording in the CAPTCHA suite");
    }

    // ---- test controls ----
    void setConfig(const std::string& key, std::string value) {
        std::lock_guard lock(mutex_);
        config_[key] = std::move(value);
    }
    void setSetting(const std::string& key, std::string json) {
        std::lock_guard lock(mutex_);
        settings_[key] = std::move(json);
    }
    void clearSetting(const std::string& key) {
        std::lock_guard lock(mutex_);
        settings_.erase(key);
    }
    void declare(const sdk::ConfigKey& key) {
        std::lock_guard lock(mutex_);
        declared_[key.key] = key.default_value;
    }
    std::vector<std::pair<sdk::LogLevel, std::string>> logs() const {
        std::lock_guard lock(mutex_);
        return logs_;
    }
    bool logged(const std::string& fragment) const {
        for (const auto& [level, line] : logs())
            if (line.find(fragment) != std::string::npos) return true;
        return false;
    }
    SharedState& state() { return *state_; }

private:
    std::shared_ptr<SharedState> state_;
    mutable std::mutex mutex_;
    std::map<std::string, std::string> config_, settings_, declared_;
    std::vector<std::pair<sdk::LogLevel, std::string>> logs_;
};

class TestRegistrar final : public sdk::Registrar {
public:
    struct Route {
        sdk::RouteSpec spec;
        sdk::RouteHandler handler;
    };

    explicit TestRegistrar(TestHost& host) : host_(host) {}

    sdk::Status declareConfig(const sdk::ConfigKey& key) noexcept override {
        try {
            declared.push_back(key);
            host_.declare(key);
            return {};
        } catch (...) {
            return sdk::Status::internal("declareConfig failed");
        }
    }
    sdk::Status provideStorage(sdk::Storage&) noexcept override { return unexpected("storage"); }
    sdk::Status provideMessenger(sdk::Messenger&) noexcept override { return unexpected("messenger"); }
    sdk::Status provideBounceProvider(sdk::BounceProvider&) noexcept override { return unexpected("bounce"); }
    sdk::Status provideImporter(sdk::Importer&) noexcept override { return unexpected("importer"); }
    sdk::Status onHook(std::string_view, sdk::HookHandler) noexcept override { return unexpected("hook"); }
    sdk::Status provideMessengerDirectory(sdk::MessengerDirectory&) noexcept override {
        return unexpected("messenger directory");
    }
    sdk::Status provideCaptcha(sdk::CaptchaProvider& provider) noexcept override {
        try {
            captchas.push_back(&provider);
            return {};
        } catch (...) {
            return sdk::Status::internal("provideCaptcha failed");
        }
    }
    sdk::Status route(const sdk::RouteSpec& spec, sdk::RouteHandler handler) noexcept override {
        try {
            routes.push_back({spec, std::move(handler)});
            return {};
        } catch (...) {
            return sdk::Status::internal("route failed");
        }
    }

    /// Calls the captured route like the kernel would, with an empty request.
    sdk::Response call(const std::string& method, const std::string& path) const {
        for (const auto& r : routes) {
            if (r.spec.method == method && r.spec.pattern == path) {
                sdk::Request req;
                req.method = method;
                req.path = path;
                req.remote_address = "127.0.0.1";
                sdk::Response res;
                r.handler(req, res);
                return res;
            }
        }
        throw std::runtime_error("no route " + method + " " + path);
    }

    std::vector<sdk::ConfigKey> declared;
    std::vector<sdk::CaptchaProvider*> captchas;
    std::vector<Route> routes;
    std::vector<std::string> unexpected_calls;

private:
    sdk::Status unexpected(const char* what) noexcept {
        try {
            unexpected_calls.emplace_back(what);
        } catch (...) {
        }
        return sdk::Status::invalid("a captcha plugin must not provide this");
    }
    TestHost& host_;
};

/// A plugin loaded as the kernel loads it: RTLD_NOW | RTLD_LOCAL, entry points by alias name.
/// Destroys the plugin (after stop()) before the library handle goes away.
class LoadedPlugin {
public:
    LoadedPlugin(const std::string& path, sdk::Host& host)
        : lib_(path, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local) {
        manifest = lib_.get_alias<sdk::ManifestFn>(sdk::kManifestSymbol)();
        destroy_ = &lib_.get_alias<sdk::DestroyFn>(sdk::kDestroySymbol);
        plugin = lib_.get_alias<sdk::CreateFn>(sdk::kCreateSymbol)(&host);
        if (!plugin) throw std::runtime_error("create returned null for " + path);
    }
    ~LoadedPlugin() {
        if (started_) plugin->stop();
        destroy_(plugin);
    }
    LoadedPlugin(const LoadedPlugin&) = delete;
    LoadedPlugin& operator=(const LoadedPlugin&) = delete;

    /// attach + start, as the kernel does at start-up.
    sdk::Status attachAndStart(sdk::Registrar& registrar) {
        if (auto st = plugin->attach(registrar); !st) return st;
        auto st = plugin->start();
        started_ = st.ok();
        return st;
    }

    const sdk::Manifest* manifest = nullptr;
    sdk::Plugin* plugin = nullptr;

private:
    boost::dll::shared_library lib_;
    sdk::DestroyFn* destroy_ = nullptr;
    bool started_ = false;
};

}  // namespace captcha_test
