#include "kernel/core/tx_service.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "kernel/core/campaign_rules.hpp"
#include "kernel/core/email.hpp"
#include "kernel/core/status_error.hpp"
#include "kernel/template/identity_headers.hpp"

namespace tidings::kernel {
namespace {

std::vector<std::pair<std::string, std::string>> headerPairs(const std::string& json) {
    std::vector<std::pair<std::string, std::string>> out;
    auto headers = Poco::JSON::Parser().parse(validHeaders(json)).extract<Poco::JSON::Array::Ptr>();
    for (std::size_t i = 0; headers && i < headers->size(); ++i)
        for (const auto& [name, value] : *headers->getObject(static_cast<unsigned>(i)))
            out.emplace_back(name, value.toString());
    return out;
}

void checkDataObject(const std::string& json) {
    try {
        if (Poco::JSON::Parser().parse(json).type() == typeid(Poco::JSON::Object::Ptr)) return;
    } catch (const Poco::Exception&) {
    }
    invalid("data: must be a JSON object");
}

}  // namespace

TxService::TxService(sdk::Storage& storage, const SettingsService& settings, MessengerLookup messengers)
    : storage_(storage), settings_(settings), messengers_(std::move(messengers)) {}

std::shared_ptr<const TxMessage> TxService::compiled(sdk::Id template_id) {
    sdk::Template t;
    if (sdk::Status st = storage_.templates().get(template_id, t); !st) {
        if (st.code() == sdk::StatusCode::NotFound) invalid("template_id: template " + std::to_string(template_id) + " not found");
        check(st);
    }
    if (t.type != sdk::TemplateType::Tx) invalid("template_id: template " + std::to_string(template_id) + " is not a tx template");
    std::lock_guard lock(mutex_);
    auto& slot = cache_[template_id];
    if (!slot.second || slot.first != t.updated_at) {
        try {
            slot = {t.updated_at, std::make_shared<const TxMessage>(TxMessage::compile(t))};
        } catch (const TemplateError& e) {
            invalid(std::string("template_id: template does not compile: ") + e.what());
        }
    }
    return slot.second;
}

std::vector<sdk::Subscriber> TxService::recipients(const TxRequest& rq, std::vector<std::string>& missing) {
    std::vector<sdk::Subscriber> out;
    if (rq.subscriber_mode != "default" && !rq.subscriber_ids.empty())
        invalid("subscriber_ids: only subscriber_emails can be used in " + rq.subscriber_mode + " mode");
    for (const auto& raw : rq.subscriber_emails) {
        auto email = normaliseEmail(raw);
        if (!email) invalid("subscriber_emails: invalid e-mail address '" + raw + "'");
        sdk::Subscriber s;
        if (rq.subscriber_mode == "external") {
            s.email = *email;
            out.push_back(std::move(s));
            continue;
        }
        sdk::Status st = storage_.subscribers().getByEmail(*email, s);
        if (st) {
            out.push_back(std::move(s));
        } else if (st.code() != sdk::StatusCode::NotFound) {
            check(st);
        } else if (rq.subscriber_mode == "fallback") {
            s.email = *email;
            out.push_back(std::move(s));
        } else {
            missing.push_back(raw);
        }
    }
    for (sdk::Id id : rq.subscriber_ids) {
        sdk::Subscriber s;
        sdk::Status st = storage_.subscribers().get(id, s);
        if (st) out.push_back(std::move(s));
        else if (st.code() == sdk::StatusCode::NotFound) missing.push_back(std::to_string(id));
        else check(st);
    }
    return out;
}

std::vector<std::string> TxService::send(const TxRequest& rq) {
    if (rq.subscriber_mode != "default" && rq.subscriber_mode != "fallback" && rq.subscriber_mode != "external")
        invalid("subscriber_mode: must be one of default, fallback, external");
    if (rq.subscriber_emails.empty() && rq.subscriber_ids.empty())
        invalid("subscriber_emails: give subscriber_emails or subscriber_ids");
    if (!rq.subscriber_emails.empty() && !rq.subscriber_ids.empty())
        invalid("subscriber_ids: give subscriber_emails or subscriber_ids, not both");
    if (rq.template_id < 1) invalid("template_id: required");
    checkDataObject(rq.data_json);
    const auto headers = headerPairs(rq.headers_json);
    const std::string from = validFromEmail(rq.from_email.empty() ? settings_.text("app.from_email") : rq.from_email);
    sdk::Messenger* messenger = messengers_(rq.messenger);
    if (!messenger) invalid("messenger: unknown messenger '" + rq.messenger + "'");
    const auto tx = compiled(rq.template_id);

    std::vector<std::string> missing;
    const auto to = recipients(rq, missing);
    for (const auto& s : to) {
        sdk::Message m;
        m.from = from;
        m.to = {s.email};
        try {
            m.subject = rq.subject.empty() ? tx->renderSubject(s, rq.data_json) : tx->renderText(rq.subject, s, rq.data_json);
            m.body = tx->renderBody(s, rq.data_json);
            if (!rq.altbody.empty()) m.alt_body = tx->renderText(rq.altbody, s, rq.data_json);
        } catch (const TemplateError& e) {
            invalid(std::string("template: ") + e.what());
        }
        m.content_type = rq.content_type == "plain" ? "plain" : "html";
        m.headers = headers;
        addIdentityHeaders(m, "", s.uuid);
        m.attachments = rq.attachments;
        m.subscriber_uuid = s.uuid;
        m.subscriber_email = s.email;
        m.subscriber_name = s.name;
        m.subscriber_attribs_json = s.attribs_json.empty() ? "{}" : s.attribs_json;
        // External recipients have no stored subscriber and so no status.
        if (!s.uuid.empty()) m.subscriber_status = std::string(sdk::toString(s.status));
        if (sdk::Status st = messenger->push(m); !st)
            throw StatusError(sdk::Status::unavailable("messenger: sending to " + s.email + " failed: " + st.message()));
    }
    return missing;
}

}  // namespace tidings::kernel
