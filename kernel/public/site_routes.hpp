// The site's front door and housekeeping, as listmonk serves them: GET / (a landing page),
// GET /health (for load balancers and uptime checks, no authentication), GET /robots.txt, and
// the operator's custom stylesheet and script for the public pages (/public/custom.css and
// /public/custom.js, from the appearance.public.* settings). None is rate-limited: they are
// cheap, and monitors and page loads call them constantly.
#pragma once

#include "kernel/core/settings_service.hpp"
#include "kernel/http/router.hpp"
#include "kernel/public/page_renderer.hpp"

namespace tidings::kernel {

void addSiteRoutes(Router& router, const SettingsService& settings, const PageRenderer& pages);

}  // namespace tidings::kernel
