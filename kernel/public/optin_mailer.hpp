// Composes and sends the double opt-in confirmation mail.
#pragma once

#include <vector>

#include <tidings/sdk/v1/model.hpp>
#include <tidings/sdk/v1/status.hpp>

#include "kernel/core/settings_service.hpp"
#include "kernel/plugins/capability_registry.hpp"
#include "kernel/public/page_renderer.hpp"

namespace tidings::kernel {

namespace sdk = tidings::sdk::v1;

/// The campaign UUID used in links of mails that belong to no campaign (opt-in mails), as in
/// listmonk; the manage page treats it as "all lists".
inline constexpr const char* kNoCampaignUuid = "00000000-0000-0000-0000-000000000000";

class OptinMailer {
public:
    OptinMailer(SettingsService& settings, CapabilityRegistry& registry, const PageRenderer& templates);

    /// Sends the confirmation mail for `lists` through the "email" messenger.
    sdk::Status send(const sdk::Subscriber& subscriber, const std::vector<sdk::List>& lists);

private:
    SettingsService& settings_;
    CapabilityRegistry& registry_;
    const PageRenderer& templates_;
};

}  // namespace tidings::kernel
