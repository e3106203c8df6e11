#include "kernel/plugins/plugin_host.hpp"

#include <Poco/Logger.h>

namespace tidings::kernel {

PluginHost::PluginHost(std::string plugin_name, const Config& config, CapabilityRegistry& registry, EventBus& events,
                       std::shared_ptr<SettingLookup> settings, std::shared_ptr<BounceRecorder> bounces)
    : name_(std::move(plugin_name)),
      config_(config),
      registry_(registry),
      events_(events),
      settings_(std::move(settings)),
      bounces_(std::move(bounces)) {}

sdk::AbiVersion PluginHost::abiVersion() const noexcept { return sdk::kAbiVersion; }

void PluginHost::log(sdk::LogLevel level, std::string_view message) noexcept {
    try {
        auto& logger = Poco::Logger::get("tidings.plugin." + name_);
        std::string text(message);
        switch (level) {
        case sdk::LogLevel::Debug: logger.debug(text); break;
        case sdk::LogLevel::Info: logger.information(text); break;
        case sdk::LogLevel::Warning: logger.warning(text); break;
        case sdk::LogLevel::Error: logger.error(text); break;
        }
    } catch (...) {
        // Logging must never take a plugin down.
    }
}

std::optional<std::string> PluginHost::config(std::string_view key) const noexcept {
    try {
        return config_.get(key);
    } catch (...) {
        return std::nullopt;
    }
}

std::optional<std::string> PluginHost::setting(std::string_view key) const noexcept {
    try {
        if (!settings_ || !*settings_) return std::nullopt;
        return (*settings_)(key);
    } catch (...) {
        return std::nullopt;
    }
}

void PluginHost::publish(std::string_view event, std::string payload_json) noexcept {
    try {
        events_.publish(event, std::move(payload_json));
    } catch (...) {
    }
}

sdk::StateStore* PluginHost::state() const noexcept {
    auto* storage = registry_.storage();
    return storage ? &storage->state() : nullptr;
}

sdk::Status PluginHost::getState(std::string_view key, std::optional<std::string>& value) noexcept {
    auto* s = state();
    if (!s) return sdk::Status::unavailable("storage is not ready");
    try {
        return s->get(stateKey(key), value);
    } catch (...) {
        return sdk::Status::internal("state lookup failed");
    }
}

sdk::Status PluginHost::putState(std::string_view key, std::string_view value, std::chrono::seconds ttl) noexcept {
    auto* s = state();
    if (!s) return sdk::Status::unavailable("storage is not ready");
    try {
        return s->put(stateKey(key), value, ttl);
    } catch (...) {
        return sdk::Status::internal("state update failed");
    }
}

sdk::Status PluginHost::insertStateIfAbsent(std::string_view key, std::string_view value, std::chrono::seconds ttl,
                                            bool& inserted) noexcept {
    auto* s = state();
    if (!s) return sdk::Status::unavailable("storage is not ready");
    try {
        return s->insertIfAbsent(stateKey(key), value, ttl, inserted);
    } catch (...) {
        return sdk::Status::internal("state update failed");
    }
}

sdk::Status PluginHost::recordBounce(const sdk::BounceEvent& event, sdk::BounceOutcome& outcome) noexcept {
    try {
        if (!bounces_ || !*bounces_) return sdk::Status::unavailable("bounce recording is not ready");
        sdk::BounceEvent named = event;
        if (named.source.empty()) named.source = name_;
        return (*bounces_)(std::move(named), outcome);
    } catch (const std::exception& e) {
        return sdk::Status::internal(std::string("bounce not recorded: ") + e.what());
    } catch (...) {
        return sdk::Status::internal("bounce not recorded");
    }
}

// Not namespaced like the state keys: an outbox job already names its channel, and the kernel
// may one day list every channel's jobs in one place.
sdk::OutboxStore* PluginHost::outbox() noexcept { return registry_.outbox(); }

}  // namespace tidings::kernel
