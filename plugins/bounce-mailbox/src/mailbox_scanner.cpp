#include "mailbox_scanner.hpp"

#include <Poco/DigestEngine.h>
#include <Poco/Exception.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/SHA1Engine.h>

#include "bounce_events.hpp"
#include "dsn_parser.hpp"
#include "pop3_mailbox.hpp"

namespace tidings::mailbox {
namespace {

// How often the thread looks at the settings, so that a change applies within about a second.
constexpr auto kTick = std::chrono::seconds(1);
// listmonk reads at most this many messages per scan; the rest wait for the next one.
constexpr std::size_t kMaxPerScan = 1000;
// Bounces are small; anything this large is not one and is left alone.
constexpr std::size_t kMaxMessageBytes = 32u << 20;
// A bounce recorded but not yet deleted (the session broke before QUIT) is remembered this long,
// so that the next scan deletes it instead of recording it twice.
constexpr std::chrono::seconds kRememberRecorded = std::chrono::hours(24 * 30);

std::string fingerprint(const std::string& raw) {
    Poco::SHA1Engine sha1;
    sha1.update(raw);
    return Poco::DigestEngine::digestToHex(sha1.digest());
}

bool settingIsTrue(const sdk::Host& host, std::string_view key) {
    const auto value = host.setting(key);
    return value && *value == "true";
}

}  // namespace

void MailboxScanner::start() {
    std::lock_guard lock(mutex_);
    if (thread_.joinable()) return;
    stopping_ = false;
    thread_ = std::thread([this] { run(); });
}

void MailboxScanner::stop() noexcept {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
}

bool MailboxScanner::stopping() {
    std::lock_guard lock(mutex_);
    return stopping_;
}

void MailboxScanner::run() noexcept {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        lock.unlock();
        try {
            scanDue();
        } catch (const std::exception& e) {
            host_.log(sdk::LogLevel::Error, std::string("mailbox scan failed: ") + e.what());
        } catch (...) {
            host_.log(sdk::LogLevel::Error, "mailbox scan failed");
        }
        lock.lock();
        wake_.wait_for(lock, kTick, [this] { return stopping_; });
    }
}

void MailboxScanner::logSettingsProblems(const std::string& json, const std::vector<std::string>& problems) {
    // Once per distinct value: the settings are read every second.
    if (json == logged_settings_) return;
    logged_settings_ = json;
    for (const auto& problem : problems) host_.log(sdk::LogLevel::Error, problem + "; this mailbox is not scanned");
}

void MailboxScanner::scanDue() {
    if (!settingIsTrue(host_, "bounce.enabled")) return;
    const std::string json = host_.setting("bounce.mailboxes").value_or("[]");
    const auto settings = parseMailboxes(json);
    logSettingsProblems(json, settings.problems);
    const auto now = Clock::now();
    for (const auto& config : settings.mailboxes) {
        if (stopping()) return;
        auto [it, fresh] = next_scan_.try_emplace(config.describe(), now);
        // A shortened interval applies at once rather than after the old, longer wait.
        if (!fresh && it->second > now + config.scan_interval) it->second = now;
        if (it->second > now) continue;
        scan(config);
        it->second = Clock::now() + config.scan_interval;
    }
}

Poco::Net::Context::Ptr MailboxScanner::tlsContext(bool skip_verify) {
    auto& context = skip_verify ? tls_no_verify_ : tls_verify_;
    if (!context) {
        Poco::Net::initializeSSL();
        const auto mode = skip_verify ? Poco::Net::Context::VERIFY_NONE : Poco::Net::Context::VERIFY_RELAXED;
        context = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", mode, 9, true);
    }
    return context;
}

void MailboxScanner::scan(const MailboxConfig& config) {
    const std::string where = config.describe();
    try {
        Pop3Mailbox mailbox(config, config.tls_enabled ? tlsContext(config.tls_skip_verify) : nullptr);
        const auto waiting = mailbox.list();
        std::size_t handled = 0;
        for (const auto& message : waiting) {
            if (handled == kMaxPerScan || stopping()) break;
            ++handled;
            if (message.size > kMaxMessageBytes) {
                host_.log(sdk::LogLevel::Warning, where + ": message " + std::to_string(message.id) + " has " +
                                                      std::to_string(message.size) + " bytes, too large for a bounce; left in the mailbox");
                continue;
            }
            if (!process(mailbox, config, message.id)) break;
        }
        mailbox.close();
    } catch (const Poco::Exception& e) {
        // Deletions are not committed without QUIT; the next scan sees the same messages again.
        host_.log(sdk::LogLevel::Warning, where + ": scan failed, retrying in " +
                                              std::to_string(config.scan_interval.count() / 1000) + "s: " + e.displayText());
    }
}

bool MailboxScanner::process(Pop3Mailbox& mailbox, const MailboxConfig& config, int id) {
    const std::string where = config.describe() + ": message " + std::to_string(id);
    const std::string raw = mailbox.retrieve(id);
    const ParsedMessage parsed = parseBounceMessage(raw);
    switch (parsed.kind) {
    case MessageKind::Malformed:
        host_.log(sdk::LogLevel::Warning, where + " is malformed (" + parsed.why + ")" +
                                              (config.delete_malformed ? "; deleted" : "; left in the mailbox"));
        if (config.delete_malformed) mailbox.remove(id);
        return true;
    case MessageKind::NotBounce:
        host_.log(sdk::LogLevel::Info, where + " \"" + parsed.subject + "\" is not a bounce (" + parsed.why + "); deleted");
        mailbox.remove(id);
        return true;
    case MessageKind::Bounce: break;
    }

    const std::string seen_key = "recorded:" + fingerprint(raw);
    std::optional<std::string> seen;
    if (auto st = host_.getState(seen_key, seen); !st) {
        host_.log(sdk::LogLevel::Warning, where + ": state unavailable, scan postponed: " + st.message());
        return false;
    }
    if (!seen) {
        for (const auto& event : bounceEvents(parsed, config.host, config.describe())) {
            sdk::BounceOutcome outcome;
            if (auto st = host_.recordBounce(event, outcome); !st) {
                if (st.code() == sdk::StatusCode::Invalid) {
                    // This message can never be recorded; treat it like any unreadable one.
                    host_.log(sdk::LogLevel::Warning, where + " cannot be recorded (" + st.message() + ")" +
                                                          (config.delete_malformed ? "; deleted" : "; left in the mailbox"));
                    if (config.delete_malformed) mailbox.remove(id);
                    return true;
                }
                // Bounces switched off or storage trouble: keep the message, and the rest, for a later scan.
                host_.log(sdk::LogLevel::Warning, where + ": bounce not recorded, kept for the next scan: " + st.message());
                return false;
            }
            if (!outcome.recorded)
                host_.log(sdk::LogLevel::Info, where + ": no subscriber " +
                                                   (event.subscriber_uuid.empty() ? event.email : event.subscriber_uuid));
        }
        if (auto st = host_.putState(seen_key, "1", kRememberRecorded); !st)
            host_.log(sdk::LogLevel::Warning, where + ": recorded, but not remembered: " + st.message());
    }
    mailbox.remove(id);
    return true;
}

}  // namespace tidings::mailbox
