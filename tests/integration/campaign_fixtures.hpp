// What the campaign, send and tracking tests share: lists filled in bulk, campaigns created and
// moved through their statuses over the API, and the SMTP messenger pointed at a MailSink.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include <Poco/JSON/Object.h>

#include "mail_sink.hpp"
#include "tidings_server.hpp"

namespace tidings::test {

/// Points the `smtp` setting at `sink` and sets the pace (message_rate is per worker, as in
/// listmonk), failing the test on a refusal.
void configureSending(const TidingsServer& server, const MailSink& sink, int message_rate, int concurrency,
                      int batch_size, int max_send_errors = 1000);

/// A new private list with a unique name; returns its id.
std::int64_t makeList(const TidingsServer& server, const std::string& optin = "single");

/// Inserts `count` members <prefix><n>@<domain> named "Person <n>" with attribs {"n": n}, n from
/// 1, straight into the database (fast for thousands).
void addMembers(const TidingsServer& server, std::int64_t list, const std::string& prefix, int count,
                const std::string& membership = "confirmed", const std::string& status = "enabled",
                const std::string& domain = "send.test");

/// Creates an HTML campaign to `list` over the API, sent through `messenger`; returns its id.
std::int64_t createCampaign(const TidingsServer& server, std::int64_t list,
                            const std::string& body = "<p>Hi {{ .Subscriber.Name }} #{{ .Subscriber.Attribs.n }}</p>",
                            const std::string& messenger = "email");

/// PUT /api/campaigns/:id/status; returns the HTTP status.
int setCampaignStatus(const TidingsServer& server, std::int64_t id, const std::string& status);

/// GET /api/campaigns/:id's data.
Poco::JSON::Object::Ptr campaignById(const TidingsServer& server, std::int64_t id);

/// Polls until the campaign has `status`; false on timeout.
bool waitForCampaignStatus(const TidingsServer& server, std::int64_t id, const std::string& status,
                           std::chrono::seconds timeout = std::chrono::seconds(60));

}  // namespace tidings::test
