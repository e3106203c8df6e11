// Validation of the `webhooks` runtime setting, which the webhooks plugin reads.
//
// Settings are validated where they are written (PUT /api/settings), so a bad endpoint is a 400
// naming the field instead of a delivery that silently never happens. The plugin parses the same
// shape; both follow docs/plugins.md ("Webhooks").
#pragma once

#include <Poco/Dynamic/Var.h>

namespace tidings::kernel {

/// Checks a `webhooks` value: an array of {enabled, name, url, secret, events, timeout,
/// max_attempts, retry_base}. Throws StatusError(Invalid) naming the field, e.g.
/// "webhooks[0].url: must be an http:// or https:// URL".
void checkWebhooksSetting(const Poco::Dynamic::Var& value);

}  // namespace tidings::kernel
