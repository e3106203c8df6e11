// captcha-hcaptcha against a local server speaking hCaptcha's siteverify protocol.
#include <catch2/catch.hpp>

#include <Poco/Net/HTMLForm.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>

#include <chrono>
#include <condition_variable>
#include <mutex>

#include "test_host.hpp"

namespace {

using namespace captcha_test;

// What the fake siteverify saw, and a gate that holds the "slow" answer until the test is done.
struct Siteverify {
    std::mutex mutex;
    std::condition_variable released_cv;
    bool released = false;
    int calls = 0;
    std::string method, content_type;
    std::map<std::string, std::string> fields;

    void release() {
        {
            std::lock_guard lock(mutex);
            released = true;
        }
        released_cv.notify_all();
    }
};

// Answers by token, so each test case picks the behaviour it needs.
class SiteverifyHandler final : public Poco::Net::HTTPRequestHandler {
public:
    explicit SiteverifyHandler(Siteverify& sv) : sv_(sv) {}
    void handleRequest(Poco::Net::HTTPServerRequest& req, Poco::Net::HTTPServerResponse& res) override {
        Poco::Net::HTMLForm form(req, req.stream());
        std::string token = form.get("response", "");
        {
            std::lock_guard lock(sv_.mutex);
            ++sv_.calls;
            sv_.method = req.getMethod();
            sv_.content_type = req.getContentType();
            sv_.fields.clear();
            for (const auto& [name, value] : form) sv_.fields[name] = value;
        }
        const bool secret_ok = form.get("secret", "") == "s3cr3t&=+";
        std::string body;
        res.setContentType("application/json");
        if (token == "slow") {
            std::unique_lock lock(sv_.mutex);
            sv_.released_cv.wait_for(lock, std::chrono::seconds(20), [&] { return sv_.released; });
            body = R"({"success":true})";
        } else if (token == "html") {
            res.setContentType("text/html");
            body = "<html><body>Bad gateway, maybe</body></html>";
        } else if (token == "crash") {
            res.setStatus(Poco::Net::HTTPResponse::HTTP_INTERNAL_SERVER_ERROR);
            body = R"({"success":false})";
        } else if (!secret_ok) {
            body = R"({"success":false,"error-codes":["invalid-input-secret"]})";
        } else if (token == "good-token") {
            body = R"({"success":true,"challenge_ts":"2024-01-01T00:00:00Z","hostname":"localhost"})";
        } else if (token == "string-success") {
            body = R"({"success":"true"})";
        } else {
            body = R"({"success":false,"error-codes":["invalid-input-response"]})";
        }
        res.setContentLength(static_cast<std::streamsize>(body.size()));
        res.send() << body;
    }

private:
    Siteverify& sv_;
};

class Factory final : public Poco::Net::HTTPRequestHandlerFactory {
public:
    explicit Factory(Siteverify& sv) : sv_(sv) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
        return new SiteverifyHandler(sv_);
    }

private:
    Siteverify& sv_;
};

struct LocalSiteverify {
    LocalSiteverify() : socket(Poco::Net::SocketAddress("127.0.0.1", 0)) {
        auto params = new Poco::Net::HTTPServerParams;
        params->setMaxThreads(4);
        server = std::make_unique<Poco::Net::HTTPServer>(new Factory(state), socket, params);
        server->start();
    }
    ~LocalSiteverify() {
        state.release();
        server->stopAll(true);
    }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(socket.address().port()) + "/siteverify"; }

    Siteverify state;
    Poco::Net::ServerSocket socket;
    std::unique_ptr<Poco::Net::HTTPServer> server;
};

// A port nothing listens on: bind an ephemeral port, note it, close it.
std::uint16_t closedPort() {
    Poco::Net::ServerSocket s(Poco::Net::SocketAddress("127.0.0.1", 0));
    const auto port = s.address().port();
    s.close();
    return port;
}

const std::string kEnabled =
    R"({"altcha":{"enabled":false},"hcaptcha":{"enabled":true,"key":"site-key-1","secret":"s3cr3t&=+"}})";

struct Kernel {
    explicit Kernel(const std::string& verify_url) : registrar(host) {
        host.setSetting("security.captcha", kEnabled);
        if (!verify_url.empty()) host.setConfig("hcaptcha.verify_url", verify_url);
        loaded = std::make_unique<LoadedPlugin>(HCAPTCHA_PLUGIN_PATH, host);
        const auto st = loaded->attachAndStart(registrar);
        INFO(st.message());
        REQUIRE(st.ok());
        REQUIRE(registrar.captchas.size() == 1);
        provider = registrar.captchas.front();
    }
    TestHost host;
    TestRegistrar registrar;
    std::unique_ptr<LoadedPlugin> loaded;
    sdk::CaptchaProvider* provider = nullptr;
};

}  // namespace

TEST_CASE("hcaptcha: manifest, registration and declared config", "[hcaptcha]") {
    Kernel k("");
    CHECK(std::string(k.loaded->manifest->kind) == "captcha");
    CHECK(std::string(k.loaded->manifest->name) == "captcha-hcaptcha");
    CHECK(k.provider->name() == "hcaptcha");
    CHECK(k.provider->field() == "h-captcha-response");
    CHECK(k.registrar.routes.empty());
    REQUIRE(k.registrar.declared.size() == 1);
    CHECK(k.registrar.declared[0].key == "hcaptcha.verify_url");
    CHECK(k.registrar.declared[0].type == sdk::ConfigType::String);
    CHECK(k.registrar.declared[0].default_value == "https://api.hcaptcha.com/siteverify");
    CHECK_FALSE(k.registrar.declared[0].secret);
    CHECK(k.registrar.unexpected_calls.empty());
}

TEST_CASE("hcaptcha: the setting switches the provider live", "[hcaptcha]") {
    Kernel k("");
    CHECK(k.provider->enabled());
    k.host.setSetting("security.captcha", R"({"hcaptcha":{"enabled":false,"secret":"x"}})");
    CHECK_FALSE(k.provider->enabled());
    k.host.setSetting("security.captcha", R"({"altcha":{"enabled":true}})");
    CHECK_FALSE(k.provider->enabled());
    k.host.clearSetting("security.captcha");
    CHECK_FALSE(k.provider->enabled());
}

TEST_CASE("hcaptcha: siteverify answers map to statuses", "[hcaptcha]") {
    LocalSiteverify sv;
    Kernel k(sv.url());

    SECTION("success true is accepted, and the request follows the protocol") {
        const auto st = k.provider->verify("good-token", "203.0.113.9");
        INFO(st.message());
        CHECK(st.ok());
        std::lock_guard lock(sv.state.mutex);
        CHECK(sv.state.calls == 1);
        CHECK(sv.state.method == "POST");
        CHECK(sv.state.content_type == "application/x-www-form-urlencoded");
        CHECK(sv.state.fields["secret"] == "s3cr3t&=+");  // survives form encoding
        CHECK(sv.state.fields["response"] == "good-token");
        CHECK(sv.state.fields["remoteip"] == "203.0.113.9");
        CHECK(sv.state.fields["sitekey"] == "site-key-1");
    }
    SECTION("success false is Forbidden; the error codes go to the log only") {
        const auto st = k.provider->verify("wrong-token", "203.0.113.9");
        CHECK(st.code() == sdk::StatusCode::Forbidden);
        CHECK(st.message() == "captcha: invalid solution");
        CHECK(k.host.logged("invalid-input-response"));
    }
    SECTION("a wrong secret is Forbidden and logged as an operator error") {
        k.host.setSetting("security.captcha", R"({"hcaptcha":{"enabled":true,"secret":"other"}})");
        const auto st = k.provider->verify("good-token", "");
        CHECK(st.code() == sdk::StatusCode::Forbidden);
        bool error_logged = false;
        for (const auto& [level, line] : k.host.logs())
            error_logged |= level == sdk::LogLevel::Error && line.find("invalid-input-secret") != std::string::npos;
        CHECK(error_logged);
        for (const auto& [level, line] : k.host.logs()) CHECK(line.find("other") == std::string::npos);
        std::lock_guard lock(sv.state.mutex);
        CHECK(sv.state.fields.count("remoteip") == 0);  // no address, no field
        CHECK(sv.state.fields.count("sitekey") == 0);
    }
    SECTION("only a JSON boolean true counts as success") {
        CHECK(k.provider->verify("string-success", "203.0.113.9").code() == sdk::StatusCode::Forbidden);
    }
    SECTION("a non-JSON answer is Forbidden (listmonk would let it pass)") {
        const auto st = k.provider->verify("html", "203.0.113.9");
        CHECK(st.code() == sdk::StatusCode::Forbidden);
        CHECK(st.message() == "captcha: invalid solution");
        CHECK(k.host.logged("non-JSON"));
    }
    SECTION("a server error is Unavailable") {
        const auto st = k.provider->verify("crash", "203.0.113.9");
        CHECK(st.code() == sdk::StatusCode::Unavailable);
        CHECK(st.message() == "captcha: verification service unreachable");
    }
    SECTION("an empty token is refused without a network call") {
        const auto st = k.provider->verify("", "203.0.113.9");
        CHECK(st.code() == sdk::StatusCode::Forbidden);
        std::lock_guard lock(sv.state.mutex);
        CHECK(sv.state.calls == 0);
    }
    SECTION("an absurdly large token is refused without a network call") {
        CHECK(k.provider->verify(std::string(100000, 'x'), "").code() == sdk::StatusCode::Forbidden);
        std::lock_guard lock(sv.state.mutex);
        CHECK(sv.state.calls == 0);
    }
    SECTION("a siteverify slower than the 5 s timeout is Unavailable") {
        const auto started = std::chrono::steady_clock::now();
        const auto st = k.provider->verify("slow", "203.0.113.9");
        const auto took = std::chrono::steady_clock::now() - started;
        sv.state.release();
        CHECK(st.code() == sdk::StatusCode::Unavailable);
        CHECK(st.message() == "captcha: verification service unreachable");
        CHECK(took >= std::chrono::milliseconds(4500));
        CHECK(took < std::chrono::seconds(15));
    }
}

TEST_CASE("hcaptcha: an unreachable siteverify is Unavailable", "[hcaptcha]") {
    const std::string port = std::to_string(closedPort());
    for (const std::string& url : {"http://127.0.0.1:" + port + "/siteverify",
                                  "https://127.0.0.1:" + port + "/siteverify"}) {
        Kernel k(url);
        const auto st = k.provider->verify("good-token", "203.0.113.9");
        INFO(url);
        CHECK(st.code() == sdk::StatusCode::Unavailable);
        CHECK(st.message() == "captcha: verification service unreachable");
        CHECK(k.host.logged("unreachable"));
    }
}
