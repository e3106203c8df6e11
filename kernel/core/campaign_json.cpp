#include "kernel/core/campaign_json.hpp"

namespace tidings::kernel {

namespace {

// listmonk stores these as nullable columns and prints an unset one as null, not "".
void textOrNull(JsonWriter& w, const std::string& text) {
    if (text.empty()) {
        w.null();
    } else {
        w.value(text);
    }
}

}  // namespace

void writeTemplate(JsonWriter& w, const sdk::Template& t) {
    w.beginObject();
    w.key("id").value(t.id);
    w.key("name").value(t.name);
    w.key("type").value(sdk::toString(t.type));
    w.key("subject").value(t.subject);
    w.key("body").value(t.body);
    w.key("body_source");
    textOrNull(w, t.body_source);
    w.key("is_default").value(t.is_default);
    w.key("created_at").value(t.created_at);
    w.key("updated_at").value(t.updated_at);
    w.endObject();
}

void writeCampaign(JsonWriter& w, const sdk::Campaign& c) {
    w.beginObject();
    w.key("id").value(c.id);
    w.key("uuid").value(c.uuid);
    w.key("type").value(sdk::toString(c.type));
    w.key("name").value(c.name);
    w.key("subject").value(c.subject);
    w.key("from_email").value(c.from_email);
    w.key("body").value(c.body);
    w.key("body_source");
    textOrNull(w, c.body_source);
    w.key("altbody");
    textOrNull(w, c.altbody);
    w.key("send_at");
    w.value(c.send_at);
    w.key("status").value(sdk::toString(c.status));
    w.key("content_type").value(sdk::toString(c.content_type));
    w.key("tags").strings(c.tags);
    w.key("headers").raw(c.headers_json.empty() ? "[]" : c.headers_json);
    w.key("attribs").raw(c.attribs_json.empty() ? "{}" : c.attribs_json);
    w.key("template_id");
    w.value(c.template_id);
    w.key("messenger").value(c.messenger);
    w.key("archive").value(c.archive);
    w.key("archive_slug");
    w.value(c.archive_slug);
    w.key("archive_template_id");
    w.value(c.archive_template_id);
    w.key("archive_meta").raw(c.archive_meta_json.empty() ? "{}" : c.archive_meta_json);
    w.key("segment").value(c.segment);
    w.key("views").value(c.views);
    w.key("clicks").value(c.clicks);
    w.key("bounces").value(c.bounces);
    w.key("lists").beginArray();
    for (const auto& l : c.lists) {
        w.beginObject();
        w.key("id");
        // A list deleted since keeps its name on the campaign; listmonk shows its id as null.
        if (l.id > 0) {
            w.value(l.id);
        } else {
            w.null();
        }
        w.key("name").value(l.name);
        w.endObject();
    }
    w.endArray();
    // Attachments are not supported yet; listmonk clients expect the key.
    w.key("media").beginArray().endArray();
    w.key("started_at");
    w.value(c.started_at);
    w.key("to_send").value(c.to_send);
    w.key("sent").value(c.sent);
    w.key("failed").value(c.failed);
    w.key("created_at").value(c.created_at);
    w.key("updated_at").value(c.updated_at);
    w.endObject();
}

void writeDelivery(JsonWriter& w, const sdk::DeliveryRecord& d) {
    w.beginObject();
    w.key("subscriber_id").value(d.subscriber_id);
    w.key("email").value(d.email);
    w.key("status").value(sdk::toString(d.status));
    w.key("error").value(d.error);
    w.key("attempts").value(static_cast<std::int64_t>(d.attempts));
    w.key("updated_at").value(d.updated_at);
    w.endObject();
}

}  // namespace tidings::kernel
