#include "kernel/public/archive_routes.hpp"

#include <sstream>

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/Timestamp.h>
#include <Poco/XML/XMLWriter.h>
#include <Poco/SAX/AttributesImpl.h>

#include "kernel/core/status_error.hpp"
#include "kernel/http/handler_support.hpp"
#include "kernel/http/http_error.hpp"
#include "kernel/http/request_input.hpp"
#include "kernel/public/page_support.hpp"

namespace tidings::kernel {
namespace {

constexpr std::int64_t kFeedItems = 20;

void requireEnabled(const ArchiveService& archive) {
    if (!archive.enabled()) throw HttpError(404, "the public archive is disabled");
}

Poco::Timestamp pocoTime(sdk::Timestamp t) {
    return Poco::Timestamp(static_cast<Poco::Timestamp::TimeVal>(t.time_since_epoch().count()));
}

// When a campaign went out, for listings: send_at when scheduled, else creation.
sdk::Timestamp publishedAt(const sdk::Campaign& c) { return c.send_at.value_or(c.created_at); }

void listJson(ArchiveService& archive, const sdk::Request& rq, sdk::Response& rs) {
    requireEnabled(archive);
    const sdk::PageRequest page = pageParams(rq);
    const auto found = archive.list(page.page, page.per_page);
    sendDataJson(rs, pagedResults(page, "", "", [&](JsonWriter& w) {
                     for (const auto& c : found.results) {
                         w.beginObject().key("uuid").value(c.uuid).key("subject").value(c.subject);
                         w.key("content").value("").key("created_at").value(c.created_at);
                         w.key("send_at").value(c.send_at);
                         w.key("url").value(archive.url(c)).endObject();
                     }
                     return found.total;
                 }));
}

void listPage(ArchiveService& archive, const SettingsService& settings, const PageRenderer& pages,
              const sdk::Request& rq, sdk::Response& rs) {
    requireEnabled(archive);
    sdk::PageRequest page = pageParams(rq);
    if (page.per_page == 0 || page.per_page > 100) page.per_page = 20;
    const auto found = archive.list(page.page, page.per_page);
    JsonWriter w;
    beginPageData(w, settings, "Archive");
    w.key("Campaigns").beginArray();
    for (const auto& c : found.results) {
        const std::string date = formatTimestamp(publishedAt(c));
        w.beginObject().key("Subject").value(c.subject).key("URL").value(archive.url(c));
        w.key("Date").value(date).key("Day").value(date.substr(0, 10)).endObject();
    }
    w.endArray();
    const std::string base = settings.rootUrl() + "/archive?per_page=" + std::to_string(page.per_page) + "&page=";
    w.key("PrevURL").value(page.page > 1 ? base + std::to_string(page.page - 1) : "");
    w.key("NextURL").value(page.page * page.per_page < found.total ? base + std::to_string(page.page + 1) : "");
    w.endObject();
    sendPage(rs, pages, "archive.html", w.str());
}

void campaignPage(ArchiveService& archive, const std::string& id, sdk::Response& rs) {
    requireEnabled(archive);
    try {
        const auto rendered = archive.render(id);
        rs.content_type = kHtml;
        rs.body = rendered.html;
    } catch (const StatusError& e) {
        if (e.status().code() == sdk::StatusCode::NotFound) throw HttpError(404, e.what());
        throw;
    }
}

void feed(ArchiveService& archive, const SettingsService& settings, sdk::Response& rs) {
    requireEnabled(archive);
    const auto found = archive.list(1, kFeedItems);
    std::ostringstream out;
    Poco::XML::XMLWriter xml(out, Poco::XML::XMLWriter::WRITE_XML_DECLARATION | Poco::XML::XMLWriter::PRETTY_PRINT);
    xml.startDocument();
    Poco::XML::AttributesImpl version;
    version.addAttribute("", "", "version", "CDATA", "2.0");
    xml.startElement("", "", "rss", version);
    xml.startElement("", "", "channel");
    const auto text = [&xml](const std::string& name, const std::string& value) {
        xml.startElement("", "", name);
        xml.characters(value);
        xml.endElement("", "", name);
    };
    text("title", settings.text("app.site_name"));
    text("link", settings.rootUrl() + "/archive");
    text("description", "Campaigns published by " + settings.text("app.site_name"));
    for (const auto& c : found.results) {
        xml.startElement("", "", "item");
        text("title", c.subject);
        text("link", archive.url(c));
        text("guid", archive.url(c));
        text("pubDate", Poco::DateTimeFormatter::format(pocoTime(publishedAt(c)), Poco::DateTimeFormat::RFC1123_FORMAT));
        if (archive.rssContent()) text("description", archive.render(c).html);
        xml.endElement("", "", "item");
    }
    xml.endElement("", "", "channel");
    xml.endElement("", "", "rss");
    xml.endDocument();
    rs.content_type = "application/rss+xml; charset=utf-8";
    rs.body = out.str();
}

}  // namespace

void addArchiveRoutes(Router& router, ArchiveService& archive, const SettingsService& settings,
                      const PageRenderer& pages) {
    addKernelRoute(router, publicRoute("GET", "/api/public/archive"),
                   [&archive](const sdk::Request& rq, sdk::Response& rs) { listJson(archive, rq, rs); });
    addKernelRoute(router, publicRoute("GET", "/archive"), [&archive, &settings, &pages](const sdk::Request& rq, sdk::Response& rs) {
        listPage(archive, settings, pages, rq, rs);
    });
    addKernelRoute(router, publicRoute("GET", "/archive.xml"),
                   [&archive, &settings](const sdk::Request&, sdk::Response& rs) { feed(archive, settings, rs); });
    addKernelRoute(router, publicRoute("GET", "/archive/:id"), [&archive](const sdk::Request& rq, sdk::Response& rs) {
        campaignPage(archive, std::string(rq.param("id")), rs);
    });
}

}  // namespace tidings::kernel
