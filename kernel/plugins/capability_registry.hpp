// What the loaded plugins provide: the registry the rest of the kernel looks capabilities up in.
// It is the kernel's one piece of shared mutable state; it is filled during start-up on the main
// thread and only read afterwards. Messenger directories answer for names that change at run time
// (postback messengers from a setting); they are thread-safe by contract.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <tidings/sdk/v1/host.hpp>

namespace tidings::kernel {

namespace sdk = tidings::sdk::v1;

class CapabilityRegistry {
public:
    /// The storage backend; nullptr until a storage plugin attached.
    sdk::Storage* storage() const noexcept { return storage_; }
    /// The storage's outbox; nullptr without storage or when the storage plugin was built for an
    /// SDK older than 1.1, which has no such method to call.
    sdk::OutboxStore* outbox() const noexcept {
        return storage_ && storage_abi_minor_ >= 1 ? &storage_->outbox() : nullptr;
    }
    /// Whether the storage plugin knows DeliveryStatus::Unconfirmed (built for SDK 1.2 or later).
    bool ledgerRecordsUnconfirmed() const noexcept { return storage_ && storage_abi_minor_ >= 2; }
    /// A statically registered messenger by name, else the first directory that knows it.
    sdk::Messenger* messenger(std::string_view name) const;
    sdk::CaptchaProvider* captcha(std::string_view name) const;
    sdk::BounceProvider* bounceProvider(std::string_view name) const;
    sdk::Importer* importer(std::string_view name) const;

    std::vector<sdk::Messenger*> messengers() const;
    /// Every selectable messenger name, static ones first, each once.
    std::vector<std::string> messengerNames() const;
    std::vector<sdk::CaptchaProvider*> captchas() const;
    std::vector<sdk::BounceProvider*> bounceProviders() const;
    const std::vector<sdk::ConfigKey>& configKeys() const noexcept { return config_keys_; }

    // Registration; each returns Conflict for a duplicate name (storage: a second one).
    /// `abi_minor` is the minor SDK version the storage plugin was built for: the kernel calls
    /// none of the storage's methods newer than that.
    sdk::Status setStorage(sdk::Storage& storage, const std::string& owner, std::uint32_t abi_minor);
    sdk::Status addMessenger(sdk::Messenger& messenger, const std::string& owner);
    sdk::Status addMessengerDirectory(sdk::MessengerDirectory& directory, const std::string& owner);
    sdk::Status addCaptcha(sdk::CaptchaProvider& provider, const std::string& owner);
    sdk::Status addBounceProvider(sdk::BounceProvider& provider, const std::string& owner);
    sdk::Status addImporter(sdk::Importer& importer, const std::string& owner);
    void addConfigKey(sdk::ConfigKey key) { config_keys_.push_back(std::move(key)); }

private:
    sdk::Storage* storage_ = nullptr;
    std::string storage_owner_;
    std::uint32_t storage_abi_minor_ = 0;
    std::map<std::string, sdk::Messenger*, std::less<>> messengers_;
    std::vector<sdk::MessengerDirectory*> messenger_directories_;
    std::map<std::string, sdk::CaptchaProvider*, std::less<>> captchas_;
    std::map<std::string, sdk::BounceProvider*, std::less<>> bounce_providers_;
    std::map<std::string, sdk::Importer*, std::less<>> importers_;
    std::vector<sdk::ConfigKey> config_keys_;
};

}  // namespace tidings::kernel
