// The sdk::Registrar one plugin registers through during attach(): forwards to the kernel's
// registry, router, event bus and configuration, recording the plugin as the owner.
#pragma once

#include <cstdint>
#include <string>

#include <tidings/sdk/v1/host.hpp>

#include "kernel/config/config.hpp"
#include "kernel/hooks/event_bus.hpp"
#include "kernel/http/router.hpp"
#include "kernel/plugins/capability_registry.hpp"

namespace tidings::kernel {

class PluginRegistrar final : public sdk::Registrar {
public:
    /// `abi_minor` is the SDK minor version the owning plugin was built for.
    PluginRegistrar(std::string owner, std::uint32_t abi_minor, Config& config, CapabilityRegistry& registry,
                    Router& router, EventBus& events);

    sdk::Status declareConfig(const sdk::ConfigKey& key) noexcept override;
    sdk::Status provideStorage(sdk::Storage& storage) noexcept override;
    sdk::Status provideMessenger(sdk::Messenger& messenger) noexcept override;
    sdk::Status provideBounceProvider(sdk::BounceProvider& provider) noexcept override;
    sdk::Status provideCaptcha(sdk::CaptchaProvider& provider) noexcept override;
    sdk::Status provideImporter(sdk::Importer& importer) noexcept override;
    sdk::Status route(const sdk::RouteSpec& spec, sdk::RouteHandler handler) noexcept override;
    sdk::Status onHook(std::string_view event, sdk::HookHandler handler) noexcept override;
    sdk::Status provideMessengerDirectory(sdk::MessengerDirectory& directory) noexcept override;

private:
    template <typename Fn>
    sdk::Status guarded(Fn&& fn) noexcept;

    std::string owner_;
    std::uint32_t abi_minor_;
    Config& config_;
    CapabilityRegistry& registry_;
    Router& router_;
    EventBus& events_;
};

}  // namespace tidings::kernel
