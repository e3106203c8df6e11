#include "rows.hpp"

#include <cctype>
#include <unordered_map>

#include <tidings/sdk/v1/bounce_store.hpp>
#include <tidings/sdk/v1/campaign.hpp>
#include <tidings/sdk/v1/outbox.hpp>

#include "errors.hpp"

namespace tidings::storage_pg {

template <typename Enum>
Enum enumFrom(std::string_view text) {
    if (auto v = sdk::parseEnum<Enum>(text)) return *v;
    throw StatusError(sdk::Status::internal("storage-postgres: unexpected value '" +
                                            std::string(text) + "' in database"));
}
template sdk::SubscriberStatus enumFrom<sdk::SubscriberStatus>(std::string_view);
template sdk::SubscriptionStatus enumFrom<sdk::SubscriptionStatus>(std::string_view);
template sdk::ListType enumFrom<sdk::ListType>(std::string_view);
template sdk::ListOptin enumFrom<sdk::ListOptin>(std::string_view);
template sdk::ListStatus enumFrom<sdk::ListStatus>(std::string_view);
template sdk::UserType enumFrom<sdk::UserType>(std::string_view);
template sdk::UserStatus enumFrom<sdk::UserStatus>(std::string_view);
template sdk::CampaignStatus enumFrom<sdk::CampaignStatus>(std::string_view);
template sdk::CampaignType enumFrom<sdk::CampaignType>(std::string_view);
template sdk::ContentType enumFrom<sdk::ContentType>(std::string_view);
template sdk::TemplateType enumFrom<sdk::TemplateType>(std::string_view);
template sdk::DeliveryStatus enumFrom<sdk::DeliveryStatus>(std::string_view);
template sdk::BounceType enumFrom<sdk::BounceType>(std::string_view);
template sdk::OutboxStatus enumFrom<sdk::OutboxStatus>(std::string_view);

std::optional<std::string> uuidParam(std::string_view text) {
    if (text.size() != 36) return std::nullopt;
    std::string out(text);
    for (std::size_t i = 0; i < out.size(); ++i) {
        const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        const char c = out[i];
        if (dash ? c != '-' : !std::isxdigit(static_cast<unsigned char>(c))) return std::nullopt;
        out[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return out;
}

const std::string& subscriberColumns() {
    static const std::string cols =
        "subscribers.id, subscribers.uuid::text, subscribers.email, subscribers.name,"
        " subscribers.attribs::text, subscribers.status, " +
        us("subscribers.created_at") + ", " + us("subscribers.updated_at");
    return cols;
}

sdk::Subscriber readSubscriber(const Result& r, int i) {
    sdk::Subscriber s;
    s.id = r.int64(i, 0);
    s.uuid = r.str(i, 1);
    s.email = r.str(i, 2);
    s.name = r.str(i, 3);
    s.attribs_json = r.str(i, 4);
    s.status = enumFrom<sdk::SubscriberStatus>(r.text(i, 5));
    s.created_at = r.timestamp(i, 6);
    s.updated_at = r.timestamp(i, 7);
    return s;
}

const std::string& listColumns() {
    static const std::string cols =
        "lists.id, lists.uuid::text, lists.name, lists.type, lists.optin, lists.status,"
        " lists.tags, lists.description, " +
        us("lists.created_at") + ", " + us("lists.updated_at");
    return cols;
}

sdk::List readList(const Result& r, int i, int c) {
    sdk::List l;
    l.id = r.int64(i, c + 0);
    l.uuid = r.str(i, c + 1);
    l.name = r.str(i, c + 2);
    l.type = enumFrom<sdk::ListType>(r.text(i, c + 3));
    l.optin = enumFrom<sdk::ListOptin>(r.text(i, c + 4));
    l.status = enumFrom<sdk::ListStatus>(r.text(i, c + 5));
    l.tags = r.textArray(i, c + 6);
    l.description = r.str(i, c + 7);
    l.created_at = r.timestamp(i, c + 8);
    l.updated_at = r.timestamp(i, c + 9);
    return l;
}

const std::string& roleColumns() {
    static const std::string cols = "roles.id, roles.name, roles.permissions, " +
                                    us("roles.created_at") + ", " + us("roles.updated_at");
    return cols;
}

sdk::Role readRole(const Result& r, int i, int c) {
    sdk::Role role;
    role.id = r.int64(i, c + 0);
    role.name = r.str(i, c + 1);
    role.permissions = r.textArray(i, c + 2);
    role.created_at = r.timestamp(i, c + 3);
    role.updated_at = r.timestamp(i, c + 4);
    return role;
}

const std::string& userColumns() {
    static const std::string cols =
        "users.id, users.username, users.email, users.name, users.type, users.status,"
        " users.password_login, users.credential_hash, " +
        us("users.loggedin_at") + ", " + us("users.created_at") + ", " + us("users.updated_at") +
        ", " + roleColumns();
    return cols;
}

sdk::User readUser(const Result& r, int i) {
    sdk::User u;
    u.id = r.int64(i, 0);
    u.username = r.str(i, 1);
    u.email = r.str(i, 2);
    u.name = r.str(i, 3);
    u.type = enumFrom<sdk::UserType>(r.text(i, 4));
    u.status = enumFrom<sdk::UserStatus>(r.text(i, 5));
    u.password_login = r.boolean(i, 6);
    u.credential_hash = r.str(i, 7);
    if (!r.isNull(i, 8)) u.loggedin_at = r.timestamp(i, 8);
    u.created_at = r.timestamp(i, 9);
    u.updated_at = r.timestamp(i, 10);
    u.role = readRole(r, i, 11);
    return u;
}

void loadMemberships(Lease& lease, std::vector<sdk::Subscriber>& subscribers) {
    if (subscribers.empty()) return;
    std::vector<sdk::Id> ids;
    std::unordered_map<sdk::Id, sdk::Subscriber*> by_id;
    ids.reserve(subscribers.size());
    for (auto& s : subscribers) {
        ids.push_back(s.id);
        by_id[s.id] = &s;
        s.lists.clear();
    }
    Params p;
    p.add(bigintArray(ids));
    static const std::string sql =
        "SELECT sl.subscriber_id, sl.status, sl.meta::text, " + us("sl.created_at") + ", " +
        us("sl.updated_at") + ", " + listColumns() +
        " FROM subscriber_lists sl JOIN lists ON lists.id = sl.list_id"
        " WHERE sl.subscriber_id = ANY($1::int8[]) ORDER BY sl.subscriber_id, lists.id";
    Result r = lease.execPrepared("memberships_of", sql, p);
    for (int i = 0; i < r.rows(); ++i) {
        sdk::Subscription sub;
        sub.status = enumFrom<sdk::SubscriptionStatus>(r.text(i, 1));
        sub.meta_json = r.str(i, 2);
        sub.created_at = r.timestamp(i, 3);
        sub.updated_at = r.timestamp(i, 4);
        sub.list = readList(r, i, 5);
        by_id.at(r.int64(i, 0))->lists.push_back(std::move(sub));
    }
}

}  // namespace tidings::storage_pg
