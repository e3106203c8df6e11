// The sdk::Host one plugin sees: the kernel's services, with the plugin's name attached to its
// log lines, its state keys and the bounces it records.
#pragma once

#include <memory>
#include <string>

#include <tidings/sdk/v1/host.hpp>

#include "kernel/config/config.hpp"
#include "kernel/hooks/event_bus.hpp"
#include "kernel/plugins/capability_registry.hpp"
#include "kernel/plugins/plugin_loader.hpp"

namespace tidings::kernel {

class PluginHost final : public sdk::Host {
public:
    PluginHost(std::string plugin_name, const Config& config, CapabilityRegistry& registry, EventBus& events,
               std::shared_ptr<SettingLookup> settings, std::shared_ptr<BounceRecorder> bounces);

    sdk::AbiVersion abiVersion() const noexcept override;
    void log(sdk::LogLevel level, std::string_view message) noexcept override;
    std::optional<std::string> config(std::string_view key) const noexcept override;
    std::optional<std::string> setting(std::string_view key) const noexcept override;
    void publish(std::string_view event, std::string payload_json) noexcept override;
    sdk::Status getState(std::string_view key, std::optional<std::string>& value) noexcept override;
    sdk::Status putState(std::string_view key, std::string_view value, std::chrono::seconds ttl) noexcept override;
    sdk::Status insertStateIfAbsent(std::string_view key, std::string_view value, std::chrono::seconds ttl,
                                    bool& inserted) noexcept override;
    sdk::Status recordBounce(const sdk::BounceEvent& event, sdk::BounceOutcome& outcome) noexcept override;
    sdk::OutboxStore* outbox() noexcept override;

private:
    sdk::StateStore* state() const noexcept;
    std::string stateKey(std::string_view key) const { return name_ + ":" + std::string(key); }

    std::string name_;
    const Config& config_;
    CapabilityRegistry& registry_;
    EventBus& events_;
    std::shared_ptr<SettingLookup> settings_;
    std::shared_ptr<BounceRecorder> bounces_;
};

}  // namespace tidings::kernel
