#include "kernel/plugins/plugin_registrar.hpp"

#include <exception>

namespace tidings::kernel {

PluginRegistrar::PluginRegistrar(std::string owner, std::uint32_t abi_minor, Config& config,
                                 CapabilityRegistry& registry, Router& router, EventBus& events)
    : owner_(std::move(owner)), abi_minor_(abi_minor), config_(config), registry_(registry), router_(router),
      events_(events) {}

template <typename Fn>
sdk::Status PluginRegistrar::guarded(Fn&& fn) noexcept {
    try {
        return fn();
    } catch (const std::exception& e) {
        return sdk::Status::internal(e.what());
    } catch (...) {
        return sdk::Status::internal("registration failed");
    }
}

sdk::Status PluginRegistrar::declareConfig(const sdk::ConfigKey& key) noexcept {
    return guarded([&] {
        if (key.key.find('.') == std::string::npos) return sdk::Status::invalid("config key '" + key.key + "' needs a section");
        registry_.addConfigKey(key);
        config_.declareDefault(key.key, key.default_value);
        return sdk::Status{};
    });
}

sdk::Status PluginRegistrar::provideStorage(sdk::Storage& storage) noexcept {
    return guarded([&] { return registry_.setStorage(storage, owner_, abi_minor_); });
}

sdk::Status PluginRegistrar::provideMessenger(sdk::Messenger& messenger) noexcept {
    return guarded([&] { return registry_.addMessenger(messenger, owner_); });
}

sdk::Status PluginRegistrar::provideBounceProvider(sdk::BounceProvider& provider) noexcept {
    return guarded([&] { return registry_.addBounceProvider(provider, owner_); });
}

sdk::Status PluginRegistrar::provideCaptcha(sdk::CaptchaProvider& provider) noexcept {
    return guarded([&] { return registry_.addCaptcha(provider, owner_); });
}

sdk::Status PluginRegistrar::provideImporter(sdk::Importer& importer) noexcept {
    return guarded([&] { return registry_.addImporter(importer, owner_); });
}

sdk::Status PluginRegistrar::route(const sdk::RouteSpec& spec, sdk::RouteHandler handler) noexcept {
    return guarded([&] { return router_.add(spec, std::move(handler), owner_); });
}

sdk::Status PluginRegistrar::onHook(std::string_view event, sdk::HookHandler handler) noexcept {
    return guarded([&] {
        if (!handler) return sdk::Status::invalid("hook handler for '" + std::string(event) + "' is empty");
        events_.subscribe(std::string(event), std::move(handler));
        return sdk::Status{};
    });
}

sdk::Status PluginRegistrar::provideMessengerDirectory(sdk::MessengerDirectory& directory) noexcept {
    return guarded([&] { return registry_.addMessengerDirectory(directory, owner_); });
}

}  // namespace tidings::kernel
