// messenger-smtp: SMTP relays with pooled, pipelined sessions.
//
// attach() declares the INI defaults and registers the messengers: "email" always, and
// "email-<name>" for every named relay in the `smtp` setting as it reads at attach time. The
// registrar only exists during attach(), so a relay that gets a *new name* later is reachable
// through "email" but needs a restart for its own messenger; changes to existing relays (hosts,
// credentials, TLS, pool sizes, headers) apply live. start() runs a ticker that re-reads the
// setting and closes idle sessions once a second.
#include <algorithm>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include <tidings/sdk/v1/plugin.hpp>

#include "smtp_messenger.hpp"
#include "smtp_relays.hpp"
#include "smtp_settings.hpp"

namespace {

namespace sdk = ::tidings::sdk::v1;
using namespace tidings::smtp;

class SmtpPlugin final : public sdk::Plugin {
public:
    explicit SmtpPlugin(sdk::Host& host) : host_(host), relays_(host) {}
    ~SmtpPlugin() { stop(); }

    sdk::Status attach(sdk::Registrar& registrar) noexcept override {
        try {
            for (const auto& key : configKeys())
                if (auto st = registrar.declareConfig(key); !st) return st;
            messengers_.push_back(std::make_unique<SmtpMessenger>(relays_, ""));
            for (const auto& name : namedRelays()) messengers_.push_back(std::make_unique<SmtpMessenger>(relays_, name));
            for (const auto& m : messengers_)
                if (auto st = registrar.provideMessenger(*m); !st) return st;
            return {};
        } catch (const std::exception& e) {
            return sdk::Status::internal(std::string("messenger-smtp: ") + e.what());
        }
    }

    sdk::Status start() noexcept override {
        try {
            relays_.refresh();
            std::lock_guard lock(mutex_);
            stopping_ = false;
            ticker_ = std::thread([this] { tick(); });
            return {};
        } catch (const std::exception& e) {
            return sdk::Status::internal(std::string("messenger-smtp: cannot start: ") + e.what());
        }
    }

    void stop() noexcept override {
        {
            std::lock_guard lock(mutex_);
            stopping_ = true;
        }
        wake_.notify_all();
        if (ticker_.joinable()) ticker_.join();
        relays_.shutdown();
    }

private:
    static std::vector<sdk::ConfigKey> configKeys() {
        using sdk::ConfigType;
        return {
            {"smtp.host", ConfigType::String, "127.0.0.1", false, "SMTP relay host, used while the smtp setting is empty"},
            {"smtp.port", ConfigType::Integer, "25", false, "SMTP relay port"},
            {"smtp.username", ConfigType::String, "", false, "SMTP user name (with smtp.auth_protocol)"},
            {"smtp.password", ConfigType::String, "", true, "SMTP password"},
            {"smtp.auth_protocol", ConfigType::String, "none", false, "none, plain, login or cram"},
            {"smtp.tls_type", ConfigType::String, "none", false, "none, STARTTLS or TLS"},
            {"smtp.max_conns", ConfigType::Integer, "10", false, "Sessions kept open to the relay"},
            {"smtp.hello_hostname", ConfigType::String, "", false, "EHLO name; empty: this machine's host name"},
        };
    }

    // Names of the enabled, named relays in the setting as it is now. Settings may not be
    // readable this early (storage not started): then only "email" exists until a restart.
    std::vector<std::string> namedRelays() {
        std::vector<std::string> names;
        const auto text = host_.setting("smtp");
        if (!text) return names;
        try {
            for (const auto& c : parseServers(*text))
                if (!c.name.empty() && std::find(names.begin(), names.end(), c.name) == names.end())
                    names.push_back(c.name);
        } catch (const std::exception& e) {
            host_.log(sdk::LogLevel::Warning, std::string("smtp setting unreadable at start-up: ") + e.what());
        }
        return names;
    }

    void tick() noexcept {
        std::unique_lock lock(mutex_);
        while (!stopping_) {
            wake_.wait_for(lock, std::chrono::seconds(1));
            if (stopping_) break;
            lock.unlock();
            relays_.refresh();
            relays_.sweepIdle();
            lock.lock();
        }
    }

    sdk::Host& host_;
    SmtpRelays relays_;  // before messengers_: they refer to it
    std::vector<std::unique_ptr<SmtpMessenger>> messengers_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread ticker_;
};

}  // namespace

TIDINGS_PLUGIN(SmtpPlugin, "messenger", "messenger-smtp", "1.0.0",
               "SMTP relays (listmonk's smtp settings) with pooled, pipelined sessions")
