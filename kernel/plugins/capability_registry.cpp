#include "kernel/plugins/capability_registry.hpp"

#include <algorithm>

namespace tidings::kernel {
namespace {

template <typename T>
T* find(const std::map<std::string, T*, std::less<>>& map, std::string_view name) {
    auto it = map.find(name);
    return it == map.end() ? nullptr : it->second;
}

template <typename T>
std::vector<T*> values(const std::map<std::string, T*, std::less<>>& map) {
    std::vector<T*> out;
    for (const auto& [name, value] : map) out.push_back(value);
    return out;
}

template <typename T>
sdk::Status add(std::map<std::string, T*, std::less<>>& map, T& item, const char* what) {
    std::string name(item.name());
    if (name.empty()) return sdk::Status::invalid(std::string(what) + " without a name");
    if (!map.emplace(name, &item).second) return sdk::Status::conflict(std::string(what) + " '" + name + "' is already registered");
    return {};
}

}  // namespace

sdk::Messenger* CapabilityRegistry::messenger(std::string_view name) const {
    if (auto* m = find(messengers_, name)) return m;
    for (auto* d : messenger_directories_)
        if (auto* m = d->find(name)) return m;
    return nullptr;
}

std::vector<std::string> CapabilityRegistry::messengerNames() const {
    std::vector<std::string> names;
    for (const auto& [name, m] : messengers_) names.push_back(name);
    for (auto* d : messenger_directories_)
        for (auto& name : d->names())
            if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(std::move(name));
    return names;
}
sdk::CaptchaProvider* CapabilityRegistry::captcha(std::string_view name) const { return find(captchas_, name); }
sdk::BounceProvider* CapabilityRegistry::bounceProvider(std::string_view name) const { return find(bounce_providers_, name); }
sdk::Importer* CapabilityRegistry::importer(std::string_view name) const { return find(importers_, name); }

std::vector<sdk::Messenger*> CapabilityRegistry::messengers() const { return values(messengers_); }
std::vector<sdk::CaptchaProvider*> CapabilityRegistry::captchas() const { return values(captchas_); }
std::vector<sdk::BounceProvider*> CapabilityRegistry::bounceProviders() const { return values(bounce_providers_); }

sdk::Status CapabilityRegistry::setStorage(sdk::Storage& storage, const std::string& owner, std::uint32_t abi_minor) {
    if (storage_) return sdk::Status::conflict("a storage backend is already provided by " + storage_owner_);
    storage_ = &storage;
    storage_owner_ = owner;
    storage_abi_minor_ = abi_minor;
    return {};
}

sdk::Status CapabilityRegistry::addMessenger(sdk::Messenger& m, const std::string&) { return add(messengers_, m, "messenger"); }
sdk::Status CapabilityRegistry::addMessengerDirectory(sdk::MessengerDirectory& d, const std::string&) {
    messenger_directories_.push_back(&d);
    return {};
}
sdk::Status CapabilityRegistry::addCaptcha(sdk::CaptchaProvider& c, const std::string&) { return add(captchas_, c, "CAPTCHA provider"); }
sdk::Status CapabilityRegistry::addBounceProvider(sdk::BounceProvider& b, const std::string&) {
    return add(bounce_providers_, b, "bounce provider");
}
sdk::Status CapabilityRegistry::addImporter(sdk::Importer& i, const std::string&) { return add(importers_, i, "importer"); }

}  // namespace tidings::kernel
