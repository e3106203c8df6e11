#include "kernel/core/template_service.hpp"

#include <regex>

#include <Poco/JSON/JSONException.h>

#include "kernel/core/json_value.hpp"
#include "kernel/core/sort_keys.hpp"
#include "kernel/core/status_error.hpp"
#include "kernel/core/template_check.hpp"
#include "kernel/core/text.hpp"
#include "kernel/template/tx_message.hpp"

namespace tidings::kernel {

namespace {

constexpr const char* kZeroUuid = "00000000-0000-0000-0000-000000000000";

// What a preview puts where the campaign body goes.
constexpr const char* kSampleContent = R"(<h2>A sample heading</h2>
<p>Lorem ipsum dolor sit amet, consectetur adipiscing elit. Sed do eiusmod tempor incididunt ut
labore et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco
laboris nisi ut aliquip ex ea commodo consequat.</p>
<ul>
  <li>Duis aute irure dolor in reprehenderit</li>
  <li>Excepteur sint occaecat cupidatat non proident</li>
</ul>
<p><a href="https://example.com">A sample link</a></p>
<p>Sunt in culpa qui officia deserunt mollit anim id est laborum.</p>
)";

constexpr const char* kHtml = "text/html; charset=utf-8";

// A campaign that stands for any campaign in template previews and compile checks. The zero
// UUID keeps previews out of tracking, as listmonk's dummy campaign does.
sdk::Campaign sampleCampaign(const std::string& body, sdk::ContentType type) {
    sdk::Campaign c;
    c.uuid = kZeroUuid;
    c.name = "Sample campaign";
    c.subject = "Sample campaign subject";
    c.body = body;
    c.content_type = type;
    return c;
}

sdk::Template asTemplate(const sdk::TemplateDraft& d) {
    sdk::Template t;
    t.name = d.name;
    t.type = d.type;
    t.subject = d.subject;
    t.body = d.body;
    t.body_source = d.body_source;
    return t;
}

// A visual template is the whole message: its body is rendered as a visual campaign's body.
CampaignMessage compileCampaignTemplate(const sdk::Template& t, MessageContext context) {
    if (t.type == sdk::TemplateType::CampaignVisual) {
        return CampaignMessage::compile(sampleCampaign(t.body, sdk::ContentType::Visual), std::nullopt,
                                        std::move(context));
    }
    return CampaignMessage::compile(sampleCampaign(kSampleContent, sdk::ContentType::Richtext), t,
                                    std::move(context));
}

}  // namespace

TemplateService::TemplateService(sdk::TemplateStore& store, std::function<MessageContext()> context)
    : store_(store), context_(std::move(context)) {}

bool TemplateService::hasContentSlot(const std::string& body) {
    // Whitespace and trim markers are allowed anywhere inside the action, as the engine allows.
    static const std::regex slot(R"re(\{\{-?\s*template\s*"content"\s*\.\s*-?\}\})re");
    return std::regex_search(body, slot);
}

sdk::TemplateDraft TemplateService::draftFrom(const TemplateInput& input, const sdk::Template* existing) {
    sdk::TemplateDraft d;
    if (existing) {
        d.name = existing->name;
        d.type = existing->type;
        d.subject = existing->subject;
        d.body = existing->body;
        d.body_source = existing->body_source;
    }

    if (input.name) d.name = trimmed(*input.name);
    if (d.name.empty()) invalid("name: is required");
    if (d.name.size() > kMaxTemplateNameBytes) invalid("name: longer than 2000 bytes");

    if (input.type && !input.type->empty()) {
        auto type = sdk::parseEnum<sdk::TemplateType>(*input.type);
        if (!type) invalid("type: must be one of campaign, campaign_visual, tx");
        if (existing && *type != existing->type) invalid("type: a template's type cannot be changed");
        d.type = *type;
    }

    if (input.subject) d.subject = trimmed(*input.subject);
    if (input.body) d.body = *input.body;
    if (input.body_source) d.body_source = *input.body_source;

    switch (d.type) {
    case sdk::TemplateType::Tx:
        if (d.subject.empty()) invalid("subject: a transactional template needs a subject");
        if (d.subject.size() > kMaxSubjectBytes) invalid("subject: longer than 5000 bytes");
        if (trimmed(d.body).empty()) invalid("body: is required");
        d.body_source.clear();
        break;
    case sdk::TemplateType::Campaign:
        // Campaigns carry their own subjects; listmonk blanks a campaign template's.
        d.subject.clear();
        d.body_source.clear();
        if (!hasContentSlot(d.body)) invalid(R"(body: a campaign template must contain {{ template "content" . }})");
        break;
    case sdk::TemplateType::CampaignVisual:
        d.subject.clear();
        if (trimmed(d.body_source).empty()) invalid("body_source: a visual template needs the editor's JSON");
        try {
            (void)parseJsonValue(d.body_source);
        } catch (const Poco::Exception&) {
            invalid("body_source: is not valid JSON");
        }
        break;
    }
    checkCompiles(d);
    return d;
}

void TemplateService::checkCompiles(const sdk::TemplateDraft& draft) {
    try {
        if (draft.type == sdk::TemplateType::Tx) {
            (void)TxMessage::compile(asTemplate(draft));
        } else {
            (void)compileCampaignTemplate(asTemplate(draft), MessageContext{});
        }
    } catch (const TemplateError& e) {
        invalidTemplate(e.templateName() == "subject" ? "subject" : "body", e);
    }
}

std::string TemplateService::orderColumn(const std::string& order_by) {
    return sortKey(order_by, {"id", "name", "created_at", "updated_at"}, "id", "templates");
}

std::vector<sdk::Template> TemplateService::list(bool with_body, const std::string& order_by, sdk::SortOrder order) {
    std::vector<sdk::Template> out;
    check(store_.list(std::nullopt, with_body, out));
    // The store returns them all, by id: there are few, so any other order is applied here.
    using T = sdk::Template;
    if (order_by == "name") {
        sortListing(out, order, [](const T& t) -> const std::string& { return t.name; });
    } else if (order_by == "created_at") {
        sortListing(out, order, [](const T& t) { return t.created_at; });
    } else if (order_by == "updated_at") {
        sortListing(out, order, [](const T& t) { return t.updated_at; });
    } else {
        sortListing(out, order, [](const T& t) { return t.id; });
    }
    return out;
}

sdk::Template TemplateService::get(sdk::Id id) {
    sdk::Template out;
    check(store_.get(id, out));
    return out;
}

sdk::Template TemplateService::create(const TemplateInput& input) {
    sdk::Template out;
    check(store_.create(draftFrom(input, nullptr), out));
    return out;
}

sdk::Template TemplateService::update(sdk::Id id, const TemplateInput& input) {
    const sdk::Template existing = get(id);
    sdk::Template out;
    check(store_.update(id, draftFrom(input, &existing), out));
    return out;
}

std::vector<sdk::Template> TemplateService::setDefault(sdk::Id id) {
    const sdk::Template t = get(id);
    if (t.type == sdk::TemplateType::Tx) invalid("id: only a campaign template can be the default");
    sdk::Template out;
    check(store_.setDefault(id, out));
    return list(true);
}

void TemplateService::remove(sdk::Id id) {
    const sdk::Template t = get(id);
    if (t.is_default) invalid("id: the default template cannot be deleted");
    if (list(false).size() <= 1) invalid("id: the last template cannot be deleted");
    check(store_.remove(id));
}

Preview TemplateService::preview(sdk::TemplateType type, const std::string& body) const {
    sdk::Template t;
    t.type = type;
    t.body = body;
    // A preview needs only what rendering needs; a tx subject and visual JSON are not required.
    try {
        if (type == sdk::TemplateType::Tx) {
            return {TxMessage::compile(t).renderBody(previewSubscriber(), "{}"), kHtml};
        }
        if (type == sdk::TemplateType::Campaign && !hasContentSlot(body)) {
            invalid(R"(body: a campaign template must contain {{ template "content" . }})");
        }
        return {compileCampaignTemplate(t, context_()).renderBody(previewSubscriber()), kHtml};
    } catch (const TemplateError& e) {
        invalidTemplate("body", e);
    }
}

Preview TemplateService::preview(sdk::Id id, const std::optional<std::string>& body) {
    const sdk::Template t = get(id);
    return preview(t.type, body.value_or(t.body));
}

int TemplateService::installDefaults(const DefaultTemplateSources& sources, sdk::StateStore* guard) {
    std::vector<sdk::Template> existing;
    check(store_.list(std::nullopt, false, existing));
    if (!existing.empty()) return 0;
    if (guard) {
        // Processes starting together race here; the first one installs. The key expires so
        // that a process that died half-way does not block the next start forever.
        bool first = false;
        check(guard->insertIfAbsent("templates.install_defaults", "1", std::chrono::seconds(60), first));
        if (!first) return 0;
    }
    const std::vector<TemplateInput> defaults{
        {"Default campaign template", "campaign", "", sources.campaign, std::nullopt},
        {"Default archive template", "campaign", "", sources.archive, std::nullopt},
        {"Sample transactional template", "tx", "Welcome, {{ .Subscriber.FirstName }}", sources.tx, std::nullopt},
    };
    int installed = 0;
    for (const auto& input : defaults) {
        sdk::Template out;
        // The first campaign template stored becomes the default (the store's rule).
        check(store_.create(draftFrom(input, nullptr), out));
        ++installed;
    }
    return installed;
}

}  // namespace tidings::kernel
