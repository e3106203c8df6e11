#include "kernel/public/optin_mailer.hpp"

#include "kernel/core/json_writer.hpp"
#include "kernel/template/identity_headers.hpp"

namespace tidings::kernel {

OptinMailer::OptinMailer(SettingsService& settings, CapabilityRegistry& registry, const PageRenderer& templates)
    : settings_(settings), registry_(registry), templates_(templates) {}

sdk::Status OptinMailer::send(const sdk::Subscriber& subscriber, const std::vector<sdk::List>& lists) {
    sdk::Messenger* messenger = registry_.messenger("email");
    if (!messenger) return sdk::Status::unavailable("no e-mail messenger is enabled (add messenger-smtp to [plugins] enabled)");
    const std::string root = settings_.rootUrl();

    std::string optin_url = root + "/subscription/optin/" + subscriber.uuid;
    char sep = '?';
    for (const auto& list : lists) {
        optin_url += sep;
        optin_url += "l=" + list.uuid;
        sep = '&';
    }
    std::string unsubscribe_url = root + "/subscription/" + kNoCampaignUuid + "/" + subscriber.uuid;

    JsonWriter w;
    w.beginObject();
    w.key("Subscriber").beginObject();
    w.key("UUID").value(subscriber.uuid).key("Email").value(subscriber.email).key("Name").value(subscriber.name);
    w.key("Attribs").raw(subscriber.attribs_json);
    w.endObject();
    w.key("Lists").beginArray();
    for (const auto& list : lists) w.beginObject().key("UUID").value(list.uuid).key("Name").value(list.name).endObject();
    w.endArray();
    w.key("OptinURL").value(optin_url);
    w.key("UnsubscribeURL").value(unsubscribe_url);
    w.key("SiteName").value(settings_.text("app.site_name"));
    w.endObject();
    std::string data = w.take();

    sdk::Message message;
    message.from = settings_.text("app.from_email");
    message.to = {subscriber.email};
    message.subject = "Confirm your subscription to " + settings_.text("app.site_name");
    message.content_type = "html";
    try {
        message.body = templates_.render("optin-email.html", data);
        message.alt_body = templates_.render("optin-email.txt", data);
    } catch (const std::exception& e) {
        return sdk::Status::internal(std::string("opt-in template: ") + e.what());
    }
    message.subscriber_uuid = subscriber.uuid;
    message.subscriber_email = subscriber.email;
    message.subscriber_name = subscriber.name;
    addIdentityHeaders(message, "", subscriber.uuid);
    if (settings_.flag("privacy.unsubscribe_header")) {
        message.headers.emplace_back("List-Unsubscribe", "<" + unsubscribe_url + ">");
        message.headers.emplace_back("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
    }
    return messenger->push(message);
}

}  // namespace tidings::kernel
