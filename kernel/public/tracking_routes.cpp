#include "kernel/public/tracking_routes.hpp"

#include <array>

#include "kernel/http/handler_support.hpp"

namespace tidings::kernel {
namespace {

// A 1x1 fully transparent RGBA PNG.
constexpr std::array<unsigned char, 68> kPixel = {
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00,
    0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4, 0x89, 0x00,
    0x00, 0x00, 0x0b, 0x49, 0x44, 0x41, 0x54, 0x78, 0xda, 0x63, 0x60, 0x00, 0x02, 0x00, 0x00, 0x05, 0x00,
    0x01, 0xe9, 0xfa, 0xdc, 0xd8, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82};

void noStore(sdk::Response& response) {
    // Every open must reach us to be counted, and a redirect must not be cached per reader.
    response.headers.emplace_back("Cache-Control", "no-cache, no-store, must-revalidate");
    response.headers.emplace_back("Pragma", "no-cache");
}

}  // namespace

void addTrackingRoutes(Router& router, TrackingService& tracking) {
    addUnlimitedRoute(router, publicRoute("GET", "/link/:link/:campaign/:subscriber"),
                      [&tracking](const sdk::Request& rq, sdk::Response& rs) {
                          auto url = tracking.click(std::string(rq.param("link")), std::string(rq.param("campaign")),
                                                    std::string(rq.param("subscriber")));
                          noStore(rs);
                          // A URL that could split the Location header is never followed.
                          if (url && url->find_first_of("\r\n") != std::string::npos) url.reset();
                          if (!url) {
                              rs.status = 404;
                              rs.content_type = "text/html; charset=utf-8";
                              rs.body = "<!doctype html><title>Link not found</title><h1>Link not found</h1>"
                                        "<p>This link is not known here.</p>";
                              return;
                          }
                          rs.status = 307;
                          rs.headers.emplace_back("Location", *url);
                          rs.content_type = "text/plain; charset=utf-8";
                      });

    addUnlimitedRoute(router, publicRoute("GET", "/campaign/:campaign/:subscriber/px.png"),
                      [&tracking](const sdk::Request& rq, sdk::Response& rs) {
                          tracking.view(std::string(rq.param("campaign")), std::string(rq.param("subscriber")));
                          noStore(rs);
                          rs.content_type = "image/png";
                          rs.body.assign(kPixel.begin(), kPixel.end());
                      });
}

}  // namespace tidings::kernel
