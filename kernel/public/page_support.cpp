#include "kernel/public/page_support.hpp"

#include <Poco/Logger.h>

#include "kernel/core/status_error.hpp"
#include "kernel/http/http_error.hpp"

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

void sendMessage(sdk::Response& rs, const SettingsService& settings, const PageRenderer& pages, const std::string& title,
                 const std::string& message, int status) {
    JsonWriter w;
    beginPageData(w, settings, title);
    w.key("Message").value(message);
    w.endObject();
    sendPage(rs, pages, "message.html", w.str(), status);
}

sdk::RouteHandler pageHandler(const SettingsService& settings, const PageRenderer& pages,
                              std::function<void(const sdk::Request&, sdk::Response&)> fn) {
    return [&settings, &pages, fn = std::move(fn)](const sdk::Request& rq, sdk::Response& rs) {
        try {
            fn(rq, rs);
        } catch (const StatusError& e) {
            const int status = httpStatusFor(e.status().code());
            if (status >= 500) {
                Poco::Logger::get("tidings.http").error("request %s %s %s failed: %s", rq.request_id, rq.method,
                                                        rq.path, e.status().message());
                sendMessage(rs, settings, pages, "Sorry", "Something went wrong. Please try again later.", status);
                return;
            }
            sendMessage(rs, settings, pages, status == 404 ? "Not found" : "Sorry", e.status().message(), status);
        } catch (const HttpError& e) {
            sendMessage(rs, settings, pages, "Sorry", e.what(), e.status());
        }
    };
}

}  // namespace tidings::kernel
