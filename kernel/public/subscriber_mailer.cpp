#include "kernel/public/subscriber_mailer.hpp"

#include "kernel/core/json_writer.hpp"
#include "kernel/core/status_error.hpp"
#include "kernel/template/identity_headers.hpp"

namespace tidings::kernel {

SubscriberMailer::SubscriberMailer(SettingsService& settings, MailQueue& mail, const PageRenderer& templates)
    : settings_(settings), mail_(mail), templates_(templates) {}

sdk::Status SubscriberMailer::sendOptin(const sdk::Subscriber& subscriber, const std::vector<sdk::List>& lists) {
    const std::string root = settings_.rootUrl();
    std::string optin_url = root + "/subscription/optin/" + subscriber.uuid;
    char sep = '?';
    for (const auto& list : lists) {
        optin_url += sep;
        optin_url += "l=" + list.uuid;
        sep = '&';
    }
    JsonWriter w;
    beginData(w, subscriber);
    w.key("Lists").beginArray();
    for (const auto& list : lists) w.beginObject().key("UUID").value(list.uuid).key("Name").value(list.name).endObject();
    w.endArray();
    w.key("OptinURL").value(optin_url);
    w.endObject();
    return queue(subscriber, "Confirm your subscription to " + settings_.text("app.site_name"), "optin-email", w.take(), {});
}

sdk::Status SubscriberMailer::sendData(const sdk::Subscriber& subscriber, const std::string& data_json) {
    JsonWriter w;
    beginData(w, subscriber);
    w.endObject();
    sdk::Attachment attachment{"data.json", "application/json", data_json};
    return queue(subscriber, "Your data on " + settings_.text("app.site_name"), "data-email", w.take(), {attachment});
}

void SubscriberMailer::beginData(JsonWriter& w, const sdk::Subscriber& subscriber) const {
    w.beginObject();
    w.key("Subscriber").beginObject();
    w.key("UUID").value(subscriber.uuid).key("Email").value(subscriber.email).key("Name").value(subscriber.name);
    w.key("Attribs").raw(subscriber.attribs_json.empty() ? "{}" : subscriber.attribs_json);
    w.endObject();
    w.key("UnsubscribeURL").value(unsubscribeUrl(subscriber));
    w.key("SiteName").value(settings_.text("app.site_name"));
}

std::string SubscriberMailer::unsubscribeUrl(const sdk::Subscriber& subscriber) const {
    return settings_.rootUrl() + "/subscription/" + kNoCampaignUuid + "/" + subscriber.uuid;
}

sdk::Status SubscriberMailer::queue(const sdk::Subscriber& subscriber, std::string subject, const std::string& tpl,
                                    const std::string& data, std::vector<sdk::Attachment> attachments) {
    sdk::Message message;
    message.from = settings_.text("app.from_email");
    message.to = {subscriber.email};
    message.subject = std::move(subject);
    message.content_type = "html";
    try {
        message.body = templates_.render(tpl + ".html", data);
        message.alt_body = templates_.render(tpl + ".txt", data);
    } catch (const std::exception& e) {
        return sdk::Status::internal(tpl + " template: " + e.what());
    }
    message.attachments = std::move(attachments);
    message.subscriber_uuid = subscriber.uuid;
    message.subscriber_email = subscriber.email;
    message.subscriber_name = subscriber.name;
    addIdentityHeaders(message, "", subscriber.uuid);
    if (settings_.flag("privacy.unsubscribe_header")) {
        message.headers.emplace_back("List-Unsubscribe", "<" + unsubscribeUrl(subscriber) + ">");
        message.headers.emplace_back("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
    }
    try {
        mail_.enqueue(message);
    } catch (const StatusError& e) {
        return e.status();
    }
    return {};
}

}  // namespace tidings::kernel
