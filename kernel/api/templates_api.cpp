// /api/templates: CRUD, the default template, and previews rendered with sample data.
#include "kernel/api/api_context.hpp"
#include "kernel/core/campaign_json.hpp"
#include "kernel/http/handler_support.hpp"
#include "kernel/http/http_error.hpp"
#include "kernel/http/request_input.hpp"

namespace tidings::kernel {
namespace {

constexpr const char* kGet = "templates:get";
constexpr const char* kManage = "templates:manage";

TemplateInput templateInput(const Poco::JSON::Object& body) {
    TemplateInput in;
    in.name = optString(body, "name");
    in.type = optString(body, "type");
    in.subject = optString(body, "subject");
    in.body = optString(body, "body");
    in.body_source = optString(body, "body_source");
    return in;
}

void sendTemplate(sdk::Response& response, const sdk::Template& t) {
    JsonWriter w;
    writeTemplate(w, t);
    sendDataJson(response, w.str());
}

void sendTemplates(sdk::Response& response, const std::vector<sdk::Template>& templates) {
    JsonWriter w;
    w.beginArray();
    for (const auto& t : templates) writeTemplate(w, t);
    w.endArray();
    sendDataJson(response, w.str());
}

// Previews are the rendered message itself, not JSON, as in listmonk.
void sendPreview(sdk::Response& response, const Preview& preview) {
    response.status = 200;
    response.content_type = preview.content_type;
    response.body = preview.body;
}

}  // namespace

void addTemplateRoutes(Router& router, ApiContext& ctx) {
    addKernelRoute(router, authed("GET", "/api/templates", kGet), [&ctx](const sdk::Request& rq, sdk::Response& rs) {
        const bool no_body = rq.queryValue("no_body") == std::optional<std::string_view>("true");
        const std::string order_by = TemplateService::orderColumn(std::string(rq.queryValue("order_by").value_or("")));
        sendTemplates(rs, ctx.templates.list(!no_body, order_by, orderParam(rq, sdk::SortOrder::Asc)));
    });

    addKernelRoute(router, authed("GET", "/api/templates/:id", kGet), [&ctx](const sdk::Request& rq, sdk::Response& rs) {
        sendTemplate(rs, ctx.templates.get(idParam(rq)));
    });

    auto previewStored = [&ctx](const sdk::Request& rq, sdk::Response& rs) {
        const sdk::Id id = idParam(rq);
        auto body = bodyObject(rq);
        sendPreview(rs, ctx.templates.preview(id, optString(*body, "body")));
    };
    addKernelRoute(router, authed("GET", "/api/templates/:id/preview", kGet), previewStored);
    addKernelRoute(router, authed("POST", "/api/templates/:id/preview", kGet), previewStored);

    addKernelRoute(router, authed("POST", "/api/templates/preview", kGet), [&ctx](const sdk::Request& rq, sdk::Response& rs) {
        auto body = bodyObject(rq);
        std::string type_text = optString(*body, "template_type").value_or("");
        if (type_text.empty()) type_text = optString(*body, "type").value_or("campaign");
        auto type = sdk::parseEnum<sdk::TemplateType>(type_text);
        if (!type) throw HttpError(400, "template_type: must be one of campaign, campaign_visual, tx");
        sendPreview(rs, ctx.templates.preview(*type, optString(*body, "body").value_or("")));
    });

    addKernelRoute(router, authed("POST", "/api/templates", kManage), [&ctx](const sdk::Request& rq, sdk::Response& rs) {
        sendTemplate(rs, ctx.templates.create(templateInput(*bodyObject(rq))));
    });

    addKernelRoute(router, authed("PUT", "/api/templates/:id", kManage), [&ctx](const sdk::Request& rq, sdk::Response& rs) {
        const sdk::Id id = idParam(rq);
        sendTemplate(rs, ctx.templates.update(id, templateInput(*bodyObject(rq))));
    });

    addKernelRoute(router, authed("PUT", "/api/templates/:id/default", kManage), [&ctx](const sdk::Request& rq, sdk::Response& rs) {
        sendTemplates(rs, ctx.templates.setDefault(idParam(rq)));
    });

    addKernelRoute(router, authed("DELETE", "/api/templates/:id", kManage), [&ctx](const sdk::Request& rq, sdk::Response& rs) {
        ctx.templates.remove(idParam(rq));
        sendTrue(rs);
    });
}

}  // namespace tidings::kernel
