#include <catch2/catch.hpp>

#include <atomic>

#include "kernel/hooks/event_bus.hpp"

using namespace tidings::kernel;
namespace sdk = tidings::sdk::v1;

TEST_CASE("events reach their handlers in order, off the caller's thread", "[hooks]") {
    EventBus bus;
    std::vector<std::string> seen;
    std::thread::id handler_thread;
    bus.subscribe("subscriber.created", [&](const sdk::HookEvent& e, sdk::HookOutcome&) {
        seen.push_back(e.payload_json);
        handler_thread = std::this_thread::get_id();
    });
    CHECK(bus.hasSubscribers("subscriber.created"));
    CHECK_FALSE(bus.hasSubscribers("campaign.finished"));
    bus.publish("subscriber.created", "{\"n\":1}");
    bus.publish("subscriber.created", "{\"n\":2}");
    bus.publish("campaign.finished", "{}");  // nobody listens: dropped
    bus.drain();
    CHECK(seen == std::vector<std::string>{"{\"n\":1}", "{\"n\":2}"});
    CHECK(handler_thread != std::this_thread::get_id());
}

TEST_CASE("a throwing handler does not stop the others", "[hooks]") {
    EventBus bus;
    std::atomic<int> calls{0};
    bus.subscribe("x", [](const sdk::HookEvent&, sdk::HookOutcome&) { throw std::runtime_error("boom"); });
    bus.subscribe("x", [&](const sdk::HookEvent&, sdk::HookOutcome&) { ++calls; });
    bus.publish("x", "{}");
    bus.drain();
    CHECK(calls == 1);
}

TEST_CASE("before_* events run synchronously and can cancel", "[hooks]") {
    EventBus bus;
    bus.subscribe("message.before_send", [](const sdk::HookEvent&, sdk::HookOutcome& o) {
        o.add_headers.emplace_back("X-Test", "1");
    });
    bus.subscribe("message.before_send", [](const sdk::HookEvent& e, sdk::HookOutcome& o) {
        if (e.payload_json.find("blocked") != std::string::npos) o.cancel = true;
    });
    auto outcome = bus.runBefore("message.before_send", "{\"to\":\"ok\"}");
    CHECK_FALSE(outcome.cancel);
    CHECK(outcome.add_headers.size() == 1);
    CHECK(bus.runBefore("message.before_send", "{\"to\":\"blocked\"}").cancel);
}
