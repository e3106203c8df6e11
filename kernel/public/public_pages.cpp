#include "kernel/public/public_pages.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "kernel/core/json_writer.hpp"
#include "kernel/core/status_error.hpp"
#include "kernel/core/trusted_redirect.hpp"
#include "kernel/http/handler_support.hpp"
#include "kernel/http/http_error.hpp"
#include "kernel/http/request_input.hpp"
#include "kernel/public/page_support.hpp"
#include "kernel/public/subscription_form.hpp"

namespace tidings::kernel {
namespace {

void renderForm(sdk::Response& rs, PublicContext& ctx, const PageRenderer& pages, const std::string& error, int status) {
    if (!ctx.settings.flag("app.enable_public_subscription_page")) {
        throw StatusError(sdk::Status::notFound("This page is not available."));
    }
    JsonWriter w;
    beginPageData(w, ctx.settings, "Subscribe");
    w.key("Error").value(error);
    const auto captcha = ctx.subscriptions.captcha();
    w.key("CaptchaProvider").value(captcha.name());
    w.key("CaptchaKey").value(captcha.site_key);
    w.key("Lists").beginArray();
    for (const auto& list : ctx.subscriptions.publicLists()) {
        w.beginObject().key("UUID").value(list.uuid).key("Name").value(list.name);
        w.key("Description").value(list.description).endObject();
    }
    w.endArray();
    w.endObject();
    sendPage(rs, pages, "subscription-form.html", w.str(), status);
}

void submitForm(const sdk::Request& rq, sdk::Response& rs, PublicContext& ctx, const PageRenderer& pages) {
    auto body = bodyObject(rq);
    // Hidden field that people never fill in and naive bots always do.
    if (!optString(*body, "nonce").value_or("").empty()) throw HttpError(400, "The request was refused.");
    // A form on another site may send people back to its own thank-you page, but only to a page
    // the operator trusts: anything else would make this an open redirect. Read before
    // subscribing, so that a malformed field is refused with nothing written.
    const auto next = trustedRedirect(optString(*body, "next").value_or(""),
                                      ctx.settings.strings("security.trusted_urls"), ctx.settings.rootUrl());
    try {
        auto result = ctx.subscriptions.subscribe(publicSubscriptionFrom(*body, rq));
        if (next) {
            rs.status = 303;
            rs.headers.emplace_back("Location", *next);
            rs.content_type = "text/plain; charset=utf-8";
            return;
        }
        sendMessage(rs, ctx.settings, pages, "Subscribed",
                    result.has_optin ? "Thank you. Please check your inbox and confirm your subscription."
                                     : "Thank you. You are now subscribed.");
    } catch (const StatusError& e) {
        int status = httpStatusFor(e.status().code());
        if (status >= 500) throw;
        renderForm(rs, ctx, pages, e.status().message(), status);
    }
}

void optinPage(const sdk::Request& rq, sdk::Response& rs, PublicContext& ctx, const PageRenderer& pages) {
    auto [subscriber, pending] = ctx.subscriptions.pendingOptins(std::string(rq.param("subscriberUUID")), rq.queryValues("l"));
    JsonWriter w;
    beginPageData(w, ctx.settings, "Confirm subscription");
    w.key("SubscriberUUID").value(subscriber.uuid);
    w.key("Lists").beginArray();
    for (const auto& list : pending) w.beginObject().key("UUID").value(list.uuid).key("Name").value(list.name).endObject();
    w.endArray();
    w.endObject();
    sendPage(rs, pages, "optin.html", w.str());
}

void confirmOptin(const sdk::Request& rq, sdk::Response& rs, PublicContext& ctx, const PageRenderer& pages) {
    auto body = bodyObject(rq);
    auto lists = optStrings(*body, "l").value_or(rq.queryValues("l"));
    if (!optBool(*body, "confirm").value_or(false)) {
        optinPage(rq, rs, ctx, pages);
        return;
    }
    auto confirmed = ctx.subscriptions.confirmOptins(std::string(rq.param("subscriberUUID")), lists, rq.remote_address);
    sendMessage(rs, ctx.settings, pages, "Confirmed",
                confirmed.empty() ? "There was nothing left to confirm." : "Your subscription is confirmed. Thank you.");
}

void managePage(const sdk::Request& rq, sdk::Response& rs, PublicContext& ctx, const PageRenderer& pages) {
    auto s = ctx.subscriptions.subscriberByUuid(std::string(rq.param("subscriberUUID")));
    if (s.status == sdk::SubscriberStatus::Blocklisted) {
        sendMessage(rs, ctx.settings, pages, "Unsubscribed", "You are unsubscribed from every list and will not be e-mailed again.");
        return;
    }
    JsonWriter w;
    beginPageData(w, ctx.settings, "Manage subscription");
    w.key("SubscriberUUID").value(s.uuid);
    w.key("CampaignUUID").value(rq.param("campaignUUID"));
    w.key("Email").value(s.email);
    w.key("Name").value(s.name);
    w.key("AllowPreferences").value(ctx.settings.flag("privacy.allow_preferences"));
    w.key("AllowBlocklist").value(ctx.settings.flag("privacy.allow_blocklist"));
    w.key("AllowExport").value(ctx.settings.flag("privacy.allow_export"));
    w.key("AllowWipe").value(ctx.settings.flag("privacy.allow_wipe"));
    w.key("Lists").beginArray();
    for (const auto& m : s.lists) {
        if (m.list.type == sdk::ListType::Private && m.status == sdk::SubscriptionStatus::Unsubscribed) continue;
        w.beginObject().key("UUID").value(m.list.uuid).key("Name").value(m.list.name);
        w.key("Subscribed").value(m.status != sdk::SubscriptionStatus::Unsubscribed).endObject();
    }
    w.endArray();
    w.endObject();
    sendPage(rs, pages, "manage.html", w.str());
}

void manageSubmit(const sdk::Request& rq, sdk::Response& rs, PublicContext& ctx, const PageRenderer& pages) {
    auto body = bodyObject(rq);
    std::string uuid(rq.param("subscriberUUID"));
    bool blocklist = optBool(*body, "blocklist").value_or(false);
    // RFC 8058 one-click requests carry `List-Unsubscribe=One-Click` and no `manage`.
    if (optBool(*body, "manage").value_or(false) && !blocklist) {
        auto keep = optStrings(*body, "l").value_or(std::vector<std::string>{});
        ctx.subscriptions.savePreferences(uuid, optString(*body, "name").value_or(""), keep);
        sendMessage(rs, ctx.settings, pages, "Preferences saved", "Your preferences have been saved.");
        return;
    }
    ctx.subscriptions.unsubscribeByCampaign(std::string(rq.param("campaignUUID")), uuid, blocklist);
    sendMessage(rs, ctx.settings, pages, "Unsubscribed", "You have been unsubscribed.");
}

/// Serves one file under /public/static/<name>; its content is read once, at start-up.
void addStaticFile(Router& router, const std::filesystem::path& file, const std::string& name) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream content;
    content << in.rdbuf();
    std::string ext = file.extension().string();
    std::string type = ext == ".css"   ? "text/css; charset=utf-8"
                       : ext == ".js"  ? "text/javascript; charset=utf-8"
                       : ext == ".png" ? "image/png"
                       : ext == ".svg" ? "image/svg+xml"
                                       : "application/octet-stream";
    auto handler = [body = content.str(), type](const sdk::Request&, sdk::Response& rs) {
        rs.status = 200;
        rs.content_type = type;
        rs.headers.emplace_back("Cache-Control", "public, max-age=3600");
        rs.body = body;
    };
    throwIfError(router.add(publicRoute("GET", "/public/static/" + name), handler, "kernel", /*rate_limited=*/false));
}

/// Serves web/static, plus the Altcha widget from the npm package web/package.json installs, so
/// pages load nothing from other hosts.
void addStaticRoutes(Router& router, const std::string& web_dir) {
    namespace fs = std::filesystem;
    fs::path dir = fs::path(web_dir) / "static";
    if (fs::is_directory(dir)) {
        for (const auto& entry : fs::directory_iterator(dir)) {
            if (entry.is_regular_file()) addStaticFile(router, entry.path(), entry.path().filename().string());
        }
    }
    fs::path altcha = fs::path(web_dir) / "node_modules" / "altcha" / "dist" / "altcha.js";
    if (fs::is_regular_file(altcha)) addStaticFile(router, altcha, "altcha.js");
}

}  // namespace

void addPublicPageRoutes(Router& router, PublicContext& ctx, const PageRenderer& pages, const std::string& web_dir) {
    auto add = [&](sdk::RouteSpec spec, std::function<void(const sdk::Request&, sdk::Response&)> fn) {
        const bool limited = limitedByDefault(spec);
        throwIfError(router.add(std::move(spec), pageHandler(ctx.settings, pages, std::move(fn)), "kernel", limited));
    };
    add(publicRoute("GET", "/subscription/form"), [&](const sdk::Request&, sdk::Response& rs) { renderForm(rs, ctx, pages, "", 200); });
    add(publicRoute("POST", "/subscription/form"), [&](const sdk::Request& rq, sdk::Response& rs) { submitForm(rq, rs, ctx, pages); });
    add(publicRoute("GET", "/subscription/optin/:subscriberUUID"),
        [&](const sdk::Request& rq, sdk::Response& rs) { optinPage(rq, rs, ctx, pages); });
    add(publicRoute("POST", "/subscription/optin/:subscriberUUID"),
        [&](const sdk::Request& rq, sdk::Response& rs) { confirmOptin(rq, rs, ctx, pages); });
    add(publicRoute("GET", "/subscription/:campaignUUID/:subscriberUUID"),
        [&](const sdk::Request& rq, sdk::Response& rs) { managePage(rq, rs, ctx, pages); });
    add(publicRoute("POST", "/subscription/:campaignUUID/:subscriberUUID"),
        [&](const sdk::Request& rq, sdk::Response& rs) { manageSubmit(rq, rs, ctx, pages); });
    add(publicRoute("POST", "/subscription/export/:subscriberUUID"), [&](const sdk::Request& rq, sdk::Response& rs) {
        // As in listmonk, the data goes to the subscriber's address, never to whoever holds the link.
        const std::string uuid(rq.param("subscriberUUID"));
        auto data = ctx.subscriptions.exportData(uuid);
        throwIfError(ctx.mail.sendData(ctx.subscriptions.subscriberByUuid(uuid), data.json));
        sendMessage(rs, ctx.settings, pages, "Data e-mailed", "Your data has been e-mailed to you as an attachment.");
    });
    add(publicRoute("POST", "/subscription/wipe/:subscriberUUID"), [&](const sdk::Request& rq, sdk::Response& rs) {
        ctx.subscriptions.wipe(std::string(rq.param("subscriberUUID")));
        sendMessage(rs, ctx.settings, pages, "Data deleted", "Your data has been deleted permanently.");
    });
    addStaticRoutes(router, web_dir);
}

}  // namespace tidings::kernel
