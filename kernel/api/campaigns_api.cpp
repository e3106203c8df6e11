// /api/campaigns: listing, CRUD, status changes, test sends, previews, running stats, and the
// delivery ledger with retries of failed recipients.
#include <charconv>
#include <sstream>

#include <Poco/JSON/Parser.h>

#include "kernel/api/api_context.hpp"
#include "kernel/api/campaign_input.hpp"
#include "kernel/api/extra_permission.hpp"
#include "kernel/core/campaign_json.hpp"
#include "kernel/http/handler_support.hpp"
#include "kernel/http/http_error.hpp"
#include "kernel/http/request_input.hpp"
#include "kernel/template/markdown.hpp"

namespace tidings::kernel {
namespace {

constexpr const char* kGet = "campaigns:get_all|campaigns:get";
constexpr const char* kManage = "campaigns:manage_all|campaigns:manage";
constexpr const char* kSend = "campaigns:send";

/// A segment is a raw SQL expression run against subscribers: the same permission as `query`.
void requireSegmentPermission(ApiContext& ctx, const sdk::Request& request, const CampaignInput& input) {
    if (input.segment && !input.segment->empty()) requirePermission(ctx, request, "subscribers:sql_query");
}

void sendCampaign(sdk::Response& response, const sdk::Campaign& c) {
    JsonWriter w;
    writeCampaign(w, c);
    sendDataJson(response, w.str());
}

std::string rateText(double rate) {
    char buf[32];
    // Two decimals are plenty for messages per minute and keep the JSON short.
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, rate, std::chars_format::fixed, 2);
    return ec == std::errc() ? std::string(buf, end) : "0";
}

std::vector<sdk::CampaignStatus> statusParams(const sdk::Request& request) {
    std::vector<sdk::CampaignStatus> out;
    for (const auto& raw : request.queryValues("status")) {
        std::stringstream in(raw);
        for (std::string part; std::getline(in, part, ',');) {
            if (part.empty()) continue;
            auto status = sdk::parseEnum<sdk::CampaignStatus>(part);
            if (!status) throw HttpError(400, "status: must be one of draft, scheduled, running, paused, cancelled, finished");
            out.push_back(*status);
        }
    }
    return out;
}

void listCampaigns(ApiContext& ctx, const sdk::Request& request, sdk::Response& response) {
    sdk::CampaignQuery q;
    q.search = std::string(request.queryValue("query").value_or(""));
    q.statuses = statusParams(request);
    q.tags = request.queryValues("tag");
    q.order_by = CampaignService::orderColumn(std::string(request.queryValue("order_by").value_or("")));
    q.order = orderParam(request, sdk::SortOrder::Desc);
    const sdk::PageRequest page = pageParams(request);
    q.page = page.page;
    q.per_page = page.per_page;
    q.with_body = request.queryValue("no_body") != std::optional<std::string_view>("true");
    auto result = ctx.campaigns.query(q);
    sendDataJson(response, pagedResults(page, q.search, "", [&](JsonWriter& w) {
                     for (const auto& c : result.results) writeCampaign(w, c);
                     return result.total;
                 }));
}

void runningStats(ApiContext& ctx, sdk::Response& response) {
    JsonWriter w;
    w.beginArray();
    for (const auto& s : ctx.campaigns.runningStats()) {
        w.beginObject();
        w.key("id").value(s.campaign.id);
        w.key("status").value(sdk::toString(s.campaign.status));
        w.key("to_send").value(s.campaign.to_send);
        w.key("sent").value(s.campaign.sent);
        w.key("failed").value(s.campaign.failed);
        w.key("started_at").value(s.campaign.started_at);
        w.key("updated_at").value(s.campaign.updated_at);
        w.key("rate").raw(rateText(s.rate));
        w.key("net_rate").raw(rateText(s.net_rate));
        w.endObject();
    }
    w.endArray();
    sendDataJson(response, w.str());
}

void recipients(ApiContext& ctx, const sdk::Request& request, sdk::Response& response) {
    const sdk::Id id = idParam(request);
    std::optional<sdk::DeliveryStatus> status;
    if (auto text = request.queryValue("status"); text && !text->empty()) {
        status = sdk::parseEnum<sdk::DeliveryStatus>(*text);
        if (!status) throw HttpError(400, "status: must be sent, failed or unconfirmed");
    }
    CampaignService::checkRecipientOrder(std::string(request.queryValue("order_by").value_or("")),
                                         orderParam(request, sdk::SortOrder::Asc));
    const sdk::PageRequest page = pageParams(request);
    auto result = ctx.campaigns.recipients(id, status, page);
    sendDataJson(response, pagedResults(page, "", "", [&](JsonWriter& w) {
                     for (const auto& d : result.results) writeDelivery(w, d);
                     return result.total;
                 }));
}

void preview(ApiContext& ctx, const sdk::Request& request, sdk::Response& response) {
    const sdk::Id id = idParam(request);
    auto body = bodyObject(request);
    PreviewOverrides overrides;
    overrides.body = optString(*body, "body");
    overrides.content_type = optString(*body, "content_type");
    if (body->has("template_id") && body->isNull("template_id")) {
        overrides.template_id = 0;
    } else {
        overrides.template_id = optInt(*body, "template_id");
    }
    Preview p = ctx.campaigns.preview(id, overrides);
    response.status = 200;
    response.content_type = p.content_type;
    response.body = std::move(p.body);
}

/// archive_meta as the archive preview receives it: a JSON object, or (listmonk's admin posts a
/// form) the text of one; empty or absent means the campaign's own.
std::optional<std::string> archiveMetaParam(const Poco::JSON::Object& body) {
    if (body.has("archive_meta") && body.get("archive_meta").isString()) {
        const std::string text = body.getValue<std::string>("archive_meta");
        if (text.find_first_not_of(" \t\r\n") == std::string::npos) return std::nullopt;
        try {
            auto value = Poco::JSON::Parser().parse(text);
            if (value.type() != typeid(Poco::JSON::Object::Ptr)) throw HttpError(400, "archive_meta: must be a JSON object");
        } catch (const Poco::Exception&) {
            throw HttpError(400, "archive_meta: invalid JSON");
        }
        return text;
    }
    return optObjectJson(body, "archive_meta");
}

// POST /api/campaigns/:id/preview/archive: the campaign as its archive page would show it.
void previewArchive(ApiContext& ctx, const sdk::Request& request, sdk::Response& response) {
    const sdk::Id id = idParam(request);
    auto body = bodyObject(request);
    auto template_id = optInt(*body, "template_id");
    if (template_id && *template_id < 0) throw HttpError(400, "template_id: must be a positive id");
    auto page = ctx.archive.preview(id, template_id, archiveMetaParam(*body));
    response.status = 200;
    response.content_type = "text/html; charset=utf-8";
    response.body = std::move(page.html);
}

// POST /api/campaigns/:id/content: converts a body for the editor without reading or changing
// the campaign. As in listmonk, Markdown to HTML (or richtext) is the one conversion there is.
void convertContent(const sdk::Request& request, sdk::Response& response) {
    idParam(request);
    auto body = bodyObject(request);
    const std::string from = optString(*body, "from").value_or("");
    const std::string to = optString(*body, "to").value_or("");
    if (from != "markdown" || (to != "html" && to != "richtext"))
        throw HttpError(400, "from, to: only markdown converts, to html or richtext");
    JsonWriter w;
    w.value(markdownToHtml(optString(*body, "body").value_or("")));
    sendDataJson(response, w.str());
}

// DELETE /api/campaigns: ?id=1&id=2, or every campaign matching ?query=, or ?all=true.
void removeMany(ApiContext& ctx, const sdk::Request& request, sdk::Response& response) {
    std::vector<sdk::Id> ids = queryIds(request, "id");
    const std::string search(request.queryValue("query").value_or(""));
    const bool all = request.queryValue("all") == std::optional<std::string_view>("true");
    if (ids.empty()) {
        if (search.empty() && !all) throw HttpError(400, "id: at least one id (or query, or all=true) is required");
        sdk::CampaignQuery q;
        q.search = search;
        q.per_page = 0;
        q.with_body = false;
        for (const auto& c : ctx.campaigns.query(q).results) ids.push_back(c.id);
    }
    for (sdk::Id id : ids) ctx.campaigns.remove(id);
    sendTrue(response);
}

}  // namespace

void addCampaignRoutes(Router& router, ApiContext& ctx) {
    addKernelRoute(router, authed("GET", "/api/campaigns", kGet),
                   [&ctx](const sdk::Request& rq, sdk::Response& rs) { listCampaigns(ctx, rq, rs); });

    addKernelRoute(router, authed("GET", "/api/campaigns/running/stats", kGet),
                   [&ctx](const sdk::Request&, sdk::Response& rs) { runningStats(ctx, rs); });

    addKernelRoute(router, authed("GET", "/api/campaigns/:id", kGet), [&ctx](const sdk::Request& rq, sdk::Response& rs) {
        sendCampaign(rs, ctx.campaigns.get(idParam(rq)));
    });

    addKernelRoute(router, authed("POST", "/api/campaigns", kManage), [&ctx](const sdk::Request& rq, sdk::Response& rs) {
        CampaignInput input = campaignInput(*bodyObject(rq));
        requireSegmentPermission(ctx, rq, input);
        sendCampaign(rs, ctx.campaigns.create(input));
    });

    addKernelRoute(router, authed("PUT", "/api/campaigns/:id", kManage), [&ctx](const sdk::Request& rq, sdk::Response& rs) {
        const sdk::Id id = idParam(rq);
        CampaignInput input = campaignInput(*bodyObject(rq));
        requireSegmentPermission(ctx, rq, input);
        sendCampaign(rs, ctx.campaigns.update(id, input));
    });

    addKernelRoute(router, authed("POST", "/api/campaigns/:id/content", kManage), convertContent);

    addKernelRoute(router, authed("PUT", "/api/campaigns/:id/archive", kManage),
                   [&ctx](const sdk::Request& rq, sdk::Response& rs) {
                       sendCampaign(rs, ctx.campaigns.updateArchive(idParam(rq), campaignInput(*bodyObject(rq))));
                   });

    addKernelRoute(router, authed("DELETE", "/api/campaigns/:id", kManage), [&ctx](const sdk::Request& rq, sdk::Response& rs) {
        if (!ctx.campaigns.remove(idParam(rq))) throw HttpError(404, "campaign not found");
        sendTrue(rs);
    });

    addKernelRoute(router, authed("DELETE", "/api/campaigns", kManage),
                   [&ctx](const sdk::Request& rq, sdk::Response& rs) { removeMany(ctx, rq, rs); });

    addKernelRoute(router, authed("PUT", "/api/campaigns/:id/status", kSend), [&ctx](const sdk::Request& rq, sdk::Response& rs) {
        const sdk::Id id = idParam(rq);
        auto body = bodyObject(rq);
        auto status = optString(*body, "status");
        if (!status || status->empty()) throw HttpError(400, "status: is required");
        sendCampaign(rs, ctx.campaigns.changeStatus(id, *status));
    });

    addKernelRoute(router, authed("POST", "/api/campaigns/:id/retry", kSend), [&ctx](const sdk::Request& rq, sdk::Response& rs) {
        std::int64_t retried = 0;
        sendCampaign(rs, ctx.campaigns.retryFailed(idParam(rq), retried));
    });

    addKernelRoute(router, authed("POST", "/api/campaigns/:id/test", kManage), [&ctx](const sdk::Request& rq, sdk::Response& rs) {
        const sdk::Id id = idParam(rq);
        auto body = bodyObject(rq);
        CampaignInput input = campaignInput(*body);
        requireSegmentPermission(ctx, rq, input);
        auto emails = optStrings(*body, "subscribers").value_or(std::vector<std::string>{});
        ctx.campaigns.testSend(id, input, emails);
        sendTrue(rs);
    });

    auto previewRoute = [&ctx](const sdk::Request& rq, sdk::Response& rs) { preview(ctx, rq, rs); };
    addKernelRoute(router, authed("GET", "/api/campaigns/:id/preview", kGet), previewRoute);
    addKernelRoute(router, authed("POST", "/api/campaigns/:id/preview", kGet), previewRoute);
    // listmonk routes /text to its preview handler: the admin converts HTML to plain text in
    // the browser and asks the server only to render the body it posts (content_type plain).
    addKernelRoute(router, authed("POST", "/api/campaigns/:id/text", kGet), previewRoute);
    addKernelRoute(router, authed("POST", "/api/campaigns/:id/preview/archive", kGet),
                   [&ctx](const sdk::Request& rq, sdk::Response& rs) { previewArchive(ctx, rq, rs); });

    addKernelRoute(router, authed("GET", "/api/campaigns/:id/recipients", kGet),
                   [&ctx](const sdk::Request& rq, sdk::Response& rs) { recipients(ctx, rq, rs); });
}

}  // namespace tidings::kernel
