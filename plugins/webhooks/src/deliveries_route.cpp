#include "deliveries_route.hpp"

#include <charconv>
#include <optional>

#include "delivery_body.hpp"
#include "webhook_config.hpp"
#include "webhook_sender.hpp"

namespace tidings::webhooks {
namespace {

constexpr std::int64_t kMaxPerPage = 1000;

void fail(sdk::Response& response, int status, const std::string& message) {
    response.json(status, "{\"message\":" + jsonString(message) + "}");
}

std::optional<std::int64_t> positive(std::string_view text) {
    std::int64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size() || value < 1) return std::nullopt;
    return value;
}

std::string jobJson(const sdk::OutboxJob& j) {
    const bool open = j.status == sdk::OutboxStatus::Pending || j.status == sdk::OutboxStatus::Failed;
    std::string out = "{\"id\":" + std::to_string(j.id) + ",\"delivery_id\":" + jsonString(j.uuid) +
                      ",\"endpoint\":" + jsonString(j.destination) + ",\"event\":" + jsonString(j.event) +
                      ",\"status\":" + jsonString(std::string(sdk::toString(j.status))) +
                      ",\"attempts\":" + std::to_string(j.attempts) + ",\"last_status\":" +
                      (j.last_code > 0 ? std::to_string(j.last_code) : std::string("null")) +
                      ",\"last_error\":" + jsonString(j.last_error) + ",\"next_attempt_at\":" +
                      (open ? jsonString(rfc3339(j.next_attempt_at)) : std::string("null")) +
                      ",\"created_at\":" + jsonString(rfc3339(j.created_at)) +
                      ",\"updated_at\":" + jsonString(rfc3339(j.updated_at)) + "}";
    return out;
}

}  // namespace

void listDeliveries(sdk::Host& host, const sdk::Request& request, sdk::Response& response) {
    sdk::OutboxQuery q;
    q.channel = std::string(kChannel);
    if (auto status = request.queryValue("status"); status && !status->empty()) {
        q.status = sdk::parseEnum<sdk::OutboxStatus>(*status);
        if (!q.status) return fail(response, 400, "status: must be one of pending, succeeded, failed, dead");
    }
    if (auto event = request.queryValue("event"); event && !event->empty()) {
        bool known = false;
        for (auto e : deliverableEvents()) known = known || e == *event;
        if (!known) return fail(response, 400, "event: unknown event '" + std::string(*event) + "'");
        q.event = std::string(*event);
    }
    if (auto page = request.queryValue("page"); page && !page->empty()) {
        const auto value = positive(*page);
        if (!value) return fail(response, 400, "page: must be a whole number from 1");
        q.page = *value;
    }
    if (auto per_page = request.queryValue("per_page"); per_page && !per_page->empty()) {
        if (*per_page == "all") {
            q.per_page = 0;
        } else {
            const auto value = positive(*per_page);
            if (!value || *value > kMaxPerPage)
                return fail(response, 400, "per_page: must be a whole number from 1 to 1000, or all");
            q.per_page = *value;
        }
    }

    sdk::OutboxStore* outbox = host.outbox();
    if (!outbox) return fail(response, 503, "webhooks: storage is not ready");
    sdk::OutboxPage page;
    if (auto st = outbox->list(q, page); !st) {
        host.log(sdk::LogLevel::Error, "listing deliveries failed (request " + request.request_id + "): " + st.message());
        return fail(response, 500, "webhooks: listing deliveries failed");
    }
    std::string body = "{\"data\":{\"results\":[";
    for (std::size_t i = 0; i < page.results.size(); ++i) {
        if (i) body += ',';
        body += jobJson(page.results[i]);
    }
    body += "],\"total\":" + std::to_string(page.total) + ",\"per_page\":" + std::to_string(q.per_page) +
            ",\"page\":" + std::to_string(q.per_page > 0 ? q.page : 1) + "}}";
    response.json(200, std::move(body));
}

}  // namespace tidings::webhooks
