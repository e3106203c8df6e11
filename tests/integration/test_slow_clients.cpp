// Slow and idle clients cannot hold the server: hundreds of idle connections and a hundred that
// trickle a request head a byte at a time, all from 127.0.0.1, while /health and an admin GET are
// still answered; the head deadline, the keep-alive timeout and the per-address cap; pipelining
// over the waiting thread's hand-over.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <Poco/Net/NetException.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>

#include "shared_server.hpp"

using namespace tidings::test;
using Clock = std::chrono::steady_clock;

namespace {

Poco::Net::StreamSocket connectTo(const TidingsServer& on) {
    Poco::Net::StreamSocket s;
    s.connect(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(on.port())), Poco::Timespan(10, 0));
    return s;
}

/// Reads until the server closes the connection (true) or `limit` passes without that (false).
/// Whatever arrived is appended to `got`.
bool closedWithin(Poco::Net::StreamSocket& s, std::chrono::seconds limit, std::string* got = nullptr) {
    s.setReceiveTimeout(Poco::Timespan(static_cast<long>(limit.count()), 0));
    char buffer[4096];
    try {
        for (int n; (n = s.receiveBytes(buffer, sizeof buffer)) > 0;) {
            if (got) got->append(buffer, static_cast<std::size_t>(n));
        }
        return true;
    } catch (const Poco::TimeoutException&) {
        return false;
    } catch (const Poco::Net::ConnectionResetException&) {
        return true;
    }
}

}  // namespace

TEST_CASE("500 idle and 100 trickling connections from one address do not stop /health or admin requests",
          "[slow-clients]") {
    // A long head deadline keeps the trickling connections open for the whole measurement.
    TidingsServer on({{"TIDINGS_HTTP__HEADER_TIMEOUT_SECONDS", "120"}, {"TIDINGS_LOG__ACCESS", "false"}});
    std::vector<Poco::Net::StreamSocket> idle;
    for (int i = 0; i < 500; ++i) idle.push_back(connectTo(on));
    std::vector<Poco::Net::StreamSocket> trickling;
    for (int i = 0; i < 100; ++i) trickling.push_back(connectTo(on));

    // Each trickling connection gets one more byte of a head that never ends, every 50 ms.
    const std::string prefix = "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ";
    std::atomic<bool> done{false};
    std::thread trickler([&] {
        for (std::size_t sent = 0; !done; ++sent) {
            const char byte = sent < prefix.size() ? prefix[sent] : 'a';
            for (auto& s : trickling) {
                try {
                    s.sendBytes(&byte, 1);
                } catch (const Poco::Exception&) {
                }
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(500));  // let every trickler have started its head

    std::vector<double> health_ms;
    std::vector<double> admin_ms;
    for (int i = 0; i < 40; ++i) {
        auto started = Clock::now();
        auto health = on.get("/health", Credentials::none());
        health_ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - started).count());
        CHECK(health.status == 200);
        started = Clock::now();
        auto lists = on.get("/api/lists?per_page=1", on.admin());
        admin_ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - started).count());
        CHECK(lists.status == 200);
    }
    done = true;
    trickler.join();

    std::sort(health_ms.begin(), health_ms.end());
    std::sort(admin_ms.begin(), admin_ms.end());
    INFO("/health median " << health_ms[health_ms.size() / 2] << " ms, slowest " << health_ms.back() << " ms");
    INFO("admin GET median " << admin_ms[admin_ms.size() / 2] << " ms, slowest " << admin_ms.back() << " ms");
    // The one timing bound in the suites, deliberately loose: the issue's target is 100 ms, but
    // this 2-core machine is shared with compilers, so only "no request waits over 1 s" is
    // checked. Before the waiting thread, every request here waited over 60 s.
    CHECK(health_ms.back() < 1000.0);
    CHECK(admin_ms.back() < 1000.0);

    // The idle connections are still open (none was closed to make room): the first and the last
    // opened wait a second for an answer that does not come; reading all would take 500 seconds.
    CHECK_FALSE(closedWithin(idle.front(), std::chrono::seconds(1)));
    CHECK_FALSE(closedWithin(idle.back(), std::chrono::seconds(1)));
    for (auto& s : idle) s.close();
    for (auto& s : trickling) s.close();
    // ...and once they are gone, the server works as before.
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    CHECK(on.get("/health", Credentials::none()).status == 200);
    CHECK(on.get("/api/lists?per_page=1", on.admin()).status == 200);
}

TEST_CASE("an unfinished request head and an idle keep-alive connection are closed", "[slow-clients]") {
    TidingsServer on({{"TIDINGS_HTTP__HEADER_TIMEOUT_SECONDS", "1"}, {"TIDINGS_HTTP__KEEPALIVE_TIMEOUT_SECONDS", "1"}});
    auto partial = connectTo(on);
    partial.sendBytes("GET /health HTTP/1.1\r\nHost: x\r\n", 31);
    auto silent = connectTo(on);
    auto kept = connectTo(on);
    const std::string request = "GET /health HTTP/1.1\r\nHost: x\r\n\r\n";
    kept.sendBytes(request.data(), static_cast<int>(request.size()));
    // Generous limits: what is checked is that the server closes them, not how fast.
    std::string partial_got;
    CHECK(closedWithin(partial, std::chrono::seconds(30), &partial_got));
    CHECK(partial_got.empty());
    CHECK(closedWithin(silent, std::chrono::seconds(30)));
    std::string kept_got;
    CHECK(closedWithin(kept, std::chrono::seconds(30), &kept_got));
    CHECK(kept_got.rfind("HTTP/1.1 200", 0) == 0);
    CHECK(on.get("/health", Credentials::none()).status == 200);
}

TEST_CASE("connections beyond the per-address cap get 503 and are closed", "[slow-clients]") {
    TidingsServer on({{"TIDINGS_HTTP__MAX_CONNECTIONS_PER_ADDRESS", "3"}, {"TIDINGS_HTTP__HEADER_TIMEOUT_SECONDS", "120"}});
    // Connections are opened one by one until one is refused. The cap counts every open
    // connection from 127.0.0.1, and one the fixture used to wait for the server may not have
    // been closed on the server's side yet, so the refusal comes after at most three held ones.
    std::vector<Poco::Net::StreamSocket> held;
    std::string got;
    for (int i = 0; i < 6 && got.empty(); ++i) {
        auto s = connectTo(on);
        if (!closedWithin(s, std::chrono::seconds(2), &got)) held.push_back(s);
    }
    INFO(got);
    CHECK(got.rfind("HTTP/1.1 503", 0) == 0);
    CHECK(got.find("Retry-After: 1") != std::string::npos);
    CHECK(held.size() >= 2);
    CHECK(held.size() <= 3);
    for (auto& s : held) s.close();
    // Closed connections no longer count against the address.
    bool answered = false;
    for (int i = 0; i < 50 && !answered; ++i) {
        answered = on.get("/health", Credentials::none()).status == 200;
        if (!answered) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    CHECK(answered);
}

TEST_CASE("pipelined requests are all answered, in order", "[slow-clients]") {
    auto s = connectTo(server());
    const std::string two = "GET /health HTTP/1.1\r\nHost: x\r\n\r\nGET /api/nothing-here HTTP/1.1\r\nHost: x\r\n"
                            "Connection: close\r\n\r\n";
    s.sendBytes(two.data(), static_cast<int>(two.size()));
    std::string got;
    CHECK(closedWithin(s, std::chrono::seconds(30), &got));
    INFO(got);
    const auto first = got.find("HTTP/1.1 200");
    const auto second = got.find("HTTP/1.1 404");
    CHECK(first == 0);
    CHECK(second != std::string::npos);
    CHECK(second > first);
}

TEST_CASE("a body that stops short is answered 408 and never handled as whole", "[slow-clients]") {
    TidingsServer on(std::map<std::string, std::string>{{"TIDINGS_HTTP__IO_TIMEOUT_SECONDS", "1"}});
    const std::string name = unique("cut-off-");
    const std::string body = R"({"name":")" + name + R"(","type":"private","optin":"single"})";
    auto s = connectTo(on);
    // The body promises 40 more bytes than it sends: before, a timeout ended the read and the
    // truncated body was dispatched as if it were the whole one.
    const std::string request = "POST /api/lists HTTP/1.1\r\nHost: x\r\nAuthorization: " + on.admin().header +
                                "\r\nContent-Type: application/json\r\nContent-Length: " +
                                std::to_string(body.size() + 40) + "\r\n\r\n" + body;
    s.sendBytes(request.data(), static_cast<int>(request.size()));
    std::string got;
    CHECK(closedWithin(s, std::chrono::seconds(30), &got));
    INFO(got);
    CHECK(got.rfind("HTTP/1.1 408", 0) == 0);
    CHECK(on.sql("SELECT count(*) FROM lists WHERE name = '" + name + "'") == "0");
    CHECK(on.get("/health", Credentials::none()).status == 200);
}
