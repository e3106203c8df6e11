// bench_smtp: loads messenger-smtp the way the kernel does (Boost.DLL, the exported entry points)
// and pushes N messages of a given size from T threads through the "email" messenger into a relay
// (scripts/bench/smtp points it at postfix's smtp-sink). Prints the rate; the last line is
// "rate <msg/s>" for the script to pick up.
//
//   bench_smtp --port 2525 [--messages 20000] [--threads 16] [--conns 16] [--size 4096] [--batch 1]
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include <boost/dll/shared_library.hpp>

#include <fake_host.hpp>
#include <tidings/sdk/v1/plugin.hpp>

namespace sdk = tidings::sdk::v1;

int main(int argc, char** argv) {
    int port = 2525, messages = 20000, threads = 16, conns = 16, size = 4096, batch = 1;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string a = argv[i];
        const int v = std::atoi(argv[i + 1]);
        if (a == "--port") port = v;
        else if (a == "--messages") messages = v;
        else if (a == "--threads") threads = v;
        else if (a == "--conns") conns = v;
        else if (a == "--size") size = v;
        else if (a == "--batch") batch = v;
        else {
            std::fprintf(stderr, "unknown option %s\n", a.c_str());
            return 2;
        }
    }

    boost::dll::shared_library lib(SMTP_PLUGIN_PATH, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
    auto& create = lib.get_alias<sdk::CreateFn>(sdk::kCreateSymbol);
    auto& destroy = lib.get_alias<sdk::DestroyFn>(sdk::kDestroySymbol);

    tidings::sdk::testing::FakeHost host;
    host.setSetting("smtp", "[{\"enabled\":true,\"host\":\"127.0.0.1\",\"port\":" + std::to_string(port) +
                                ",\"max_conns\":" + std::to_string(conns) +
                                ",\"wait_timeout\":\"30s\",\"idle_timeout\":\"60s\"}]");
    tidings::sdk::testing::FakeRegistrar registrar(host);
    sdk::Plugin* plugin = create(&host);
    if (!plugin || !plugin->attach(registrar) || !plugin->start()) {
        std::fprintf(stderr, "plugin did not start\n");
        return 1;
    }
    sdk::Messenger* email = nullptr;
    for (auto* m : registrar.messengers())
        if (m->name() == "email") email = m;

    // A campaign-like message: HTML body of `size` bytes, ASCII, ordinary line lengths.
    sdk::Message proto;
    proto.from = "Bench <bench@example.com>";
    proto.subject = "Benchmark message";
    std::string body = "<html><body>\n";
    while (static_cast<int>(body.size()) < size - 16)
        body += "<p>Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod.</p>\n";
    body += "</body></html>\n";
    proto.body = body.substr(0, static_cast<std::size_t>(size));

    std::atomic<int> next{0}, errors{0};
    std::atomic<bool> printed{false};
    const auto started = std::chrono::steady_clock::now();
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t) {
        workers.emplace_back([&] {
            std::vector<sdk::Message> msgs(static_cast<std::size_t>(batch), proto);
            std::vector<sdk::Status> results;
            for (;;) {
                const int first = next.fetch_add(batch);
                if (first >= messages) break;
                const int n = std::min(batch, messages - first);
                msgs.resize(static_cast<std::size_t>(n), proto);
                for (int k = 0; k < n; ++k) msgs[static_cast<std::size_t>(k)].to = {"user" + std::to_string(first + k) + "@example.org"};
                if (batch == 1) {
                    if (auto st = email->push(msgs[0]); !st) {
                        if (!printed.exchange(true)) std::fprintf(stderr, "error: %s\n", st.message().c_str());
                        ++errors;
                    }
                } else {
                    email->pushBatch(msgs, results);
                    for (const auto& st : results)
                        if (!st) {
                            if (!printed.exchange(true)) std::fprintf(stderr, "error: %s\n", st.message().c_str());
                            ++errors;
                        }
                }
            }
        });
    }
    for (auto& w : workers) w.join();
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    plugin->stop();
    destroy(plugin);
    const double rate = (messages - errors.load()) / secs;
    std::printf("bench_smtp: %d messages of %d bytes, %d threads, max_conns %d: %.2f s, %d errors\n", messages, size,
                threads, conns, secs, errors.load());
    std::printf("rate %.0f\n", rate);
    return errors.load() == 0 ? 0 : 1;
}
