// GET /campaign/:campaignUUID/:subscriberUUID: the "view in browser" page every campaign mail
// links to through {{ MessageURL }}. It shows the message as that subscriber received it, and
// is never indexed.
#pragma once

#include "kernel/core/campaign_service.hpp"
#include "kernel/core/settings_service.hpp"
#include "kernel/http/router.hpp"
#include "kernel/public/page_renderer.hpp"

namespace tidings::kernel {

void addCampaignViewRoutes(Router& router, CampaignService& campaigns, const SettingsService& settings,
                           const PageRenderer& pages);

}  // namespace tidings::kernel
