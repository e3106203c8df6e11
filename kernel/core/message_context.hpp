// The settings a rendered campaign message depends on, captured from the live settings.
#pragma once

#include "kernel/core/link_registry.hpp"
#include "kernel/core/settings_service.hpp"
#include "kernel/template/campaign_message.hpp"

namespace tidings::kernel {

/// app.root_url, app.from_email, privacy.unsubscribe_header and tracking, as a MessageContext.
/// Links and the view pixel are tracked when `links` is given and privacy.disable_tracking is
/// off; previews pass no registry and render bare links, as listmonk's do.
MessageContext messageContext(const SettingsService& settings, LinkRegistry* links = nullptr);

}  // namespace tidings::kernel
