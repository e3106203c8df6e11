// The mails Tidings sends a subscriber outside campaigns — the double opt-in confirmation and
// the data export — composed from web/templates and queued for sending (see mail_queue.hpp).
#pragma once

#include <vector>

#include <tidings/sdk/v1/model.hpp>
#include <tidings/sdk/v1/status.hpp>

#include "kernel/core/settings_service.hpp"
#include "kernel/core/json_writer.hpp"
#include "kernel/core/mail_queue.hpp"
#include "kernel/public/page_renderer.hpp"

namespace tidings::kernel {

namespace sdk = tidings::sdk::v1;

/// The campaign UUID used in links of mails that belong to no campaign (opt-in mails), as in
/// listmonk; the manage page treats it as "all lists".
inline constexpr const char* kNoCampaignUuid = "00000000-0000-0000-0000-000000000000";

class SubscriberMailer {
public:
    SubscriberMailer(SettingsService& settings, MailQueue& mail, const PageRenderer& templates);

    /// Queues the confirmation mail for `lists` for the "email" messenger; not ok only when it
    /// could not be composed or stored.
    sdk::Status sendOptin(const sdk::Subscriber& subscriber, const std::vector<sdk::List>& lists);

    /// Queues the subscriber's exported data (listmonk's shape) as a data.json attachment.
    sdk::Status sendData(const sdk::Subscriber& subscriber, const std::string& data_json);

private:
    /// Opens the template data every such mail gets: Subscriber, UnsubscribeURL, SiteName.
    void beginData(JsonWriter& w, const sdk::Subscriber& subscriber) const;
    std::string unsubscribeUrl(const sdk::Subscriber& subscriber) const;
    /// Renders `tpl`.html and `tpl`.txt with `data` and queues the mail.
    sdk::Status queue(const sdk::Subscriber& subscriber, std::string subject, const std::string& tpl,
                      const std::string& data, std::vector<sdk::Attachment> attachments);

    SettingsService& settings_;
    MailQueue& mail_;
    const PageRenderer& templates_;
};

}  // namespace tidings::kernel
