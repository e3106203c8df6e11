#include "kernel/core/message_codec.hpp"

#include <sstream>

#include <Poco/Base64Decoder.h>
#include <Poco/Base64Encoder.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "kernel/core/json_writer.hpp"
#include "kernel/core/status_error.hpp"

namespace tidings::kernel {
namespace {

std::string base64(const std::string& bytes) {
    std::ostringstream out;
    Poco::Base64Encoder encoder(out);
    encoder.rdbuf()->setLineLength(0);
    encoder << bytes;
    encoder.close();
    return out.str();
}

std::string unbase64(const std::string& text) {
    std::istringstream in(text);
    Poco::Base64Decoder decoder(in);
    std::ostringstream out;
    out << decoder.rdbuf();
    return out.str();
}

std::string text(const Poco::JSON::Object& o, const char* key) { return o.optValue<std::string>(key, ""); }

}  // namespace

std::string encodeMessage(const sdk::Message& m) {
    JsonWriter w;
    w.beginObject();
    w.key("from").value(m.from).key("to").strings(m.to).key("subject").value(m.subject);
    w.key("content_type").value(m.content_type).key("body").value(m.body).key("alt_body").value(m.alt_body);
    w.key("headers").beginArray();
    for (const auto& [name, value] : m.headers) w.beginArray().value(name).value(value).endArray();
    w.endArray();
    w.key("attachments").beginArray();
    for (const auto& a : m.attachments) {
        w.beginObject().key("name").value(a.name).key("content_type").value(a.content_type);
        w.key("content").value(base64(a.content)).endObject();
    }
    w.endArray();
    w.key("campaign_uuid").value(m.campaign_uuid).key("campaign_name").value(m.campaign_name);
    w.key("campaign_tags").strings(m.campaign_tags).key("campaign_headers").raw(m.campaign_headers_json);
    w.key("subscriber_uuid").value(m.subscriber_uuid).key("subscriber_email").value(m.subscriber_email);
    w.key("subscriber_name").value(m.subscriber_name).key("subscriber_attribs").raw(m.subscriber_attribs_json);
    w.key("subscriber_status").value(m.subscriber_status);
    w.endObject();
    return w.take();
}

sdk::Message decodeMessage(const std::string& json) {
    try {
        const auto o = Poco::JSON::Parser().parse(json).extract<Poco::JSON::Object::Ptr>();
        if (!o) throw StatusError(sdk::Status::invalid("message: not a JSON object"));
        sdk::Message m;
        m.from = text(*o, "from");
        m.subject = text(*o, "subject");
        m.content_type = text(*o, "content_type");
        m.body = text(*o, "body");
        m.alt_body = text(*o, "alt_body");
        if (auto to = o->getArray("to"))
            for (const auto& v : *to) m.to.push_back(v.toString());
        if (auto headers = o->getArray("headers"))
            for (unsigned i = 0; i < headers->size(); ++i) {
                auto pair = headers->getArray(i);
                if (pair && pair->size() == 2) m.headers.emplace_back(pair->getElement<std::string>(0), pair->getElement<std::string>(1));
            }
        if (auto attachments = o->getArray("attachments"))
            for (unsigned i = 0; i < attachments->size(); ++i) {
                auto a = attachments->getObject(i);
                if (a) m.attachments.push_back({text(*a, "name"), text(*a, "content_type"), unbase64(text(*a, "content"))});
            }
        m.campaign_uuid = text(*o, "campaign_uuid");
        m.campaign_name = text(*o, "campaign_name");
        if (auto tags = o->getArray("campaign_tags"))
            for (const auto& v : *tags) m.campaign_tags.push_back(v.toString());
        std::ostringstream headers_json, attribs_json;
        if (auto h = o->getArray("campaign_headers")) h->stringify(headers_json);
        if (auto a = o->getObject("subscriber_attribs")) a->stringify(attribs_json);
        m.campaign_headers_json = headers_json.str().empty() ? "[]" : headers_json.str();
        m.subscriber_attribs_json = attribs_json.str().empty() ? "{}" : attribs_json.str();
        m.subscriber_uuid = text(*o, "subscriber_uuid");
        m.subscriber_email = text(*o, "subscriber_email");
        m.subscriber_name = text(*o, "subscriber_name");
        m.subscriber_status = text(*o, "subscriber_status");
        return m;
    } catch (const Poco::Exception& e) {
        throw StatusError(sdk::Status::invalid("message: " + e.displayText()));
    }
}

}  // namespace tidings::kernel
