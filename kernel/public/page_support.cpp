#include "kernel/public/page_support.hpp"

namespace tidings::kernel {

void beginPageData(JsonWriter& w, const SettingsService& settings, const std::string& title) {
    w.beginObject();
    w.key("Title").value(title);
    w.key("SiteName").value(settings.text("app.site_name"));
    w.key("RootURL").value(settings.rootUrl());
}

void sendPage(sdk::Response& rs, const PageRenderer& pages, const std::string& name, const std::string& data,
              int status) {
    rs.status = status;
    rs.content_type = kHtml;
    rs.headers.emplace_back("X-Robots-Tag", "noindex");
    rs.headers.emplace_back("Cache-Control", "no-store");
    rs.body = pages.render(name, data);
}

}  // namespace tidings::kernel
