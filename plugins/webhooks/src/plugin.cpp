// webhooks: signed outbound HTTP notifications of hook events.
//
// Operators list endpoints in the `webhooks` runtime setting, each with the events it wants.
// Every matching event becomes one delivery per endpoint in the storage outbox (durable, shared
// by every process on the database); a sender thread claims due deliveries, POSTs them signed,
// and retries failures with growing delays. GET /api/webhooks/deliveries shows what happened.
#include <string>

#include <tidings/sdk/v1/duration.hpp>
#include <tidings/sdk/v1/plugin.hpp>

#include "deliveries_route.hpp"
#include "webhook_config.hpp"
#include "webhook_sender.hpp"

namespace {

namespace sdk = ::tidings::sdk::v1;
namespace wh = ::tidings::webhooks;

std::chrono::milliseconds durationConfig(sdk::Host& host, std::string_view key, std::chrono::milliseconds fallback) {
    const auto text = host.config(key);
    if (!text) return fallback;
    const auto parsed = sdk::parseDuration(*text);
    if (!parsed || parsed->count() <= 0) {
        host.log(sdk::LogLevel::Warning, std::string(key) + ": not a duration, using the default");
        return fallback;
    }
    return *parsed;
}

class WebhooksPlugin final : public sdk::Plugin {
public:
    explicit WebhooksPlugin(sdk::Host& host) : host_(host), settings_(host), sender_(host, settings_) {}
    ~WebhooksPlugin() { stop(); }

    sdk::Status attach(sdk::Registrar& registrar) noexcept override {
        try {
            if (auto st = registrar.declareConfig({"webhooks.retention", sdk::ConfigType::Duration, "168h", false,
                                                   "How long succeeded and dead webhook deliveries stay listed "
                                                   "before they are deleted."});
                !st)
                return st;
            if (auto st = registrar.declareConfig({"webhooks.poll_interval", sdk::ConfigType::Duration, "1s", false,
                                                   "How often each process looks for due webhook deliveries queued "
                                                   "by other processes or scheduled for retry."});
                !st)
                return st;
            for (auto event : wh::deliverableEvents()) {
                if (auto st = registrar.onHook(event, [this](const sdk::HookEvent& e, sdk::HookOutcome&) { enqueue(e); });
                    !st)
                    return st;
            }
            sdk::RouteSpec spec;
            spec.method = "GET";
            spec.pattern = "/api/webhooks/deliveries";
            spec.access = sdk::Access::Authenticated;
            spec.permission = "settings:get";
            return registrar.route(spec, [this](const sdk::Request& rq, sdk::Response& rs) {
                wh::listDeliveries(host_, rq, rs);
            });
        } catch (const std::exception& e) {
            return sdk::Status::internal(std::string("webhooks: ") + e.what());
        }
    }

    sdk::Status start() noexcept override {
        try {
            if (!host_.outbox())
                return sdk::Status::unavailable("webhooks: the storage plugin has no outbox (it predates SDK 1.1)");
            wh::SenderOptions options;
            options.poll_interval = durationConfig(host_, "webhooks.poll_interval", options.poll_interval);
            options.retention = std::chrono::duration_cast<std::chrono::seconds>(
                durationConfig(host_, "webhooks.retention", options.retention));
            sender_.start(options);
            return {};
        } catch (const std::exception& e) {
            return sdk::Status::internal(std::string("webhooks: ") + e.what());
        }
    }

    void stop() noexcept override { sender_.stop(); }

private:
    // Runs on the kernel's event thread, after the change was committed.
    void enqueue(const sdk::HookEvent& event) {
        sdk::OutboxStore* outbox = host_.outbox();
        const auto endpoints = settings_.current();
        bool queued = false;
        for (const auto& ep : *endpoints) {
            if (!ep.wants(event.name)) continue;
            if (!outbox) {
                host_.log(sdk::LogLevel::Error, "webhook " + event.name + " to '" + ep.name + "' lost: storage is not ready");
                continue;
            }
            sdk::OutboxDraft draft;
            draft.channel = std::string(wh::kChannel);
            draft.destination = ep.name;
            draft.event = event.name;
            draft.payload = event.payload_json;
            sdk::OutboxJob job;
            if (auto st = outbox->enqueue(draft, job); !st)
                host_.log(sdk::LogLevel::Error, "webhook " + event.name + " to '" + ep.name + "' lost: " + st.message());
            else
                queued = true;
        }
        if (queued) sender_.wake();
    }

    sdk::Host& host_;
    wh::EndpointSettings settings_;
    wh::WebhookSender sender_;
};

}  // namespace

TIDINGS_PLUGIN(WebhooksPlugin, "extension", "webhooks", "1.0.0",
               "Signed outbound webhooks for hook events, with retries from a durable queue in storage")
