// GET /api/campaigns/analytics/:type — views, clicks, bounces and top links of campaigns over a
// period, in listmonk's shapes.
#pragma once

#include "kernel/core/tracking_service.hpp"
#include "kernel/http/router.hpp"

namespace tidings::kernel {

void addAnalyticsRoutes(Router& router, TrackingService& tracking);

}  // namespace tidings::kernel
