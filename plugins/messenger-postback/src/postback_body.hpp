// listmonk's postback JSON for one message.
//
//   {"subject", "from_email", "content_type", "body", "headers": [{"K": "V"}],
//    "recipients": [{"uuid", "email", "name", "attribs", "status"}],
//    "campaign": {"from_email", "uuid", "name", "headers", "tags"} | null,
//    "attachments": [{"name", "header": {"Content-Type": ["..."], ...}, "content": "<base64>"}] | null}
//
// `recipients` always holds the one subscriber the message was rendered for, as in listmonk, so
// that receivers written for listmonk work unchanged. `campaign` is null for transactional
// messages. The top-level `headers` (the message's extra headers) is an addition; listmonk's
// receivers ignore unknown keys.
#pragma once

#include <string>

#include <tidings/sdk/v1/messenger.hpp>

namespace tidings::postback {

/// The request body for `message`. The message's attribs and campaign headers are JSON already
/// (the kernel's contract) and are embedded as they are.
std::string postbackBody(const tidings::sdk::v1::Message& message);

/// Appends `text` to `out` as a JSON string literal, quotes included.
void appendJsonString(std::string& out, std::string_view text);

}  // namespace tidings::postback
