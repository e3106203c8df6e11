// Bounce routes: the admin API over bounce records, and the webhooks that feed them — the
// generic authenticated one and each bounce provider plugin's at /webhooks/service/<name>.
#pragma once

#include "kernel/core/bounce_service.hpp"
#include "kernel/http/router.hpp"
#include "kernel/plugins/capability_registry.hpp"

namespace tidings::kernel {

/// GET/DELETE /api/bounces..., PUT /api/bounces/blocklist, GET/DELETE /api/subscribers/:id/bounces.
void addBounceRoutes(Router& router, BounceService& bounces);

/// POST /webhooks/bounce and POST /webhooks/service/:service.
void addBounceWebhookRoutes(Router& router, BounceService& bounces, CapabilityRegistry& registry);

}  // namespace tidings::kernel
