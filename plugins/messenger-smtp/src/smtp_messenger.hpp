// The sdk::Messenger over the relay pools: "email" spreads messages over every enabled relay;
// "email-<name>" sends through one named relay only.
//
// Retries (per message, up to max_msg_retries): a 4xx reply is retried on the same session (it
// stays in step), or on the next relay when there are several; a connection lost before the
// message went out in full is retried on a fresh session. There is no pause per message: the
// relay's own back-off (SmtpPool::noteTransientFailure) rests it only after refusals in a row,
// and every worker shares that rest. A 5xx reply is final (Invalid, with the relay's text). A
// connection lost after the final "." is never retried: the relay may have the message, so it is
// Unconfirmed. A session that turned out stale after sitting idle in the pool is replaced at
// once without using up a retry. Thread-safe: push is called from many worker threads; every
// call borrows its own session.
#pragma once

#include <atomic>
#include <optional>
#include <string>
#include <vector>

#include <tidings/sdk/v1/messenger.hpp>

#include "mime_composer.hpp"
#include "smtp_relays.hpp"

namespace tidings::sdk::v1 {
class Host;
}

namespace tidings::smtp {

class SmtpMessenger final : public tidings::sdk::v1::Messenger {
public:
    /// `relay_name` empty: the "email" messenger over all relays; else "email-<relay_name>".
    SmtpMessenger(SmtpRelays& relays, std::string relay_name);

    std::string_view name() const noexcept override { return name_; }
    std::size_t maxBatch() const noexcept override { return kMaxBatch; }
    tidings::sdk::v1::Status push(const tidings::sdk::v1::Message& message) noexcept override;
    tidings::sdk::v1::Status pushBatch(const std::vector<tidings::sdk::v1::Message>& messages,
                                       std::vector<tidings::sdk::v1::Status>& results) noexcept override;
    /// push() returns only once the relay answered, so there is never anything to wait for.
    tidings::sdk::v1::Status flush() noexcept override { return {}; }
    void close() noexcept override;

    static constexpr std::size_t kMaxBatch = 100;

private:
    /// Sends one message, borrowing a session into `held` (or reusing it) and leaving it there
    /// for the next message of a batch.
    tidings::sdk::v1::Status deliver(const tidings::sdk::v1::Message& message,
                                     std::optional<SmtpPool::Lease>& held);
    /// The relays this messenger may use, in the order to try them (back-off last).
    std::vector<const Relay*> candidates(const RelaySet& set);

    SmtpRelays& relays_;
    const std::string relay_name_;
    const std::string name_;
    std::atomic<unsigned> next_{0};  // round-robin cursor over the relays
};

}  // namespace tidings::smtp
