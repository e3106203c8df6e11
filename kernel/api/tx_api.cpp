#include "kernel/api/tx_api.hpp"

#include <fstream>
#include <iterator>
#include <sstream>

#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include "kernel/core/status_error.hpp"
#include "kernel/http/handler_support.hpp"
#include "kernel/http/http_error.hpp"
#include "kernel/http/request_input.hpp"

namespace tidings::kernel {
namespace {

// Attachments live in memory while the messages are built; the upload limit bounds them.
constexpr std::uint64_t kMaxAttachmentBytes = 25 * 1024 * 1024;
// A JSON request without attachments; anything larger belongs in a multipart upload.
constexpr std::size_t kMaxJsonBytes = 4 * 1024 * 1024;

std::string jsonText(const Poco::Dynamic::Var& v) {
    std::ostringstream out;
    Poco::JSON::Stringifier::stringify(v, out);
    return out.str();
}

Poco::JSON::Object::Ptr parseObject(const std::string& text) {
    try {
        auto v = Poco::JSON::Parser().parse(text);
        if (v.type() == typeid(Poco::JSON::Object::Ptr)) return v.extract<Poco::JSON::Object::Ptr>();
    } catch (const Poco::Exception&) {
    }
    throw HttpError(400, "body: must be a JSON object");
}

std::vector<std::string> stringList(const Poco::JSON::Object& o, const std::string& name) {
    std::vector<std::string> out;
    if (!o.has(name) || o.isNull(name)) return out;
    auto a = o.getArray(name);
    if (!a) throw HttpError(400, name + ": must be an array of strings");
    for (std::size_t i = 0; i < a->size(); ++i) {
        const auto v = a->get(static_cast<unsigned>(i));
        if (!v.isString()) throw HttpError(400, name + ": must be an array of strings");
        out.push_back(v.extract<std::string>());
    }
    return out;
}

std::vector<sdk::Id> idList(const Poco::JSON::Object& o, const std::string& name) {
    std::vector<sdk::Id> out;
    if (!o.has(name) || o.isNull(name)) return out;
    auto a = o.getArray(name);
    if (!a) throw HttpError(400, name + ": must be an array of ids");
    for (std::size_t i = 0; i < a->size(); ++i) {
        const auto v = a->get(static_cast<unsigned>(i));
        if (!v.isInteger() || v.convert<std::int64_t>() < 1) throw HttpError(400, name + ": must be an array of ids");
        out.push_back(v.convert<std::int64_t>());
    }
    return out;
}

TxRequest txRequest(const Poco::JSON::Object& o) {
    TxRequest rq;
    rq.subscriber_mode = optString(o, "subscriber_mode").value_or("default");
    rq.subscriber_emails = stringList(o, "subscriber_emails");
    rq.subscriber_ids = idList(o, "subscriber_ids");
    // The deprecated singular fields add to the lists, but not both forms of one field.
    if (auto one = optString(o, "subscriber_email"); one && !one->empty()) {
        if (!rq.subscriber_emails.empty()) throw HttpError(400, "subscriber_email: give subscriber_email or subscriber_emails, not both");
        rq.subscriber_emails.push_back(*one);
    }
    if (auto one = optInt(o, "subscriber_id"); one && *one != 0) {
        if (!rq.subscriber_ids.empty()) throw HttpError(400, "subscriber_id: give subscriber_id or subscriber_ids, not both");
        rq.subscriber_ids.push_back(*one);
    }
    rq.template_id = optInt(o, "template_id").value_or(0);
    rq.from_email = optString(o, "from_email").value_or("");
    rq.subject = optString(o, "subject").value_or("");
    if (o.has("data") && !o.isNull("data")) rq.data_json = jsonText(o.get("data"));
    if (o.has("headers") && !o.isNull("headers")) rq.headers_json = jsonText(o.get("headers"));
    rq.messenger = optString(o, "messenger").value_or("email");
    if (rq.messenger.empty()) rq.messenger = "email";
    rq.content_type = optString(o, "content_type").value_or("html");
    rq.altbody = optString(o, "altbody").value_or("");
    return rq;
}

sdk::Attachment attachment(const UploadedFile& f) {
    if (f.size > kMaxAttachmentBytes)
        throw HttpError(413, "file: attachments are limited to " + std::to_string(kMaxAttachmentBytes) + " bytes each");
    std::ifstream in(f.file.path(), std::ios::binary);
    sdk::Attachment a;
    a.name = f.filename.empty() ? std::string("attachment") : f.filename;
    a.content_type = f.content_type;
    a.content.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    return a;
}

void sendTx(TxService& tx, const MultipartLimits& limits, const sdk::Request& request, std::istream& body,
            sdk::Response& response) {
    const std::string type(request.header("content-type").value_or(""));
    TxRequest rq;
    if (type.rfind("multipart/form-data", 0) == 0) {
        MultipartBody form = readMultipart(request, body, limits);
        const std::string* data = form.field("data");
        if (!data) throw HttpError(400, "data: the multipart form needs a 'data' field holding the JSON request");
        rq = txRequest(*parseObject(*data));
        for (const auto& f : form.files) rq.attachments.push_back(attachment(f));
    } else {
        std::string text;
        char chunk[16384];
        while (body.read(chunk, sizeof chunk) || body.gcount() > 0) {
            text.append(chunk, static_cast<std::size_t>(body.gcount()));
            if (text.size() > kMaxJsonBytes) throw HttpError(413, "body: larger than " + std::to_string(kMaxJsonBytes) + " bytes");
        }
        rq = txRequest(*parseObject(text));
    }
    try {
        const auto missing = tx.send(rq);
        if (!missing.empty()) {
            std::string list;
            for (const auto& m : missing) list += (list.empty() ? "" : ", ") + m;
            throw HttpError(400, "subscribers not found: " + list);
        }
    } catch (const StatusError& e) {
        throwIfError(e.status());
    }
    sendTrue(response);
}

}  // namespace

void addTxRoutes(Router& router, TxService& tx, const MultipartLimits& limits) {
    throwIfError(router.addUpload(authed("POST", "/api/tx", "tx:send"),
                                  [&tx, &limits](const sdk::Request& rq, std::istream& body, sdk::Response& rs) {
                                      sendTx(tx, limits, rq, body, rs);
                                  },
                                  "kernel"));
}

}  // namespace tidings::kernel
