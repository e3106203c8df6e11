// The settings a rendered campaign message depends on, captured from the live settings.
#pragma once

#include "kernel/core/settings_service.hpp"
#include "kernel/template/campaign_message.hpp"

namespace tidings::kernel {

/// app.root_url, app.from_email and privacy.unsubscribe_header, as a MessageContext.
MessageContext messageContext(const SettingsService& settings);

}  // namespace tidings::kernel
