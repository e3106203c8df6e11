#include "kernel/api/campaign_input.hpp"

#include <sstream>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Stringifier.h>

#include "kernel/http/http_error.hpp"
#include "kernel/http/request_input.hpp"

namespace tidings::kernel {
namespace {

using Poco::Dynamic::Var;

bool isNull(const Poco::JSON::Object& body, const std::string& field) {
    return body.has(field) && body.isNull(field);
}

// listmonk clients send list ids, and some send back the {id, name} objects they read.
std::optional<std::vector<sdk::Id>> idsOrObjects(const Poco::JSON::Object& body, const std::string& field) {
    if (!body.has(field) || body.isNull(field)) return std::nullopt;
    Var v = body.get(field);
    if (v.type() != typeid(Poco::JSON::Array::Ptr)) return optIds(body, field);
    auto array = v.extract<Poco::JSON::Array::Ptr>();
    Poco::JSON::Object flat;
    Poco::JSON::Array::Ptr ids = new Poco::JSON::Array;
    for (std::size_t i = 0; i < array->size(); ++i) {
        Var item = array->get(static_cast<unsigned>(i));
        if (item.type() == typeid(Poco::JSON::Object::Ptr)) {
            auto obj = item.extract<Poco::JSON::Object::Ptr>();
            if (!obj->has("id")) throw HttpError(400, field + ": each item needs an id");
            ids->add(obj->get("id"));
        } else {
            ids->add(item);
        }
    }
    flat.set(field, ids);
    return optIds(flat, field);
}

// `headers` arrives as a JSON array (JSON bodies) or as its text (form bodies).
std::optional<std::string> headersJson(const Poco::JSON::Object& body) {
    if (!body.has("headers")) return std::nullopt;
    if (body.isNull("headers")) return std::string("[]");
    Var v = body.get("headers");
    if (v.isString()) return v.extract<std::string>();
    std::ostringstream out;
    Poco::JSON::Stringifier::stringify(v, out);
    return out.str();
}

// An id field where null or 0 means "none".
std::optional<sdk::Id> optionalId(const Poco::JSON::Object& body, const std::string& field) {
    if (isNull(body, field)) return sdk::Id{0};
    auto id = optInt(body, field);
    if (id && *id < 0) throw HttpError(400, field + ": must be a positive id");
    return id;
}

}  // namespace

CampaignInput campaignInput(const Poco::JSON::Object& body) {
    CampaignInput in;
    in.name = optString(body, "name");
    in.subject = optString(body, "subject");
    in.from_email = optString(body, "from_email");
    in.body = optString(body, "body");
    in.body_source = optString(body, "body_source");
    in.altbody = optString(body, "altbody");
    in.content_type = optString(body, "content_type");
    in.type = optString(body, "type");
    in.messenger = optString(body, "messenger");
    in.send_at = isNull(body, "send_at") ? std::optional<std::string>("") : optString(body, "send_at");
    in.tags = optStrings(body, "tags");
    in.headers_json = headersJson(body);
    in.attribs_json = optObjectJson(body, "attribs");
    in.lists = idsOrObjects(body, "lists");
    in.template_id = optionalId(body, "template_id");
    in.archive = optBool(body, "archive");
    in.archive_slug = isNull(body, "archive_slug") ? std::optional<std::string>("") : optString(body, "archive_slug");
    in.archive_template_id = optionalId(body, "archive_template_id");
    in.archive_meta_json = optObjectJson(body, "archive_meta");
    in.segment = optString(body, "segment");
    in.media = idsOrObjects(body, "media");
    return in;
}

}  // namespace tidings::kernel
