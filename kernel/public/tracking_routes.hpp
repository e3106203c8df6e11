// The tracking endpoints mail readers hit: the click redirect and the view pixel. Both are
// public, exempt from the rate limit (image proxies fetch for many readers from one address),
// and never show a reader an error for a stale or mangled subscriber or campaign UUID.
#pragma once

#include "kernel/core/tracking_service.hpp"
#include "kernel/http/router.hpp"

namespace tidings::kernel {

/// GET /link/:linkUUID/:campaignUUID/:subscriberUUID and
/// GET /campaign/:campaignUUID/:subscriberUUID/px.png.
void addTrackingRoutes(Router& router, TrackingService& tracking);

}  // namespace tidings::kernel
