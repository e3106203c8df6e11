// What the public API and the subscriber-facing pages work with.
#pragma once

#include "kernel/core/settings_service.hpp"
#include "kernel/core/subscription_service.hpp"
#include "kernel/http/router.hpp"
#include "kernel/public/subscriber_mailer.hpp"

namespace tidings::kernel {

struct PublicContext {
    SettingsService& settings;
    SubscriptionService& subscriptions;
    SubscriberMailer& mail;
};

/// GET /api/public/lists, POST /api/public/subscription.
void addPublicApiRoutes(Router& router, PublicContext& ctx);

}  // namespace tidings::kernel
