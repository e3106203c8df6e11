#include "kernel/core/subscriber_service.hpp"

#include <algorithm>
#include <set>

#include "kernel/core/email.hpp"
#include "kernel/core/json_writer.hpp"
#include "kernel/core/model_json.hpp"
#include "kernel/core/sort_keys.hpp"
#include "kernel/core/status_error.hpp"
#include "kernel/core/text.hpp"

namespace tidings::kernel {

namespace {

sdk::SubscriberStatus parseStatus(const std::string& text) {
    auto status = sdk::parseEnum<sdk::SubscriberStatus>(text);
    if (!status) invalid("status: must be one of enabled, disabled, blocklisted");
    return *status;
}

std::vector<sdk::Id> validListIds(const std::vector<sdk::Id>& ids) {
    std::set<sdk::Id> unique;
    for (sdk::Id id : ids) {
        if (id < 1) invalid("lists: invalid list id " + std::to_string(id));
        unique.insert(id);
    }
    return {unique.begin(), unique.end()};
}

std::string validAttribs(const std::string& json) {
    if (json.size() > kMaxAttribsBytes) {
        invalid("attribs: larger than " + std::to_string(kMaxAttribsBytes) + " bytes");
    }
    return json;
}

std::string validName(const std::string& raw) {
    std::string name = trimmed(raw);
    if (name.size() > kMaxNameBytes) invalid("name: longer than " + std::to_string(kMaxNameBytes) + " bytes");
    return name;
}

}  // namespace

SubscriberService::SubscriberService(sdk::Storage& storage, SettingsService& settings, EventBus& events,
                                     OptinSender optin_sender)
    : storage_(storage), settings_(settings), events_(events), optin_sender_(std::move(optin_sender)) {}

std::string SubscriberService::validEmail(const std::string& raw) const {
    auto email = normaliseEmail(raw);
    if (!email) invalid("email: invalid e-mail address");
    std::string_view domain = emailDomain(*email);
    auto allow = settings_.strings("privacy.domain_allowlist");
    if (!allow.empty()) {
        bool allowed = std::any_of(allow.begin(), allow.end(),
                                   [&](const std::string& rule) { return domainMatches(domain, lowercase(trimmed(rule))); });
        if (!allowed) invalid("email: the domain is not allowed");
    } else {
        auto block = settings_.strings("privacy.domain_blocklist");
        bool blocked = std::any_of(block.begin(), block.end(),
                                   [&](const std::string& rule) { return domainMatches(domain, lowercase(trimmed(rule))); });
        if (blocked) invalid("email: the domain is blocklisted");
    }
    return *email;
}

std::string SubscriberService::orderColumn(const std::string& order_by) {
    return sortKey(order_by, {"id", "email", "name", "status", "created_at", "updated_at"}, "id", "subscribers");
}

sdk::Subscriber SubscriberService::get(sdk::Id id) {
    if (id < 1) invalid("id: invalid subscriber id");
    sdk::Subscriber out;
    check(storage_.subscribers().get(id, out));
    return out;
}

sdk::SubscriberPage SubscriberService::query(const sdk::SubscriberQuery& q) {
    sdk::SubscriberPage page;
    check(storage_.subscribers().query(q, page));
    return page;
}

void SubscriberService::stream(const sdk::SubscriberQuery& q, const sdk::BatchSink<sdk::Subscriber>& sink) {
    auto batch = static_cast<std::size_t>(std::clamp<std::int64_t>(settings_.integer("app.batch_size"), 100, 10000));
    check(storage_.subscribers().stream(q, batch, sink));
}

sdk::Subscriber SubscriberService::create(const SubscriberInput& input) {
    if (!input.email || trimmed(*input.email).empty()) invalid("email: is required");
    sdk::SubscriberDraft draft;
    draft.email = validEmail(*input.email);
    std::string name = input.name ? validName(*input.name) : std::string{};
    draft.name = name.empty() ? nameFromEmail(*draft.email) : name;
    draft.status = input.status && !input.status->empty() ? parseStatus(*input.status) : sdk::SubscriberStatus::Enabled;
    draft.attribs_json = input.attribs_json ? validAttribs(*input.attribs_json) : "{}";
    auto lists = validListIds(input.lists.value_or(std::vector<sdk::Id>{}));
    auto sub_status = input.preconfirm_subscriptions ? sdk::SubscriptionStatus::Confirmed
                                                     : sdk::SubscriptionStatus::Unconfirmed;
    if (draft.status == sdk::SubscriberStatus::Blocklisted) sub_status = sdk::SubscriptionStatus::Unsubscribed;
    sdk::Subscriber out;
    check(storage_.subscribers().create(draft, lists, sub_status, out));
    publishSubscriber(sdk::hooks::kSubscriberCreated, out);
    if (!input.preconfirm_subscriptions) sendOptin(out, lists);
    return out;
}

sdk::Subscriber SubscriberService::update(sdk::Id id, const SubscriberInput& input, bool partial) {
    if (id < 1) invalid("id: invalid subscriber id");
    sdk::SubscriberDraft draft;
    if (input.email && !trimmed(*input.email).empty()) draft.email = validEmail(*input.email);
    if (input.name) {
        std::string name = validName(*input.name);
        if (!name.empty()) draft.name = name;
    }
    if (input.status && !input.status->empty()) draft.status = parseStatus(*input.status);
    if (input.attribs_json) {
        draft.attribs_json = validAttribs(*input.attribs_json);
    } else if (!partial) {
        draft.attribs_json = "{}";  // listmonk's PUT replaces attribs wholesale
    }
    std::optional<std::vector<sdk::Id>> lists;
    if (input.lists) {
        lists = validListIds(*input.lists);
    } else if (!partial) {
        lists = std::vector<sdk::Id>{};
    }
    auto sub_status = input.preconfirm_subscriptions ? sdk::SubscriptionStatus::Confirmed
                                                     : sdk::SubscriptionStatus::Unconfirmed;
    sdk::Subscriber out;
    check(storage_.subscribers().update(id, draft, lists, sub_status, out));
    publishSubscriber(sdk::hooks::kSubscriberUpdated, out);
    if (!input.preconfirm_subscriptions && lists && !lists->empty()) sendOptin(out, *lists);
    return out;
}

std::size_t SubscriberService::sendOptin(const sdk::Subscriber& subscriber, const std::vector<sdk::Id>& only) {
    if (!settings_.flag("app.send_optin_confirmation") || subscriber.status == sdk::SubscriberStatus::Blocklisted) return 0;
    std::vector<sdk::List> pending;
    for (const auto& membership : subscriber.lists) {
        if (membership.status != sdk::SubscriptionStatus::Unconfirmed || membership.list.optin != sdk::ListOptin::Double)
            continue;
        if (!only.empty() && std::find(only.begin(), only.end(), membership.list.id) == only.end()) continue;
        pending.push_back(membership.list);
    }
    if (pending.empty()) return 0;
    if (!optin_sender_) throw StatusError(sdk::Status::unavailable("opt-in mail: no sender is configured"));
    if (auto st = optin_sender_(subscriber, pending); !st)
        throw StatusError(sdk::Status::unavailable("opt-in mail: " + st.message()));
    return pending.size();
}

std::int64_t SubscriberService::remove(const sdk::SubscriberFilter& filter) {
    std::int64_t affected = 0;
    check(storage_.subscribers().remove(filter, affected));
    if (events_.hasSubscribers(sdk::hooks::kSubscriberDeleted) && !filter.ids.empty()) {
        JsonWriter w;
        w.beginObject().key("ids").beginArray();
        for (auto id : filter.ids) w.value(id);
        w.endArray().endObject();
        events_.publish(sdk::hooks::kSubscriberDeleted, w.take());
    }
    return affected;
}

std::int64_t SubscriberService::blocklist(const sdk::SubscriberFilter& filter) {
    std::int64_t affected = 0;
    check(storage_.subscribers().blocklist(filter, affected));
    return affected;
}

std::int64_t SubscriberService::changeSubscriptions(const sdk::SubscriberFilter& filter,
                                                    const sdk::SubscriptionChange& change) {
    if (change.list_ids.empty()) invalid("target_list_ids: at least one list is required");
    sdk::SubscriptionChange checked = change;
    checked.list_ids = validListIds(change.list_ids);
    std::int64_t affected = 0;
    check(storage_.subscribers().changeSubscriptions(filter, checked, affected));
    return affected;
}

void SubscriberService::publishSubscriber(std::string_view event, const sdk::Subscriber& subscriber) {
    if (!events_.hasSubscribers(event)) return;
    JsonWriter w;
    w.beginObject().key("subscriber");
    writeSubscriber(w, subscriber);
    w.endObject();
    events_.publish(event, w.take());
}

SubscriberExport SubscriberService::exportData(const sdk::Subscriber& s) {
    auto sections = settings_.strings("privacy.exportable");
    auto wants = [&](const char* name) { return std::find(sections.begin(), sections.end(), name) != sections.end(); };
    JsonWriter w;
    w.beginObject();
    if (wants("profile")) {
        w.key("profile").beginArray().beginObject();
        w.key("id").value(s.id).key("uuid").value(s.uuid).key("email").value(s.email).key("name").value(s.name);
        w.key("attribs").raw(s.attribs_json).key("status").value(sdk::toString(s.status));
        w.key("created_at").value(s.created_at).key("updated_at").value(s.updated_at);
        w.endObject().endArray();
    }
    if (wants("subscriptions")) {
        w.key("subscriptions").beginArray();
        for (const auto& m : s.lists) {
            w.beginObject();
            w.key("subscription_status").value(sdk::toString(m.status));
            w.key("name").value(m.list.type == sdk::ListType::Private ? std::string("Private list") : m.list.name);
            w.key("type").value(sdk::toString(m.list.type));
            w.key("created_at").value(m.created_at);
            w.endObject();
        }
        w.endArray();
    }
    std::vector<sdk::CampaignViewCount> views;
    std::vector<sdk::LinkClickCount> clicks;
    if (wants("campaign_views") || wants("link_clicks")) check(storage_.tracking().subscriberActivity(s.id, views, clicks));
    if (wants("campaign_views")) {
        w.key("campaign_views").beginArray();
        for (const auto& v : views)
            w.beginObject().key("campaign").value(v.subject).key("views").value(v.views).endObject();
        w.endArray();
    }
    if (wants("link_clicks")) {
        w.key("link_clicks").beginArray();
        for (const auto& c : clicks) w.beginObject().key("url").value(c.url).key("clicks").value(c.clicks).endObject();
        w.endArray();
    }
    w.key("bounces").beginArray();
    sdk::BounceQuery bq;
    bq.subscriber_id = s.id;
    bq.per_page = 0;
    sdk::BouncePage bounces;
    check(storage_.bounces().query(bq, bounces));
    for (const auto& b : bounces.results) {
        w.beginObject().key("type").value(sdk::toString(b.type)).key("source").value(b.source);
        w.key("campaign").value(b.campaign_name).key("created_at").value(b.created_at).endObject();
    }
    w.endArray();
    w.endObject();
    return {w.take()};
}

}  // namespace tidings::kernel
