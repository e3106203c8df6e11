// captcha-altcha against the real client library (npm altcha-lib, run by node).
#include <catch2/catch.hpp>

#include <Poco/Base64Decoder.h>
#include <Poco/Base64Encoder.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <Poco/StreamCopier.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <regex>
#include <sstream>
#include <thread>

#include "test_host.hpp"

namespace {

using namespace captcha_test;

const std::string kEnabled = R"({"altcha":{"enabled":true,"complexity":20000},"hcaptcha":{"enabled":false}})";

std::int64_t nowUnix() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// Runs the altcha-lib helper; fails the test loudly when node is missing or the script fails.
std::string node(const std::vector<std::string>& args) {
    const std::string exe = TIDINGS_NODE;
    if (exe.empty() || exe.find("NOTFOUND") != std::string::npos || !std::filesystem::exists(exe))
        FAIL("node is not installed (apt-get install nodejs npm); the Altcha tests need the real altcha-lib");
    Poco::Process::Args argv{ALTCHA_SCRIPT};
    argv.insert(argv.end(), args.begin(), args.end());
    Poco::Pipe out;
    Poco::ProcessHandle ph = Poco::Process::launch(exe, argv, nullptr, &out, nullptr);
    Poco::PipeInputStream in(out);
    std::string text;
    Poco::StreamCopier::copyToString(in, text);
    const int rc = ph.wait();
    INFO("node altcha.mjs " << args.front() << " exited with " << rc << ", output: " << text);
    REQUIRE(rc == 0);
    return text;
}

Poco::JSON::Object::Ptr parseObject(const std::string& text) {
    Poco::JSON::Parser parser;
    return parser.parse(text).extract<Poco::JSON::Object::Ptr>();
}

std::string hmacHex(const std::string& key, const std::string& data) {
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
         reinterpret_cast<const unsigned char*>(data.data()), data.size(), mac, &len);
    std::string out;
    char buf[3];
    for (unsigned i = 0; i < len; ++i) {
        std::snprintf(buf, sizeof buf, "%02x", mac[i]);
        out += buf;
    }
    return out;
}

std::string base64(const std::string& raw) {
    std::ostringstream out;
    Poco::Base64Encoder enc(out);
    enc.rdbuf()->setLineLength(0);  // one line, as btoa() produces
    enc << raw;
    enc.close();
    return out.str();
}

std::string unbase64(const std::string& text) {
    std::istringstream in(text);
    Poco::Base64Decoder dec(in);
    std::string out;
    Poco::StreamCopier::copyToString(dec, out);
    return out;
}

// Re-encodes a solved payload after changing one field, as a forger would.
std::string tamper(const std::string& payload, const std::string& field, const Poco::Dynamic::Var& value) {
    auto obj = parseObject(unbase64(payload));
    obj->set(field, value);
    std::ostringstream json;
    obj->stringify(json);
    return base64(json.str());
}

// One kernel: a host over a (possibly shared) state store, the plugin loaded, attached, started.
struct Kernel {
    explicit Kernel(std::shared_ptr<SharedState> state = std::make_shared<SharedState>(),
                    const std::string& captcha = kEnabled)
        : host(std::move(state)), registrar(host) {
        host.setSetting("security.captcha", captcha);
        loaded = std::make_unique<LoadedPlugin>(ALTCHA_PLUGIN_PATH, host);
        const auto st = loaded->attachAndStart(registrar);
        INFO(st.message());
        REQUIRE(st.ok());
        REQUIRE(registrar.captchas.size() == 1);
        provider = registrar.captchas.front();
    }
    sdk::Response challengeResponse() { return registrar.call("GET", "/api/public/captcha/altcha"); }
    std::string challenge() {
        auto res = challengeResponse();
        REQUIRE(res.status == 200);
        return res.body;
    }
    std::string key() {
        auto entry = host.state().peek("altcha:hmac_key");
        REQUIRE(entry);
        return entry->first;
    }

    TestHost host;
    TestRegistrar registrar;
    std::unique_ptr<LoadedPlugin> loaded;
    sdk::CaptchaProvider* provider = nullptr;
};

}  // namespace

TEST_CASE("altcha: manifest and registration", "[altcha]") {
    Kernel k;
    const auto* m = k.loaded->manifest;
    CHECK(std::string(m->kind) == "captcha");
    CHECK(std::string(m->name) == "captcha-altcha");
    CHECK(m->abi_major == TIDINGS_SDK_ABI_MAJOR);
    CHECK(m->struct_size == sizeof(sdk::Manifest));
    CHECK(k.provider->name() == "altcha");
    CHECK(k.provider->field() == "altcha");
    REQUIRE(k.registrar.routes.size() == 1);
    CHECK(k.registrar.routes[0].spec.method == "GET");
    CHECK(k.registrar.routes[0].spec.pattern == "/api/public/captcha/altcha");
    CHECK(k.registrar.routes[0].spec.access == sdk::Access::Public);
    CHECK(k.registrar.unexpected_calls.empty());
}

TEST_CASE("altcha: challenge shape follows altcha-lib and listmonk", "[altcha]") {
    Kernel k;
    const auto res = k.challengeResponse();
    REQUIRE(res.status == 200);
    CHECK(res.content_type.find("application/json") == 0);
    bool no_store = false;
    for (const auto& [name, value] : res.headers) no_store |= name == "Cache-Control" && value == "no-store";
    CHECK(no_store);

    const auto top = parseObject(res.body);
    const auto data = top->getObject("data");
    REQUIRE(data);
    for (const auto& obj : {top, data}) {  // the widget reads the top level, API clients .data
        CHECK(obj->getValue<std::string>("algorithm") == "SHA-256");
        CHECK(obj->getValue<int>("maxnumber") == 20000);
        CHECK(obj->getValue<int>("maxNumber") == 20000);
        const auto challenge = obj->getValue<std::string>("challenge");
        const auto salt = obj->getValue<std::string>("salt");
        CHECK(std::regex_match(challenge, std::regex("[0-9a-f]{64}")));
        std::smatch m;
        REQUIRE(std::regex_match(salt, m, std::regex("[0-9a-f]{24}\\?expires=([0-9]+)&")));
        const auto expires = std::stoll(m[1].str());
        CHECK(expires >= nowUnix() + 299);
        CHECK(expires <= nowUnix() + 301);
        CHECK(obj->getValue<std::string>("signature") == hmacHex(k.key(), challenge));
    }
    CHECK(top->getValue<std::string>("challenge") == data->getValue<std::string>("challenge"));
    CHECK(k.key().size() == 64);

    // Fresh salt and number every time.
    CHECK(parseObject(k.challenge())->getValue<std::string>("salt") != top->getValue<std::string>("salt"));
}

TEST_CASE("altcha: default complexity is listmonk's 300000", "[altcha]") {
    Kernel k(std::make_shared<SharedState>(), R"({"altcha":{"enabled":true}})");
    CHECK(parseObject(k.challenge())->getValue<int>("maxnumber") == 300000);
}

TEST_CASE("altcha: a solution from altcha-lib is accepted once", "[altcha]") {
    Kernel k;
    const std::string payload = node({"solve", k.challenge()});

    // The stock server library accepts our challenge with our key: same protocol, same key use.
    CHECK(node({"verify", k.key(), payload}) == "true");

    const auto first = k.provider->verify(payload, "192.0.2.1");
    INFO(first.message());
    CHECK(first.ok());

    const auto again = k.provider->verify(payload, "192.0.2.1");
    CHECK(again.code() == sdk::StatusCode::Forbidden);
    CHECK(again.message() == "captcha: solution already used");

    // The used-marker lives only as long as the challenge could be accepted.
    const auto challenge = parseObject(unbase64(payload))->getValue<std::string>("challenge");
    const auto marker = k.host.state().peek("altcha:used:" + challenge);
    REQUIRE(marker);
    REQUIRE(marker->second);
    CHECK(marker->second->count() > 250);
    CHECK(marker->second->count() <= 302);
}

TEST_CASE("altcha: forged and tampered solutions are refused", "[altcha]") {
    Kernel k;
    const std::string payload = node({"solve", k.challenge()});
    const auto p = parseObject(unbase64(payload));
    const auto number = p->getValue<std::int64_t>("number");
    const auto signature = p->getValue<std::string>("signature");
    const auto salt = p->getValue<std::string>("salt");

    auto refused = [&](const std::string& bad, const std::string& message) {
        const auto st = k.provider->verify(bad, "192.0.2.1");
        CHECK(st.code() == sdk::StatusCode::Forbidden);
        CHECK(st.message() == message);
    };
    refused(tamper(payload, "number", number + 1), "captcha: invalid solution");
    refused(tamper(payload, "signature", std::string(64, '0')), "captcha: invalid solution");
    refused(tamper(payload, "signature", signature.substr(0, 63) + (signature.back() == 'a' ? "b" : "a")),
            "captcha: invalid solution");
    // Extending the expiry changes the hashed salt, so the challenge no longer matches.
    refused(tamper(payload, "salt", salt.substr(0, 24) + "?expires=" + std::to_string(nowUnix() + 86400) + "&"),
            "captcha: invalid solution");
    refused(tamper(payload, "algorithm", "SHA-1"), "captcha: invalid solution");
    refused(tamper(payload, "number", -1), "captcha: malformed solution");
    refused(tamper(payload, "number", 1.5), "captcha: malformed solution");

    // A challenge signed with some other key (another Tidings, or an attacker's own altcha-lib).
    const std::string foreign = node({"solve", node({"create", std::string(64, 'f'),
                                                     std::to_string(nowUnix() + 300), "2000"})});
    refused(foreign, "captcha: invalid solution");

    refused("not base64 at all!", "captcha: malformed solution");
    refused(base64("not json"), "captcha: malformed solution");
    refused(base64("[1,2,3]"), "captcha: malformed solution");
    refused(base64(R"({"algorithm":"SHA-256","challenge":"00","salt":"x"})"), "captcha: malformed solution");
    refused(std::string(10000, 'A'), "captcha: malformed solution");
    refused("", "captcha: solution missing");

    // None of the refusals consumed the genuine solution.
    CHECK(k.provider->verify(payload, "192.0.2.1").ok());
}

TEST_CASE("altcha: an expired challenge is refused", "[altcha]") {
    Kernel k;
    // altcha-lib itself creates the challenge, signed with the key from the shared state, with an
    // expiry in the past: only the expiry is wrong with it.
    const std::string expired = node({"solve", node({"create", k.key(), std::to_string(nowUnix() - 5), "2000"})});
    const auto st = k.provider->verify(expired, "192.0.2.1");
    CHECK(st.code() == sdk::StatusCode::Forbidden);
    CHECK(st.message() == "captcha: challenge expired");

    // The same construction with a future expiry passes: the refusal above was the expiry alone.
    const std::string fresh = node({"solve", node({"create", k.key(), std::to_string(nowUnix() + 60), "2000"})});
    CHECK(k.provider->verify(fresh, "192.0.2.1").ok());
}

TEST_CASE("altcha: the setting switches the provider live", "[altcha]") {
    Kernel k(std::make_shared<SharedState>(), R"({"altcha":{"enabled":false,"complexity":1000}})");
    CHECK_FALSE(k.provider->enabled());
    auto res = k.challengeResponse();
    CHECK(res.status == 404);
    CHECK(parseObject(res.body)->getValue<std::string>("message") == "altcha is not enabled");

    k.host.setSetting("security.captcha", R"({"altcha":{"enabled":true,"complexity":1000}})");
    CHECK(k.provider->enabled());
    CHECK(k.challengeResponse().status == 200);

    k.host.clearSetting("security.captcha");
    CHECK_FALSE(k.provider->enabled());
    CHECK(k.challengeResponse().status == 404);

    k.host.setSetting("security.captcha", "not json");
    CHECK_FALSE(k.provider->enabled());
    k.host.setSetting("security.captcha", R"({"hcaptcha":{"enabled":true}})");
    CHECK_FALSE(k.provider->enabled());
}

TEST_CASE("altcha: the key is shared by every process on the same store and survives restarts", "[altcha]") {
    auto db = std::make_shared<SharedState>();
    Kernel a(db);
    Kernel b(db);
    CHECK(a.key() == b.key());

    // Issued by one process, accepted by the other, then refused as a replay by the first.
    const std::string from_a = node({"solve", a.challenge()});
    CHECK(b.provider->verify(from_a, "192.0.2.1").ok());
    CHECK(a.provider->verify(from_a, "192.0.2.1").message() == "captcha: solution already used");
    const std::string from_b = node({"solve", b.challenge()});
    CHECK(a.provider->verify(from_b, "192.0.2.1").ok());

    // A restart (new plugin instance over the same store) keeps the key and the used markers.
    const std::string key = a.key();
    const std::string pending = node({"solve", a.challenge()});
    a.loaded.reset();
    b.loaded.reset();
    Kernel restarted(db);
    CHECK(restarted.key() == key);
    CHECK(restarted.provider->verify(pending, "192.0.2.1").ok());
    CHECK(restarted.provider->verify(from_a, "192.0.2.1").message() == "captcha: solution already used");

    // Another database means another key: its challenges are foreign here.
    Kernel elsewhere;
    CHECK(elsewhere.key() != key);
    CHECK(elsewhere.provider->verify(node({"solve", restarted.challenge()}), "192.0.2.1").message() ==
          "captcha: invalid solution");
}

TEST_CASE("altcha: concurrent submissions of one solution: exactly one wins", "[altcha]") {
    Kernel k;
    const std::string payload = node({"solve", k.challenge()});
    std::atomic<int> ok{0}, replay{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < 8; ++i) {
        threads.emplace_back([&] {
            const auto st = k.provider->verify(payload, "192.0.2.1");
            if (st.ok()) ++ok;
            else if (st.message() == "captcha: solution already used") ++replay;
        });
    }
    for (auto& t : threads) t.join();
    CHECK(ok == 1);
    CHECK(replay == 7);
}

TEST_CASE("altcha: state store failures are reported, never waved through", "[altcha]") {
    SECTION("start fails when the key cannot be created") {
        TestHost host;
        host.state().setFailing(true);
        TestRegistrar registrar(host);
        LoadedPlugin plugin(ALTCHA_PLUGIN_PATH, host);
        const auto st = plugin.attachAndStart(registrar);
        CHECK(st.code() == sdk::StatusCode::Unavailable);
        CHECK(st.message().find("HMAC key") != std::string::npos);
    }
    SECTION("verify is Unavailable when the replay check cannot run") {
        Kernel k;
        const std::string payload = node({"solve", k.challenge()});
        k.host.state().setFailing(true);
        CHECK(k.provider->verify(payload, "192.0.2.1").code() == sdk::StatusCode::Unavailable);
        k.host.state().setFailing(false);
        CHECK(k.provider->verify(payload, "192.0.2.1").ok());
    }
}
