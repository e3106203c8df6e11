#include "kernel/public/site_routes.hpp"

#include "kernel/core/json_writer.hpp"
#include "kernel/http/handler_support.hpp"
#include "kernel/http/http_error.hpp"
#include "kernel/public/page_support.hpp"

namespace tidings::kernel {
namespace {

// Crawlers may index the subscription form and the archive; the per-subscriber pages (manage,
// opt-in, view in browser) and tracked links are private to the reader.
constexpr const char* kRobotsTxt =
    "User-agent: *\n"
    "Allow: /subscription/form\n"
    "Disallow: /subscription/\n"
    "Disallow: /campaign/\n"
    "Disallow: /link/\n";

void add(Router& router, const char* method, const char* path, sdk::RouteHandler handler) {
    addUnlimitedRoute(router, publicRoute(method, path), std::move(handler));
}

/// Serves the text of a setting as a file; changes apply at once, so it is revalidated each time.
void addSettingFile(Router& router, const SettingsService& settings, const char* path, std::string key,
                    const char* type) {
    add(router, "GET", path, [&settings, key = std::move(key), type](const sdk::Request&, sdk::Response& rs) {
        rs.status = 200;
        rs.content_type = type;
        rs.headers.emplace_back("Cache-Control", "no-cache");
        rs.body = settings.text(key);
    });
}

}  // namespace

void addSiteRoutes(Router& router, const SettingsService& settings, const PageRenderer& pages) {
    add(router, "GET", "/health", [](const sdk::Request&, sdk::Response& rs) {
        rs.headers.emplace_back("Cache-Control", "no-store");
        sendDataJson(rs, "true");
    });
    add(router, "GET", "/robots.txt", [](const sdk::Request&, sdk::Response& rs) {
        rs.status = 200;
        rs.content_type = "text/plain; charset=utf-8";
        rs.body = kRobotsTxt;
    });
    add(router, "GET", "/", pageHandler(settings, pages, [&settings, &pages](const sdk::Request&, sdk::Response& rs) {
            JsonWriter w;
            beginPageData(w, settings, settings.text("app.site_name"));
            w.key("SubscriptionPage").value(settings.flag("app.enable_public_subscription_page"));
            w.key("Archive").value(settings.flag("app.enable_public_archive"));
            w.endObject();
            sendPage(rs, pages, "home.html", w.str());
        }));
    addSettingFile(router, settings, "/public/custom.css", "appearance.public.custom_css", "text/css; charset=utf-8");
    addSettingFile(router, settings, "/public/custom.js", "appearance.public.custom_js",
                   "text/javascript; charset=utf-8");
}

}  // namespace tidings::kernel
