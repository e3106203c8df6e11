// The headers that tie a mail to its campaign and subscriber. Bounce processing reads them back
// from returned mail (DSNs, provider webhooks). listmonk's names come first because operators'
// SES/SendGrid configurations, mail filters and bounce tooling key on them; Tidings' own names
// are kept for installations that already match on those.
#pragma once

#include <string>

#include <tidings/sdk/v1/messenger.hpp>

namespace tidings::kernel {

/// Appends X-Listmonk-Campaign / X-Tidings-Campaign (when `campaign_uuid` is not empty) and
/// X-Listmonk-Subscriber / X-Tidings-Subscriber (when `subscriber_uuid` is not empty).
inline void addIdentityHeaders(tidings::sdk::v1::Message& m, const std::string& campaign_uuid, const std::string& subscriber_uuid) {
    if (!campaign_uuid.empty()) {
        m.headers.emplace_back("X-Listmonk-Campaign", campaign_uuid);
        m.headers.emplace_back("X-Tidings-Campaign", campaign_uuid);
    }
    if (!subscriber_uuid.empty()) {
        m.headers.emplace_back("X-Listmonk-Subscriber", subscriber_uuid);
        m.headers.emplace_back("X-Tidings-Subscriber", subscriber_uuid);
    }
}

}  // namespace tidings::kernel
