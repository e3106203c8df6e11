// The send engine's pacing pieces: Go durations from settings and the shared pacer's limits.
#include <catch2/catch.hpp>

#include <atomic>
#include <future>
#include <thread>

#include "kernel/campaign/send_pacer.hpp"
#include "kernel/campaign/send_settings.hpp"

using namespace tidings::kernel;
using namespace std::chrono_literals;

TEST_CASE("Go durations as listmonk's settings write them", "[send]") {
    CHECK(parseGoDuration("1h") == 3600s);
    CHECK(parseGoDuration("30m") == 1800s);
    CHECK(parseGoDuration("1h30m15s") == 5415s);
    CHECK(parseGoDuration("90s") == 90s);
    CHECK(parseGoDuration("1.5h") == 5400s);
    CHECK(parseGoDuration("") == 0s);
    CHECK(parseGoDuration("5 minutes") == 0s);
    CHECK(parseGoDuration("h") == 0s);
}

TEST_CASE("the sliding window lets exactly its limit through, then holds until stopped", "[send]") {
    SendPacer pacer;
    pacer.configure(0, 3, 3600s);
    std::atomic<bool> stop{false};
    CHECK(pacer.acquire(stop));
    CHECK(pacer.acquire(stop));
    CHECK(pacer.acquire(stop));
    auto fourth = std::async(std::launch::async, [&] { return pacer.acquire(stop); });
    CHECK(fourth.wait_for(300ms) == std::future_status::timeout);  // still held by the window
    stop = true;
    CHECK_FALSE(fourth.get());
}

TEST_CASE("an unlimited pacer never holds, a stopped one refuses", "[send]") {
    SendPacer pacer;
    pacer.configure(0, 0, 0s);
    std::atomic<bool> stop{false};
    for (int i = 0; i < 10000; ++i) REQUIRE(pacer.acquire(stop));
    stop = true;
    CHECK_FALSE(pacer.acquire(stop));
}

TEST_CASE("the token bucket hands out tokens in order to every worker", "[send]") {
    SendPacer pacer;
    pacer.configure(2000, 0, 0s);
    std::atomic<bool> stop{false};
    std::atomic<int> granted{0};
    std::vector<std::thread> workers;
    for (int w = 0; w < 4; ++w) {
        workers.emplace_back([&] {
            for (int i = 0; i < 50; ++i) granted += pacer.acquire(stop) ? 1 : 0;
        });
    }
    for (auto& t : workers) t.join();
    CHECK(granted == 200);
}
