#include "kernel/core/campaign_rules.hpp"

#include <algorithm>
#include <cctype>
#include <set>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "kernel/core/email.hpp"
#include "kernel/core/json_writer.hpp"
#include "kernel/core/list_service.hpp"
#include "kernel/core/status_error.hpp"
#include "kernel/core/text.hpp"
#include "kernel/template/time_format.hpp"

namespace tidings::kernel {

namespace {

using sdk::CampaignStatus;

[[noreturn]] void conflict(const std::string& message) { throw StatusError(sdk::Status::conflict(message)); }

bool hasLineBreak(std::string_view text) { return text.find_first_of("\r\n") != std::string_view::npos; }

// RFC 5322 field names: printable ASCII except the colon.
bool validFieldName(std::string_view name) {
    return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) { return c > 32 && c < 127 && c != ':'; });
}

std::string htmlEscaped(std::string_view text) {
    std::string out;
    for (char c : text) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&#34;"; break;
        case '\'': out += "&#39;"; break;
        // The body is a template: a brace in a list name must not open an action.
        case '{': out += "&#123;"; break;
        case '}': out += "&#125;"; break;
        default: out.push_back(c);
        }
    }
    return out;
}

template <typename Enum>
Enum parseField(const std::string& text, const char* field, const char* choices) {
    auto v = sdk::parseEnum<Enum>(text);
    if (!v) invalid(std::string(field) + ": must be one of " + choices);
    return *v;
}

}  // namespace

std::string normaliseSlug(std::string_view text) {
    std::string out;
    bool dash = false;
    for (unsigned char c : text) {
        // Bytes of multi-byte UTF-8 characters count as letters, so non-ASCII slugs survive.
        if (std::isalnum(c) || c >= 0x80) {
            if (dash && !out.empty()) out.push_back('-');
            dash = false;
            out.push_back(static_cast<char>(std::tolower(c)));
        } else {
            dash = true;
        }
    }
    return out;
}

std::string validFromEmail(const std::string& raw) {
    std::string text = trimmed(raw);
    if (text.size() > kMaxEmailLength || hasLineBreak(text)) invalid("from_email: invalid address");
    std::string address = text;
    if (!text.empty() && text.back() == '>') {
        const auto open = text.rfind('<');
        if (open == std::string::npos) invalid("from_email: invalid address");
        address = text.substr(open + 1, text.size() - open - 2);
    }
    if (!normaliseEmail(address)) invalid("from_email: must be an address or \"Name <address>\"");
    return text;
}

std::string validHeaders(const std::string& json) {
    if (trimmed(json).empty()) return "[]";
    Poco::Dynamic::Var parsed;
    try {
        Poco::JSON::Parser parser;
        parsed = parser.parse(json);
    } catch (const Poco::Exception&) {
        invalid("headers: must be a JSON array of {\"Name\": \"value\"} objects");
    }
    if (parsed.type() != typeid(Poco::JSON::Array::Ptr)) {
        invalid("headers: must be a JSON array of {\"Name\": \"value\"} objects");
    }
    auto array = parsed.extract<Poco::JSON::Array::Ptr>();
    JsonWriter w;
    w.beginArray();
    for (std::size_t i = 0; i < array->size(); ++i) {
        auto one = array->getObject(static_cast<unsigned>(i));
        if (!one || one->size() != 1) invalid("headers: each header must be an object with one key");
        const auto& [name, value] = *one->begin();
        if (!validFieldName(name)) invalid("headers: invalid header name \"" + name + "\"");
        if (!value.isString()) invalid("headers: the value of " + name + " must be a string");
        const std::string text = value.extract<std::string>();
        if (hasLineBreak(text)) invalid("headers: the value of " + name + " must not contain line breaks");
        w.beginObject().key(name).value(text).endObject();
    }
    w.endArray();
    return w.take();
}

sdk::Timestamp parseSendAt(const std::string& text) {
    auto t = tmpl::parseTime(trimmed(text));
    if (!t) invalid("send_at: must be an RFC 3339 date and time");
    return std::chrono::time_point_cast<std::chrono::microseconds>(*t);
}

bool editable(CampaignStatus status) {
    return status == CampaignStatus::Draft || status == CampaignStatus::Scheduled || status == CampaignStatus::Paused;
}

sdk::CampaignDraft draftOf(const sdk::Campaign& c) {
    sdk::CampaignDraft d;
    d.type = c.type;
    d.name = c.name;
    d.subject = c.subject;
    d.from_email = c.from_email;
    d.body = c.body;
    d.body_source = c.body_source;
    d.altbody = c.altbody;
    d.send_at = c.send_at;
    d.content_type = c.content_type;
    d.tags = c.tags;
    d.headers_json = c.headers_json;
    d.attribs_json = c.attribs_json;
    d.template_id = c.template_id;
    d.messenger = c.messenger;
    d.archive = c.archive;
    d.archive_slug = c.archive_slug;
    d.archive_template_id = c.archive_template_id;
    d.archive_meta_json = c.archive_meta_json;
    d.segment = c.segment;
    for (const auto& l : c.lists) {
        if (l.id > 0) d.list_ids.push_back(l.id);  // 0: the list was deleted since
    }
    return d;
}

sdk::CampaignDraft campaignDraft(const CampaignInput& in, const sdk::Campaign* existing,
                                 const CampaignDefaults& defaults, sdk::Timestamp now) {
    sdk::CampaignDraft d = existing ? draftOf(*existing) : sdk::CampaignDraft{};

    if (in.name) d.name = trimmed(*in.name);
    if (d.name.empty()) invalid("name: is required");
    if (d.name.size() > kMaxCampaignNameBytes) invalid("name: longer than 2000 bytes");

    if (in.subject) d.subject = trimmed(*in.subject);
    if (d.subject.empty()) invalid("subject: is required");
    if (d.subject.size() > kMaxCampaignSubjectBytes) invalid("subject: longer than 5000 bytes");
    if (hasLineBreak(d.subject)) invalid("subject: must not contain line breaks");

    if (in.from_email || !existing) {
        const std::string from = trimmed(in.from_email.value_or(""));
        d.from_email = from.empty() ? defaults.from_email : validFromEmail(from);
    }

    if (in.content_type && !in.content_type->empty()) {
        d.content_type = parseField<sdk::ContentType>(*in.content_type, "content_type",
                                                      "richtext, html, markdown, plain, visual");
    }
    if (in.type && !in.type->empty()) d.type = parseField<sdk::CampaignType>(*in.type, "type", "regular, optin");
    if (in.body) d.body = *in.body;
    if (in.altbody) d.altbody = *in.altbody;
    if (in.body_source) d.body_source = *in.body_source;
    // The block editor's JSON only means something for visual campaigns.
    if (d.content_type != sdk::ContentType::Visual) d.body_source.clear();

    if (in.send_at) {
        std::optional<sdk::Timestamp> at;
        if (!trimmed(*in.send_at).empty()) at = parseSendAt(*in.send_at);
        // Re-saving a paused campaign keeps its (past) date; only a new date must lie ahead.
        const bool changed = !existing || existing->send_at != at;
        if (at && changed && *at <= now) invalid("send_at: must be in the future");
        d.send_at = at;
    }

    if (in.tags) d.tags = ListService::normaliseTags(*in.tags);
    if (in.headers_json) d.headers_json = validHeaders(*in.headers_json);
    if (in.attribs_json) d.attribs_json = *in.attribs_json;
    if (in.archive_meta_json) d.archive_meta_json = *in.archive_meta_json;
    if (in.lists) {
        std::set<sdk::Id> unique(in.lists->begin(), in.lists->end());
        d.list_ids.assign(unique.begin(), unique.end());
    }
    if (in.template_id) d.template_id = *in.template_id > 0 ? std::optional<sdk::Id>(*in.template_id) : std::nullopt;
    if (in.archive) d.archive = *in.archive;
    if (in.archive_slug) {
        std::string slug = normaliseSlug(*in.archive_slug);
        d.archive_slug = slug.empty() ? std::nullopt : std::optional<std::string>(slug);
    }
    if (in.archive_template_id) {
        d.archive_template_id =
            *in.archive_template_id > 0 ? std::optional<sdk::Id>(*in.archive_template_id) : std::nullopt;
    }
    if (in.segment) d.segment = trimmed(*in.segment);
    if (in.media && !in.media->empty()) invalid("media: attachments are not supported yet");

    if (in.messenger || !existing) {
        std::string wanted = trimmed(in.messenger.value_or(""));
        if (wanted.empty()) wanted = "email";
        auto name = defaults.messenger ? defaults.messenger(wanted) : std::nullopt;
        if (!name) invalid("messenger: no messenger named \"" + wanted + "\" is enabled");
        d.messenger = *name;
    }

    if (d.list_ids.empty() && d.segment.empty()) invalid("lists: at least one list (or a segment) is required");
    return d;
}

StatusChange planStatusChange(const sdk::Campaign& c, CampaignStatus requested, sdk::Timestamp now) {
    const CampaignStatus current = c.status;
    auto refuse = [&]() {
        conflict("status: a " + std::string(sdk::toString(current)) + " campaign cannot become " +
                 std::string(sdk::toString(requested)));
    };
    switch (requested) {
    case CampaignStatus::Scheduled:
        if (current != CampaignStatus::Draft && current != CampaignStatus::Paused) refuse();
        if (!c.send_at) invalid("send_at: a campaign needs a send_at date to be scheduled");
        return {current, CampaignStatus::Scheduled};
    case CampaignStatus::Draft:  // unscheduling
        if (current != CampaignStatus::Scheduled) refuse();
        return {current, CampaignStatus::Draft};
    case CampaignStatus::Running:
        // listmonk starts drafts and resumes paused campaigns only: a scheduled campaign starts
        // when its date comes, or is unscheduled first.
        if (current == CampaignStatus::Draft) {
            // As in listmonk, starting a campaign whose date is still ahead schedules it.
            if (c.send_at && *c.send_at > now) return {current, CampaignStatus::Scheduled};
            return {current, CampaignStatus::Running};
        }
        if (current != CampaignStatus::Paused) refuse();
        return {current, CampaignStatus::Running};
    case CampaignStatus::Paused:
        if (current != CampaignStatus::Running) refuse();
        return {current, CampaignStatus::Paused};
    case CampaignStatus::Cancelled:
        if (current != CampaignStatus::Running && current != CampaignStatus::Paused) refuse();
        return {current, CampaignStatus::Cancelled};
    case CampaignStatus::Finished:
        invalid("status: a campaign becomes finished when sending completes");
    }
    invalid("status: unknown status");
}

std::string optinBody(const std::vector<std::pair<std::string, std::string>>& lists) {
    std::string query;
    std::string items;
    for (const auto& [uuid, name] : lists) {
        query += (query.empty() ? "l=" : "&amp;l=") + htmlEscaped(uuid);
        items += "  <li>" + htmlEscaped(name) + "</li>\n";
    }
    return "<p>Hi {{ .Subscriber.FirstName }},</p>\n"
           "<p>Please confirm your subscription to the following mailing lists:</p>\n"
           "<ul>\n" + items + "</ul>\n"
           "<p><a class=\"button\" href=\"{{ OptinURL }}" + query + "\">Confirm subscription</a></p>\n";
}

}  // namespace tidings::kernel
