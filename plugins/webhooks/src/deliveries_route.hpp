// GET /api/webhooks/deliveries: recent delivery attempts for operators, newest first, in
// listmonk's page envelope: {"data": {"results": [...], "total", "per_page", "page"}}.
// Query: status (pending, succeeded, failed, dead), event, page, per_page (a number or "all").
#pragma once

#include <tidings/sdk/v1/host.hpp>

namespace tidings::webhooks {

namespace sdk = ::tidings::sdk::v1;

/// Answers the listing from `host`'s outbox: 400 naming the parameter for bad input, 503 until
/// storage is available.
void listDeliveries(sdk::Host& host, const sdk::Request& request, sdk::Response& response);

}  // namespace tidings::webhooks
