#include "kernel/template/campaign_message.hpp"

#include <chrono>
#include <span>

#include <Poco/JSON/Parser.h>

#include "kernel/template/identity_headers.hpp"
#include "kernel/template/markdown.hpp"
#include "kernel/template/message_i18n.hpp"
#include "kernel/template/message_values.hpp"
#include "kernel/template/template.hpp"
#include "kernel/template/template_set.hpp"
#include "kernel/template/time_format.hpp"

namespace tidings::kernel {

using tmpl::Mode;
using tmpl::Value;
using Args = std::span<const Value>;

namespace {

const std::string& uuidOf(const Value& dot, std::string_view which) {
    static const std::string none;
    const Value* part = dot.find(which);
    const Value* uuid = part ? part->find("UUID") : nullptr;
    return uuid ? uuid->str() : none;
}

const Value& dotArg(std::string_view fn, Args a, std::size_t index) {
    tmpl::requireArgs(fn, a, index + 1, index + 1);
    return a[index];
}

Value campaignValue(const sdk::Campaign& c) {
    Value::Entries e{
        {"ID", Value(static_cast<long long>(c.id))},
        {"UUID", Value(c.uuid)},
        {"Type", Value(std::string(sdk::toString(c.type)))},
        {"Name", Value(c.name)},
        {"Subject", Value(c.subject)},
        {"FromEmail", Value(c.from_email)},
        {"Status", Value(std::string(sdk::toString(c.status)))},
        {"ContentType", Value(std::string(sdk::toString(c.content_type)))},
        {"Tags", stringsValue(c.tags)},
        {"Attribs", jsonValue(c.attribs_json)},
        {"Headers", jsonValue(c.headers_json)},
        {"Messenger", Value(c.messenger)},
        {"SendAt", c.send_at ? Value(rfc3339(*c.send_at)) : Value()},
        {"StartedAt", c.started_at ? Value(rfc3339(*c.started_at)) : Value()},
        {"CreatedAt", Value(rfc3339(c.created_at))},
        {"UpdatedAt", Value(rfc3339(c.updated_at))},
        {"ArchiveSlug", c.archive_slug ? Value(*c.archive_slug) : Value()},
    };
    Value::List lists;
    for (const auto& l : c.lists) {
        lists.push_back(Value::map({{"ID", Value(static_cast<long long>(l.id))}, {"Name", Value(l.name)}}));
    }
    e.emplace_back("Lists", Value::list(std::move(lists)));
    return Value::record(std::move(e));
}

// The functions listmonk gives campaign templates, building links from the settings captured
// at compile time and the UUIDs in the dot.
tmpl::FunctionTable campaignFunctions(const MessageContext& ctx) {
    tmpl::FunctionTable f = tmpl::FunctionTable::builtins();
    const std::string root = ctx.root_url;
    f.add("RootURL", [root](Args) { return Value(root); });
    f.add("ArchiveURL", [root](Args) { return Value(root + "/archive"); });
    f.add("UnsubscribeURL", [root](Args a) {
        const Value& dot = dotArg("UnsubscribeURL", a, 0);
        return Value(root + "/subscription/" + uuidOf(dot, "Campaign") + "/" + uuidOf(dot, "Subscriber"));
    });
    f.add("ManageURL", [root](Args a) {
        const Value& dot = dotArg("ManageURL", a, 0);
        return Value(root + "/subscription/" + uuidOf(dot, "Campaign") + "/" + uuidOf(dot, "Subscriber") +
                     "?manage=true");
    });
    f.add("OptinURL", [root](Args a) {
        const Value& dot = dotArg("OptinURL", a, 0);
        return Value(root + "/subscription/optin/" + uuidOf(dot, "Subscriber") + "?");
    });
    f.add("MessageURL", [root](Args a) {
        const Value& dot = dotArg("MessageURL", a, 0);
        return Value(root + "/campaign/" + uuidOf(dot, "Campaign") + "/" + uuidOf(dot, "Subscriber"));
    });
    const bool tracking = ctx.tracking;
    auto link_uuid = ctx.link_uuid;
    f.add("TrackLink", [root, tracking, link_uuid](Args a) {
        tmpl::requireArgs("TrackLink", a, 2, 2);
        const std::string url = tmpl::toText(a[0]);
        if (!tracking || !link_uuid) return Value(url);
        const std::string id = link_uuid(url);
        if (id.empty()) return Value(url);  // registration failed: send the link untracked
        return Value(root + "/link/" + id + "/" + uuidOf(a[1], "Campaign") + "/" + uuidOf(a[1], "Subscriber"));
    });
    f.add("TrackView", [root, tracking](Args a) {
        const Value& dot = dotArg("TrackView", a, 0);
        if (!tracking) return Value::safeHtml("");
        return Value::safeHtml("<img src=\"" + root + "/campaign/" + uuidOf(dot, "Campaign") + "/" +
                               uuidOf(dot, "Subscriber") +
                               "/px.png\" alt=\"\" width=\"1\" height=\"1\" "
                               "style=\"display:none;max-height:0;max-width:0;opacity:0\">");
    });
    addMessageFunctions(f);
    return f;
}

bool hasAction(std::string_view text) { return text.find("{{") != std::string_view::npos; }

std::string contentSource(const sdk::Campaign& c) {
    if (c.content_type == sdk::ContentType::Markdown) return markdownToHtml(c.body);
    return c.body;
}

// A text template when the source holds actions, otherwise the literal text (listmonk only
// templates subjects, alt bodies and header values that contain `{{`).
struct TextPart {
    std::string literal;
    tmpl::Template compiled;

    TextPart() = default;
    TextPart(const std::string& name, const std::string& source, const tmpl::FunctionTable& f) {
        if (hasAction(source)) {
            compiled = tmpl::Template::compile(name, tmpl::rewriteListmonkShorthands(source), Mode::Text, f);
        } else {
            literal = source;
        }
    }
    std::string render(const Value& dot) const { return compiled ? compiled.render(dot) : literal; }
};

}  // namespace

struct CampaignMessage::Compiled {
    sdk::Campaign campaign;
    MessageContext context;
    Value campaign_value;
    tmpl::Template body;
    TextPart subject;
    TextPart altbody;
    std::vector<std::pair<std::string, TextPart>> headers;
    std::string from;

    Value dot(const sdk::Subscriber& s) const {
        return Value::map({{"Subscriber", subscriberValue(s)}, {"Campaign", campaign_value}});
    }
};

CampaignMessage CampaignMessage::compile(const sdk::Campaign& campaign, const std::optional<sdk::Template>& tmpl,
                                         MessageContext context) {
    while (!context.root_url.empty() && context.root_url.back() == '/') context.root_url.pop_back();
    auto c = std::make_shared<Compiled>();
    c->campaign = campaign;
    c->campaign_value = campaignValue(campaign);
    const tmpl::FunctionTable functions = campaignFunctions(context);

    tmpl::TemplateBuilder builder(Mode::Html, functions);
    builder.add("content", tmpl::rewriteListmonkShorthands(contentSource(campaign)));
    const bool wrapped = tmpl && !tmpl->body.empty() && campaign.content_type != sdk::ContentType::Visual;
    if (wrapped) builder.add("base", tmpl::rewriteListmonkShorthands(tmpl->body));
    c->body = builder.build(wrapped ? "base" : "content");

    c->subject = TextPart("subject", campaign.subject, functions);
    c->altbody = TextPart("altbody", campaign.altbody, functions);
    Poco::JSON::Parser parser;
    auto headers = parser.parse(campaign.headers_json.empty() ? "[]" : campaign.headers_json)
                       .extract<Poco::JSON::Array::Ptr>();
    for (std::size_t i = 0; headers && i < headers->size(); ++i) {
        auto one = headers->getObject(static_cast<unsigned>(i));
        if (!one) continue;
        for (const auto& [name, value] : *one) {
            c->headers.emplace_back(name, TextPart("header " + name, value.toString(), functions));
        }
    }
    c->from = campaign.from_email.empty() ? context.default_from : campaign.from_email;
    c->context = std::move(context);
    return CampaignMessage(std::move(c));
}

sdk::Message CampaignMessage::render(const sdk::Subscriber& subscriber) const {
    const Compiled& c = *compiled_;
    const Value dot = c.dot(subscriber);
    sdk::Message m;
    m.from = c.from;
    m.to = {subscriber.email};
    m.subject = c.subject.render(dot);
    m.content_type = c.campaign.content_type == sdk::ContentType::Plain ? "plain" : "html";
    c.body.renderTo(m.body, dot);
    m.alt_body = c.altbody.render(dot);
    m.headers.reserve(c.headers.size() + 6);
    for (const auto& [name, part] : c.headers) m.headers.emplace_back(name, part.render(dot));
    addIdentityHeaders(m, c.campaign.uuid, subscriber.uuid);
    if (c.context.unsubscribe_header) {
        m.headers.emplace_back("List-Unsubscribe",
                               "<" + c.context.root_url + "/subscription/" + c.campaign.uuid + "/" + subscriber.uuid + ">");
        m.headers.emplace_back("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
    }
    m.campaign_uuid = c.campaign.uuid;
    m.subscriber_uuid = subscriber.uuid;
    m.subscriber_email = subscriber.email;
    m.subscriber_name = subscriber.name;
    m.subscriber_attribs_json = subscriber.attribs_json;
    m.subscriber_status = std::string(sdk::toString(subscriber.status));
    m.campaign_name = c.campaign.name;
    m.campaign_tags = c.campaign.tags;
    m.campaign_headers_json = c.campaign.headers_json.empty() ? "[]" : c.campaign.headers_json;
    return m;
}

std::string CampaignMessage::renderBody(const sdk::Subscriber& subscriber) const {
    return compiled_->body.render(compiled_->dot(subscriber));
}

const sdk::Campaign& CampaignMessage::campaign() const { return compiled_->campaign; }

sdk::Subscriber previewSubscriber() {
    sdk::Subscriber s;
    s.uuid = "00000000-0000-0000-0000-000000000000";
    s.email = "demo@listmonk.app";
    s.name = "Demo Subscriber";
    s.attribs_json = R"({"city": "Bengaluru"})";
    return s;
}

}  // namespace tidings::kernel
