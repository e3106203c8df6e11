#include "kernel/core/campaign_service.hpp"

#include <algorithm>

#include "kernel/core/email.hpp"
#include "kernel/core/json_writer.hpp"
#include "kernel/core/sort_keys.hpp"
#include "kernel/core/status_error.hpp"
#include "kernel/core/template_check.hpp"
#include "kernel/core/text.hpp"

namespace tidings::kernel {

namespace {

using sdk::CampaignStatus;

constexpr const char* kZeroUuid = "00000000-0000-0000-0000-000000000000";

// How a rendered body is served: plain-text campaigns as text, everything else as HTML.
std::string mediaTypeOf(const sdk::Campaign& c) {
    return c.content_type == sdk::ContentType::Plain ? "text/plain; charset=utf-8" : "text/html; charset=utf-8";
}

sdk::Timestamp now() {
    return std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now());
}

[[noreturn]] void conflict(const std::string& message) { throw StatusError(sdk::Status::conflict(message)); }

// Which request field a compile error belongs to, from the part of the message that failed.
std::string fieldOf(const TemplateError& e) {
    const std::string& part = e.templateName();
    if (part == "subject" || part == "altbody") return part;
    if (part.rfind("header ", 0) == 0) return "headers";
    if (part == "base") return "template_id";
    return "body";
}

}  // namespace

sdk::Campaign campaignFromDraft(const sdk::CampaignDraft& d, const sdk::Campaign* base) {
    sdk::Campaign c = base ? *base : sdk::Campaign{};
    c.type = d.type;
    c.name = d.name;
    c.subject = d.subject;
    c.from_email = d.from_email;
    c.body = d.body;
    c.body_source = d.body_source;
    c.altbody = d.altbody;
    c.send_at = d.send_at;
    c.content_type = d.content_type;
    c.tags = d.tags;
    c.headers_json = d.headers_json;
    c.attribs_json = d.attribs_json;
    c.template_id = d.template_id;
    c.messenger = d.messenger;
    c.archive = d.archive;
    c.archive_slug = d.archive_slug;
    c.archive_template_id = d.archive_template_id;
    c.archive_meta_json = d.archive_meta_json;
    c.segment = d.segment;
    std::vector<sdk::CampaignList> lists;
    for (sdk::Id id : d.list_ids) {
        sdk::CampaignList l{id, ""};
        if (base) {
            for (const auto& known : base->lists) {
                if (known.id == id) l.name = known.name;
            }
        }
        lists.push_back(std::move(l));
    }
    c.lists = std::move(lists);
    return c;
}

CampaignService::CampaignService(sdk::Storage& storage, EventBus& events, CampaignServiceHooks hooks)
    : storage_(storage), events_(events), hooks_(std::move(hooks)) {}

std::string CampaignService::orderColumn(const std::string& order_by) {
    return sortKey(order_by, {"id", "name", "status", "created_at", "updated_at", "send_at"}, "created_at", "campaigns");
}

CampaignDefaults CampaignService::defaults() const {
    CampaignDefaults d;
    d.from_email = hooks_.context ? hooks_.context().default_from : std::string();
    d.messenger = [this](const std::string& name) -> std::optional<std::string> {
        if (!hooks_.messenger) return std::nullopt;
        if (hooks_.messenger(name)) return name;
        // listmonk sends through "email" when a named relay ("email-<name>") is gone.
        if (name.rfind("email-", 0) == 0 && hooks_.messenger("email")) return std::string("email");
        return std::nullopt;
    };
    return d;
}

std::optional<sdk::Template> CampaignService::campaignTemplate(std::optional<sdk::Id> id, const char* field) {
    if (!id) return std::nullopt;
    sdk::Template t;
    sdk::Status st = storage_.templates().get(*id, t);
    if (st.code() == sdk::StatusCode::NotFound) {
        invalid(std::string(field) + ": template " + std::to_string(*id) + " does not exist");
    }
    check(st);
    if (t.type == sdk::TemplateType::Tx) {
        invalid(std::string(field) + ": template " + std::to_string(*id) + " is not a campaign template");
    }
    return t;
}

CampaignMessage CampaignService::compile(const sdk::Campaign& campaign) {
    std::optional<sdk::Template> tmpl;
    if (campaign.content_type != sdk::ContentType::Visual && campaign.template_id) {
        sdk::Template t;
        sdk::Status st = storage_.templates().get(*campaign.template_id, t);
        if (st) {
            tmpl = std::move(t);
        } else if (st.code() != sdk::StatusCode::NotFound) {
            check(st);
        }
    }
    try {
        return CampaignMessage::compile(campaign, tmpl, hooks_.context ? hooks_.context() : MessageContext{});
    } catch (const TemplateError& e) {
        invalidTemplate(fieldOf(e), e);
    }
}

void CampaignService::complete(sdk::CampaignDraft& d, bool creating) {
    if (d.content_type == sdk::ContentType::Visual) {
        d.template_id.reset();  // a visual body is the whole message
    } else if (auto t = campaignTemplate(d.template_id, "template_id")) {
        if (t->type == sdk::TemplateType::CampaignVisual) {
            if (!creating) invalid("template_id: a visual template can only be chosen when creating a campaign");
            // listmonk's rule: a campaign made from a visual template starts as a copy of it.
            d.body = t->body;
            d.body_source = t->body_source;
            d.content_type = sdk::ContentType::Visual;
            d.template_id.reset();
        }
    } else {
        // No template (or the one it had was deleted): the default one, if any.
        sdk::Template def;
        sdk::Status st = storage_.templates().getDefault(def);
        if (st) {
            d.template_id = def.id;
        } else if (st.code() != sdk::StatusCode::NotFound) {
            check(st);
        }
    }

    if (d.archive_template_id) {
        auto t = campaignTemplate(d.archive_template_id, "archive_template_id");
        if (t->type == sdk::TemplateType::CampaignVisual) invalid("archive_template_id: must be a campaign template");
    } else if (creating) {
        d.archive_template_id = d.template_id;
    }

    if (d.type == sdk::CampaignType::Optin) {
        sdk::ListQuery q;
        q.ids = d.list_ids;
        q.page = {1, 0};
        sdk::ListPage lists;
        check(storage_.lists().query(q, lists));
        std::vector<std::pair<std::string, std::string>> double_optin;
        for (const auto& l : lists.results) {
            if (l.optin == sdk::ListOptin::Double) double_optin.emplace_back(l.uuid, l.name);
        }
        if (double_optin.empty()) invalid("lists: an opt-in campaign needs at least one double opt-in list");
        if (trimmed(d.body).empty()) {
            d.body = optinBody(double_optin);
            d.content_type = sdk::ContentType::Richtext;
        }
    }

    (void)compile(campaignFromDraft(d, nullptr));
}

sdk::CampaignPage CampaignService::query(const sdk::CampaignQuery& q) {
    sdk::CampaignPage page;
    check(storage_.campaigns().query(q, page));
    return page;
}

sdk::Campaign CampaignService::get(sdk::Id id) {
    sdk::Campaign out;
    check(storage_.campaigns().get(id, out));
    return out;
}

sdk::Campaign CampaignService::create(const CampaignInput& input) {
    sdk::CampaignDraft d = campaignDraft(input, nullptr, defaults(), now());
    complete(d, true);
    sdk::Campaign out;
    check(storage_.campaigns().create(d, out));
    return out;
}

sdk::Campaign CampaignService::update(sdk::Id id, const CampaignInput& input) {
    const sdk::Campaign existing = get(id);
    if (!editable(existing.status)) {
        conflict("status: a " + std::string(sdk::toString(existing.status)) + " campaign cannot be edited");
    }
    sdk::CampaignDraft d = campaignDraft(input, &existing, defaults(), now());
    complete(d, false);
    sdk::Campaign out;
    check(storage_.campaigns().update(id, d, out));
    if (existing.status == CampaignStatus::Scheduled && !d.send_at) {
        // A scheduled campaign without a date is a draft again, as in listmonk.
        check(storage_.campaigns().transition(id, {CampaignStatus::Scheduled}, CampaignStatus::Draft, out));
        if (hooks_.status_changed) hooks_.status_changed();
    }
    return out;
}

sdk::Campaign CampaignService::updateArchive(sdk::Id id, const CampaignInput& input) {
    const sdk::Campaign existing = get(id);
    CampaignInput archive;
    archive.archive = input.archive;
    archive.archive_slug = input.archive_slug;
    archive.archive_template_id = input.archive_template_id;
    archive.archive_meta_json = input.archive_meta_json;
    sdk::CampaignDraft d = campaignDraft(archive, &existing, defaults(), now());
    complete(d, false);
    sdk::Campaign out;
    check(storage_.campaigns().update(id, d, out));
    return out;
}

bool CampaignService::remove(sdk::Id id) {
    sdk::Status st = storage_.campaigns().remove(id);
    if (st.code() == sdk::StatusCode::NotFound) return false;
    check(st);
    // A job sending it notices at once instead of at the next tick.
    if (hooks_.status_changed) hooks_.status_changed();
    return true;
}

sdk::Campaign CampaignService::changeStatus(sdk::Id id, const std::string& status) {
    auto requested = sdk::parseEnum<CampaignStatus>(trimmed(status));
    if (!requested) invalid("status: must be one of draft, scheduled, running, paused, cancelled");
    const sdk::Campaign current = get(id);
    const StatusChange change = planStatusChange(current, *requested, now());
    if (change.to == change.from) return current;
    sdk::Campaign out;
    // From exactly what was read: a concurrent change makes this a Conflict, not a surprise.
    check(storage_.campaigns().transition(id, {change.from}, change.to, out));
    switch (change.to) {
    case CampaignStatus::Running: publish("campaign.started", out); break;
    case CampaignStatus::Paused: publish("campaign.paused", out); break;
    case CampaignStatus::Cancelled: publish("campaign.cancelled", out); break;
    default: break;
    }
    if (hooks_.status_changed) hooks_.status_changed();
    return out;
}

sdk::Campaign CampaignService::retryFailed(sdk::Id id, std::int64_t& retried) {
    (void)get(id);
    check(storage_.deliveries().retryFailed(id, retried));
    sdk::Campaign out = get(id);
    if (out.status == CampaignStatus::Running) publish("campaign.started", out);
    if (hooks_.status_changed) hooks_.status_changed();
    return out;
}

void CampaignService::testSend(sdk::Id id, const CampaignInput& input, const std::vector<std::string>& emails) {
    if (emails.empty()) invalid("subscribers: at least one e-mail address is required");
    const sdk::Campaign existing = get(id);
    sdk::CampaignDraft d = campaignDraft(input, &existing, defaults(), now());
    complete(d, false);

    std::vector<sdk::Subscriber> recipients;
    for (const auto& raw : emails) {
        auto email = normaliseEmail(raw);
        if (!email) invalid("subscribers: invalid e-mail address \"" + raw + "\"");
        sdk::Subscriber s;
        sdk::Status st = storage_.subscribers().getByEmail(*email, s);
        if (st.code() == sdk::StatusCode::NotFound) invalid("subscribers: no subscriber has the address " + *email);
        check(st);
        recipients.push_back(std::move(s));
    }

    const sdk::Campaign campaign = campaignFromDraft(d, &existing);
    const CampaignMessage message = compile(campaign);
    sdk::Messenger* messenger = hooks_.messenger ? hooks_.messenger(campaign.messenger) : nullptr;
    if (!messenger) invalid("messenger: no messenger named \"" + campaign.messenger + "\" is enabled");
    for (const auto& s : recipients) {
        sdk::Message m;
        try {
            m = message.render(s);
        } catch (const TemplateError& e) {
            invalidTemplate(fieldOf(e), e);
        }
        sdk::Status st = messenger->push(m);
        if (!st) throw StatusError(sdk::Status::unavailable("test send to " + s.email + " failed: " + st.message()));
    }
}

Preview CampaignService::preview(sdk::Id id, const PreviewOverrides& overrides) {
    sdk::Campaign c = get(id);
    if (overrides.body) c.body = *overrides.body;
    if (overrides.content_type && !overrides.content_type->empty()) {
        auto type = sdk::parseEnum<sdk::ContentType>(*overrides.content_type);
        if (!type) invalid("content_type: must be one of richtext, html, markdown, plain, visual");
        c.content_type = *type;
    }
    if (overrides.template_id) {
        c.template_id = *overrides.template_id > 0 ? std::optional<sdk::Id>(*overrides.template_id) : std::nullopt;
        (void)campaignTemplate(c.template_id, "template_id");
    }
    c.uuid = kZeroUuid;  // previews are never tracked
    const CampaignMessage message = compile(c);
    Preview out;
    try {
        out.body = message.renderBody(previewSubscriber());
    } catch (const TemplateError& e) {
        invalidTemplate(fieldOf(e), e);
    }
    out.content_type = mediaTypeOf(c);
    return out;
}

Preview CampaignService::renderFor(const std::string& campaign_uuid, const std::string& subscriber_uuid) {
    // The stores answer NotFound for malformed UUIDs too, so one message covers both.
    sdk::Campaign c;
    sdk::Status st = storage_.campaigns().getByUuid(campaign_uuid, c);
    if (st.code() == sdk::StatusCode::NotFound) throw StatusError(sdk::Status::notFound("campaign not found"));
    check(st);
    sdk::Subscriber s;
    st = storage_.subscribers().getByUuid(subscriber_uuid, s);
    if (st.code() == sdk::StatusCode::NotFound) throw StatusError(sdk::Status::notFound("subscriber not found"));
    check(st);
    Preview out;
    try {
        out.body = compile(c).renderBody(s);
    } catch (const TemplateError& e) {
        // Stored campaigns compiled when saved; this one's template changed since.
        throw StatusError(sdk::Status::internal("campaign " + std::to_string(c.id) + " does not render: " + e.what()));
    }
    out.content_type = mediaTypeOf(c);
    return out;
}

std::vector<RunningStats> CampaignService::runningStats() {
    sdk::CampaignQuery q;
    q.statuses = {CampaignStatus::Running};
    q.per_page = 0;
    q.with_body = false;
    sdk::CampaignPage page = query(q);

    using std::chrono::duration;
    const auto steady = std::chrono::steady_clock::now();
    const auto wall = now();
    std::vector<RunningStats> out;
    std::lock_guard lock(rate_mutex_);
    std::map<sdk::Id, std::deque<RateSample>> kept;
    for (auto& c : page.results) {
        auto samples = std::move(rate_samples_[c.id]);
        samples.push_back({steady, c.sent});
        // Keep one sample at least a minute old (when there is one) as the rate's base.
        while (samples.size() > 2 && steady - samples[1].at >= std::chrono::minutes(1)) samples.pop_front();
        RunningStats s;
        if (c.started_at) {
            const double minutes = duration<double, std::ratio<60>>(wall - *c.started_at).count();
            s.net_rate = static_cast<double>(c.sent) / std::max(1.0, minutes);
        }
        const double window = duration<double, std::ratio<60>>(steady - samples.front().at).count();
        s.rate = window * 60 >= 1 ? static_cast<double>(c.sent - samples.front().sent) / window : s.net_rate;
        s.campaign = std::move(c);
        kept[s.campaign.id] = std::move(samples);
        out.push_back(std::move(s));
    }
    rate_samples_ = std::move(kept);  // forget campaigns that stopped running
    return out;
}

void CampaignService::checkRecipientOrder(const std::string& order_by, sdk::SortOrder order) {
    (void)sortKey(order_by, {"subscriber_id"}, "subscriber_id");
    if (order != sdk::SortOrder::Asc) invalid("order: recipients are listed by subscriber_id ascending only (asc)");
}

sdk::DeliveryPage CampaignService::recipients(sdk::Id id, std::optional<sdk::DeliveryStatus> status,
                                              sdk::PageRequest page) {
    (void)get(id);
    sdk::DeliveryPage out;
    check(storage_.deliveries().deliveries(id, status, page.page, page.per_page, out));
    return out;
}

void CampaignService::publish(std::string_view event, const sdk::Campaign& campaign) {
    if (!events_.hasSubscribers(event)) return;
    // The same payload the send engine publishes for campaign.finished and campaign.paused.
    JsonWriter w;
    w.beginObject().key("campaign").beginObject();
    w.key("id").value(campaign.id).key("uuid").value(campaign.uuid).key("name").value(campaign.name);
    w.key("status").value(sdk::toString(campaign.status));
    w.endObject().endObject();
    events_.publish(event, w.take());
}

}  // namespace tidings::kernel
