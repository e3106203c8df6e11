#include "kernel/core/model_json.hpp"

namespace tidings::kernel {

namespace sdk = tidings::sdk::v1;

namespace {

void writeListFields(JsonWriter& w, const sdk::List& list) {
    w.key("id").value(list.id);
    w.key("uuid").value(list.uuid);
    w.key("name").value(list.name);
    w.key("type").value(sdk::toString(list.type));
    w.key("optin").value(sdk::toString(list.optin));
    w.key("status").value(sdk::toString(list.status));
    w.key("tags").strings(list.tags);
    w.key("description").value(list.description);
}

}  // namespace

void writeList(JsonWriter& w, const sdk::List& list) {
    w.beginObject();
    writeListFields(w, list);
    w.key("subscriber_count").value(list.subscriber_count);
    w.key("subscriber_statuses").beginObject();
    w.key("unconfirmed").value(list.subscription_counts.unconfirmed);
    w.key("confirmed").value(list.subscription_counts.confirmed);
    w.key("unsubscribed").value(list.subscription_counts.unsubscribed);
    w.endObject();
    w.key("created_at").value(list.created_at);
    w.key("updated_at").value(list.updated_at);
    w.endObject();
}

void writeSubscriber(JsonWriter& w, const sdk::Subscriber& s) {
    w.beginObject();
    w.key("id").value(s.id);
    w.key("uuid").value(s.uuid);
    w.key("email").value(s.email);
    w.key("name").value(s.name);
    w.key("attribs").raw(s.attribs_json.empty() ? "{}" : s.attribs_json);
    w.key("status").value(sdk::toString(s.status));
    w.key("lists").beginArray();
    for (const auto& sub : s.lists) {
        w.beginObject();
        w.key("subscription_status").value(sdk::toString(sub.status));
        w.key("subscription_created_at").value(sub.created_at);
        w.key("subscription_updated_at").value(sub.updated_at);
        w.key("subscription_meta").raw(sub.meta_json.empty() ? "{}" : sub.meta_json);
        writeListFields(w, sub.list);
        w.key("created_at").value(sub.list.created_at);
        w.key("updated_at").value(sub.list.updated_at);
        w.endObject();
    }
    w.endArray();
    w.key("created_at").value(s.created_at);
    w.key("updated_at").value(s.updated_at);
    w.endObject();
}

void writeRole(JsonWriter& w, const sdk::Role& role) {
    w.beginObject();
    w.key("id").value(role.id);
    w.key("name").value(role.name);
    w.key("permissions").strings(role.permissions);
    w.key("created_at").value(role.created_at);
    w.key("updated_at").value(role.updated_at);
    w.endObject();
}

void writeUser(JsonWriter& w, const sdk::User& u) {
    w.beginObject();
    w.key("id").value(u.id);
    w.key("username").value(u.username);
    w.key("password_login").value(u.password_login);
    w.key("email").value(u.email);
    w.key("name").value(u.name);
    w.key("type").value(sdk::toString(u.type));
    w.key("status").value(sdk::toString(u.status));
    w.key("avatar").null();
    w.key("twofa_type").value("none");
    w.key("loggedin_at").value(u.loggedin_at);
    w.key("user_role");
    writeRole(w, u.role);
    w.key("list_role").null();
    w.key("created_at").value(u.created_at);
    w.key("updated_at").value(u.updated_at);
    w.endObject();
}

}  // namespace tidings::kernel
