// Turning a parsed bounce message into the SDK's bounce events, with the details an operator
// needs to judge the bounce later kept as its meta.
#pragma once

#include <string>
#include <vector>

#include <tidings/sdk/v1/bounce.hpp>

#include "dsn_parser.hpp"

namespace tidings::mailbox {

/// One event per bounce in `message`, each with `source` and a meta object holding the
/// mailbox, the bounce's from/subject/message_id, the recipient, DSN action, status and
/// diagnostic, and how the type was decided (listmonk's `classify_reason`).
std::vector<sdk::BounceEvent> bounceEvents(const ParsedMessage& message, const std::string& source,
                                           const std::string& mailbox);

}  // namespace tidings::mailbox
