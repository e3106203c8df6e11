// The configured relays and their pools, kept in step with the `smtp` runtime setting.
//
// refresh() compares the setting's JSON text with the last one seen (cheap: one string compare)
// and only on a change parses it and builds a new snapshot. A relay whose connection fields
// (host, port, credentials, TLS, pool sizes, timeouts) are unchanged keeps its pool; otherwise it
// gets a new pool and the old one is retired, so sends already under way finish on their
// sessions. Readers take the snapshot (a shared_ptr) and never hold a lock while sending.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "smtp_pool.hpp"
#include "smtp_settings.hpp"

namespace tidings::sdk::v1 {
class Host;
}

namespace tidings::smtp {

struct Relay {
    std::shared_ptr<const ServerConfig> config;  ///< per-message options: headers, retries
    std::shared_ptr<SmtpPool> pool;
};
using RelaySet = std::vector<Relay>;

class SmtpRelays {
public:
    explicit SmtpRelays(tidings::sdk::v1::Host& host);
    ~SmtpRelays();

    /// Re-reads the `smtp` setting if its text changed. A malformed setting is logged and the
    /// previous relays stay in use. Never throws.
    void refresh() noexcept;

    /// The current relays (refresh() first). Never null; may be empty.
    std::shared_ptr<const RelaySet> snapshot() const noexcept;

    void sweepIdle() noexcept;
    void closeIdle() noexcept;
    /// Retires every pool (plugin stop).
    void shutdown() noexcept;

private:
    void apply(std::vector<ServerConfig> configs);

    tidings::sdk::v1::Host& host_;
    std::mutex reload_mutex_;  // serialises reloads; readers use snapshot_mutex_ only
    std::string text_;
    bool loaded_ = false;
    mutable std::mutex snapshot_mutex_;
    std::shared_ptr<const RelaySet> snapshot_;
};

}  // namespace tidings::smtp
