// The background scan: while `bounce.enabled` is on, every enabled mailbox of
// `bounce.mailboxes` is read on its own scan_interval, its bounces recorded through the host,
// and the messages it has dealt with deleted.
#pragma once

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include <Poco/Net/Context.h>

#include <tidings/sdk/v1/host.hpp>

#include "mailbox_settings.hpp"

namespace tidings::mailbox {

namespace sdk = ::tidings::sdk::v1;

class MailboxScanner {
public:
    explicit MailboxScanner(sdk::Host& host) : host_(host) {}
    ~MailboxScanner() { stop(); }
    MailboxScanner(const MailboxScanner&) = delete;
    MailboxScanner& operator=(const MailboxScanner&) = delete;

    /// Starts the scanning thread. Idempotent.
    void start();
    /// Stops it, waiting for a scan in progress to reach its next message (or a network timeout).
    void stop() noexcept;

private:
    using Clock = std::chrono::steady_clock;

    void run() noexcept;
    bool stopping();
    /// Reads the settings and scans whatever is due; returns when each mailbox is next due.
    void scanDue();
    void scan(const MailboxConfig& config);
    /// Handles message `id`; false when scanning must stop here (bounces off, storage down).
    bool process(class Pop3Mailbox& mailbox, const MailboxConfig& config, int id);
    Poco::Net::Context::Ptr tlsContext(bool skip_verify);
    void logSettingsProblems(const std::string& json, const std::vector<std::string>& problems);

    sdk::Host& host_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread thread_;

    // Touched by the scanning thread only.
    std::map<std::string, Clock::time_point> next_scan_;  ///< Keyed by MailboxConfig::describe().
    std::string logged_settings_;  ///< The settings value whose problems were last logged.
    Poco::Net::Context::Ptr tls_verify_, tls_no_verify_;
};

}  // namespace tidings::mailbox
