#include "kernel/core/subscription_service.hpp"

#include <algorithm>
#include <set>

#include "kernel/core/email.hpp"
#include "kernel/core/json_writer.hpp"
#include "kernel/core/status_error.hpp"
#include "kernel/core/text.hpp"

namespace tidings::kernel {
namespace {

[[noreturn]] void fail(sdk::Status status) { throw StatusError(std::move(status)); }

void publishMembership(EventBus& events, std::string_view event, const sdk::Subscriber& s,
                       const std::vector<std::string>& list_uuids) {
    if (list_uuids.empty() || !events.hasSubscribers(event)) return;
    JsonWriter w;
    w.beginObject().key("subscriber_uuid").value(s.uuid).key("list_uuids").strings(list_uuids).endObject();
    events.publish(event, w.take());
}

}  // namespace

SubscriptionService::SubscriptionService(sdk::Storage& storage, SettingsService& settings,
                                         SubscriberService& subscribers, CapabilityRegistry& registry,
                                         EventBus& events)
    : storage_(storage), settings_(settings), subscribers_(subscribers), registry_(registry), events_(events),
      list_cache_(storage.lists()) {}

std::vector<sdk::List> SubscriptionService::publicLists() {
    sdk::ListQuery q;
    q.type = sdk::ListType::Public;
    q.status = sdk::ListStatus::Active;
    q.order_by = "name";
    q.page.per_page = 0;
    sdk::ListPage page;
    check(storage_.lists().query(q, page));
    return page.results;
}

CaptchaChoice SubscriptionService::captcha() const { return chooseCaptcha(registry_, settings_); }

void SubscriptionService::checkCaptcha(const PublicSubscription& request) {
    sdk::CaptchaProvider* provider = captcha().provider;
    if (!provider) return;
    std::string field(provider->field());
    auto it = std::find_if(request.captcha_fields.begin(), request.captcha_fields.end(),
                           [&](const auto& kv) { return kv.first == field && !kv.second.empty(); });
    if (it == request.captcha_fields.end()) {
        fail(sdk::Status::forbidden("captcha: a CAPTCHA solution is required (field '" + field + "')"));
    }
    check(provider->verify(it->second, request.remote_address));
}

PublicSubscriptionResult SubscriptionService::subscribe(const PublicSubscription& request) {
    if (!settings_.flag("app.enable_public_subscription_page")) {
        fail(sdk::Status::forbidden("public subscription is disabled"));
    }
    if (request.list_uuids.empty()) invalid("list_uuids: at least one list is required");
    std::set<std::string> uuids;
    for (const auto& raw : request.list_uuids) {
        std::string uuid = lowercase(trimmed(raw));
        if (!isUuid(uuid)) invalid("list_uuids: invalid UUID '" + raw + "'");
        uuids.insert(uuid);
    }
    std::string email = subscribers_.validEmail(request.email);
    std::string name = trimmed(request.name);
    if (name.size() > kMaxNameBytes) invalid("name: longer than 2000 bytes");
    if (name.empty()) name = nameFromEmail(email);
    // The CAPTCHA is checked after the cheap validation so that a bot's malformed requests do
    // not cost a round-trip to a verification service, but before anything is written.
    checkCaptcha(request);

    std::vector<sdk::List> lists;
    check(list_cache_.getByUuids({uuids.begin(), uuids.end()}, lists));
    for (const auto& uuid : uuids) {
        auto it = std::find_if(lists.begin(), lists.end(), [&](const sdk::List& l) { return l.uuid == uuid; });
        if (it == lists.end() || it->status != sdk::ListStatus::Active) invalid("list_uuids: unknown list '" + uuid + "'");
        if (it->type != sdk::ListType::Public) invalid("list_uuids: '" + uuid + "' is not a public list");
    }

    std::vector<sdk::ListMembership> memberships;
    for (const auto& list : lists) {
        memberships.push_back({list.id, list.optin == sdk::ListOptin::Double ? sdk::SubscriptionStatus::Unconfirmed
                                                                          : sdk::SubscriptionStatus::Confirmed});
    }
    sdk::SubscriberDraft draft;
    draft.email = email;
    draft.name = name;
    draft.attribs_json = "{}";
    draft.status = sdk::SubscriberStatus::Enabled;

    PublicSubscriptionResult result;
    check(storage_.subscribers().subscribe(draft, memberships, false, result.subscriber, result.created));

    std::vector<sdk::Id> requested;
    std::vector<std::string> confirmed;
    for (const auto& membership : result.subscriber.lists) {
        auto list = std::find_if(lists.begin(), lists.end(), [&](const sdk::List& l) { return l.id == membership.list.id; });
        if (list == lists.end()) continue;
        requested.push_back(list->id);
        if (membership.status == sdk::SubscriptionStatus::Confirmed) confirmed.push_back(list->uuid);
    }
    // The subscription is stored either way; a mail that cannot even be queued is reported so the
    // person can retry (re-subscribing sends the confirmation again).
    try {
        result.has_optin = subscribers_.sendOptin(result.subscriber, requested) > 0;
    } catch (const StatusError& e) {
        fail(sdk::Status::unavailable("could not send the confirmation e-mail: " + e.status().message()));
    }
    if (result.created && events_.hasSubscribers(sdk::hooks::kSubscriberCreated)) {
        JsonWriter w;
        w.beginObject().key("subscriber_uuid").value(result.subscriber.uuid).key("email").value(result.subscriber.email).endObject();
        events_.publish(sdk::hooks::kSubscriberCreated, w.take());
    }
    publishMembership(events_, sdk::hooks::kSubscriptionConfirmed, result.subscriber, confirmed);
    return result;
}

sdk::Subscriber SubscriptionService::subscriberByUuid(const std::string& subscriber_uuid) {
    std::string uuid = lowercase(trimmed(subscriber_uuid));
    if (!isUuid(uuid)) fail(sdk::Status::notFound("subscriber not found"));
    sdk::Subscriber s;
    check(storage_.subscribers().getByUuid(uuid, s));
    return s;
}

std::vector<sdk::Id> SubscriptionService::listIdsByUuid(const sdk::Subscriber& s, const std::vector<std::string>& uuids) {
    std::vector<sdk::Id> ids;
    for (const auto& membership : s.lists) {
        if (uuids.empty() || std::find(uuids.begin(), uuids.end(), membership.list.uuid) != uuids.end()) {
            ids.push_back(membership.list.id);
        }
    }
    return ids;
}

std::pair<sdk::Subscriber, std::vector<sdk::List>> SubscriptionService::pendingOptins(
    const std::string& subscriber_uuid, const std::vector<std::string>& list_uuids) {
    auto s = subscriberByUuid(subscriber_uuid);
    std::vector<sdk::List> pending;
    for (const auto& membership : s.lists) {
        if (membership.status != sdk::SubscriptionStatus::Unconfirmed) continue;
        if (!list_uuids.empty() && std::find(list_uuids.begin(), list_uuids.end(), membership.list.uuid) == list_uuids.end()) {
            continue;
        }
        pending.push_back(membership.list);
    }
    return {s, pending};
}

std::vector<sdk::List> SubscriptionService::confirmOptins(const std::string& subscriber_uuid,
                                                          const std::vector<std::string>& list_uuids,
                                                          const std::string& remote_address) {
    auto [s, pending] = pendingOptins(subscriber_uuid, list_uuids);
    if (pending.empty()) return pending;
    sdk::SubscriptionChange change;
    change.action = sdk::SubscriptionAction::Confirm;
    for (const auto& l : pending) change.list_ids.push_back(l.id);
    if (settings_.flag("privacy.record_optin_ip")) {
        JsonWriter w;
        w.beginObject().key("optin_ip").value(remote_address).endObject();
        change.meta_json = w.take();
    }
    sdk::SubscriberFilter filter;
    filter.ids = {s.id};
    std::int64_t affected = 0;
    check(storage_.subscribers().changeSubscriptions(filter, change, affected));
    std::vector<std::string> uuids;
    for (const auto& l : pending) uuids.push_back(l.uuid);
    publishMembership(events_, sdk::hooks::kSubscriptionConfirmed, s, uuids);
    return pending;
}

void SubscriptionService::unsubscribe(const std::string& subscriber_uuid, const std::vector<std::string>& list_uuids,
                                      bool blocklist) {
    auto s = subscriberByUuid(subscriber_uuid);
    sdk::SubscriberFilter filter;
    filter.ids = {s.id};
    std::int64_t affected = 0;
    std::vector<std::string> unsubscribed;
    if (blocklist) {
        if (!settings_.flag("privacy.allow_blocklist")) fail(sdk::Status::forbidden("blocklisting is disabled"));
        check(storage_.subscribers().blocklist(filter, affected));
        for (const auto& m : s.lists) unsubscribed.push_back(m.list.uuid);
    } else {
        sdk::SubscriptionChange change;
        change.action = sdk::SubscriptionAction::Unsubscribe;
        change.list_ids = listIdsByUuid(s, list_uuids);
        if (change.list_ids.empty()) return;
        check(storage_.subscribers().changeSubscriptions(filter, change, affected));
        for (const auto& m : s.lists) {
            if (std::find(change.list_ids.begin(), change.list_ids.end(), m.list.id) != change.list_ids.end()) {
                unsubscribed.push_back(m.list.uuid);
            }
        }
    }
    publishMembership(events_, sdk::hooks::kSubscriptionUnsubscribed, s, unsubscribed);
}

void SubscriptionService::unsubscribeByCampaign(const std::string& campaign_uuid, const std::string& subscriber_uuid,
                                                bool blocklist) {
    std::vector<std::string> list_uuids;  // empty: every list
    sdk::Campaign campaign;
    sdk::Status st = blocklist ? sdk::Status::notFound("") : storage_.campaigns().getByUuid(campaign_uuid, campaign);
    if (st && !campaign.lists.empty()) {
        auto s = subscriberByUuid(subscriber_uuid);
        for (const auto& m : s.lists) {
            for (const auto& target : campaign.lists) {
                if (target.id == m.list.id) list_uuids.push_back(m.list.uuid);
            }
        }
        if (list_uuids.empty()) return;  // already off every list the campaign went to
    } else if (!st && st.code() != sdk::StatusCode::NotFound && st.code() != sdk::StatusCode::Invalid) {
        check(st);
    }
    unsubscribe(subscriber_uuid, list_uuids, blocklist);
}

void SubscriptionService::savePreferences(const std::string& subscriber_uuid, const std::string& name,
                                          const std::vector<std::string>& keep_list_uuids) {
    if (!settings_.flag("privacy.allow_preferences")) fail(sdk::Status::forbidden("managing preferences is disabled"));
    // Checked before anything is read or written, so a refused form changes nothing: not the
    // name and not the lists it carried.
    std::string clean = trimmed(name);
    if (clean.empty()) invalid("name: is required");
    if (clean.size() > 256) invalid("name: longer than 256 characters");
    auto s = subscriberByUuid(subscriber_uuid);
    if (clean != s.name) {
        SubscriberInput input;
        input.name = clean;
        subscribers_.update(s.id, input, true);
    }
    std::vector<std::string> drop;
    for (const auto& m : s.lists) {
        bool keep = std::find(keep_list_uuids.begin(), keep_list_uuids.end(), m.list.uuid) != keep_list_uuids.end();
        // Preferences only ever unsubscribe; joining lists goes through the opt-in flow.
        if (!keep && m.status != sdk::SubscriptionStatus::Unsubscribed) drop.push_back(m.list.uuid);
    }
    if (!drop.empty()) unsubscribe(subscriber_uuid, drop, false);
}

SubscriberExport SubscriptionService::exportData(const std::string& subscriber_uuid) {
    if (!settings_.flag("privacy.allow_export")) fail(sdk::Status::forbidden("data export is disabled"));
    return subscribers_.exportData(subscriberByUuid(subscriber_uuid));
}

void SubscriptionService::wipe(const std::string& subscriber_uuid) {
    if (!settings_.flag("privacy.allow_wipe")) fail(sdk::Status::forbidden("data wipe is disabled"));
    auto s = subscriberByUuid(subscriber_uuid);
    sdk::SubscriberFilter filter;
    filter.ids = {s.id};
    std::int64_t affected = 0;
    check(storage_.subscribers().remove(filter, affected));
    JsonWriter w;
    w.beginObject().key("ids").beginArray().value(s.id).endArray().endObject();
    events_.publish(sdk::hooks::kSubscriberDeleted, w.take());
}

}  // namespace tidings::kernel
