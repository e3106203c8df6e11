#include "kernel/public/campaign_view_routes.hpp"

#include "kernel/http/handler_support.hpp"
#include "kernel/http/http_error.hpp"
#include "kernel/public/page_support.hpp"

namespace tidings::kernel {

void addCampaignViewRoutes(Router& router, CampaignService& campaigns, const SettingsService& settings,
                           const PageRenderer& pages) {
    // The parameter names match the tracking pixel's, /campaign/:campaign/:subscriber/px.png.
    auto view = [&campaigns](const sdk::Request& rq, sdk::Response& rs) {
        Preview message = campaigns.renderFor(std::string(rq.param("campaign")), std::string(rq.param("subscriber")));
        rs.status = 200;
        rs.content_type = message.content_type;
        rs.headers.emplace_back("X-Robots-Tag", "noindex");
        rs.headers.emplace_back("Cache-Control", "private, no-store");
        rs.body = std::move(message.body);
    };
    throwIfError(router.add(publicRoute("GET", "/campaign/:campaign/:subscriber"), pageHandler(settings, pages, view),
                            "kernel", /*rate_limited=*/false));
}

}  // namespace tidings::kernel
