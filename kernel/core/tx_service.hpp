// Transactional mail (listmonk's POST /api/tx): one template rendered per recipient with the
// request's data and sent at once through the chosen messenger. Compiled templates are cached
// per (id, updated_at), so a burst of sends compiles a template once and an edit takes effect
// on the next send.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <tidings/sdk/v1/messenger.hpp>
#include <tidings/sdk/v1/storage.hpp>

#include "kernel/core/settings_service.hpp"
#include "kernel/template/tx_message.hpp"

namespace tidings::kernel {

namespace sdk = tidings::sdk::v1;

/// A validated-on-send transactional request; fields as listmonk names them.
struct TxRequest {
    /// default: recipients must exist; fallback: unknown e-mails get a subscriber with only the
    /// address; external: no lookup at all (e-mails only).
    std::string subscriber_mode = "default";
    std::vector<std::string> subscriber_emails;
    std::vector<sdk::Id> subscriber_ids;
    sdk::Id template_id = 0;
    std::string from_email;    ///< Empty: app.from_email.
    std::string subject;       ///< Empty: the template's subject. May hold template actions.
    std::string data_json = "{}";
    std::string headers_json = "[]";
    std::string messenger = "email";
    std::string content_type = "html";
    std::string altbody;
    std::vector<sdk::Attachment> attachments;
};

class TxService {
public:
    using MessengerLookup = std::function<sdk::Messenger*(std::string_view)>;

    TxService(sdk::Storage& storage, const SettingsService& settings, MessengerLookup messengers);

    /// Renders and sends one message per recipient. Invalid naming the field for a bad request
    /// (no recipients, unknown template or messenger, bad data or headers) before anything is
    /// sent; Unavailable when the messenger refuses a message. In default mode, recipients that
    /// do not exist are skipped and returned, after the others were sent.
    std::vector<std::string> send(const TxRequest& request);

private:
    std::shared_ptr<const TxMessage> compiled(sdk::Id template_id);
    std::vector<sdk::Subscriber> recipients(const TxRequest& request, std::vector<std::string>& missing);

    sdk::Storage& storage_;
    const SettingsService& settings_;
    MessengerLookup messengers_;
    std::mutex mutex_;
    /// template id -> (updated_at, compiled)
    std::map<sdk::Id, std::pair<sdk::Timestamp, std::shared_ptr<const TxMessage>>> cache_;
};

}  // namespace tidings::kernel
