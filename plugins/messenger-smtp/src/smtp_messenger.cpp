#include "smtp_messenger.hpp"

#include <algorithm>
#include <thread>

namespace tidings::smtp {

namespace sdk = ::tidings::sdk::v1;

SmtpMessenger::SmtpMessenger(SmtpRelays& relays, std::string relay_name)
    : relays_(relays),
      relay_name_(std::move(relay_name)),
      name_(relay_name_.empty() ? std::string("email") : "email-" + relay_name_) {}

std::vector<const Relay*> SmtpMessenger::candidates(const RelaySet& set) {
    std::vector<const Relay*> ready, waiting;
    const unsigned start = next_.fetch_add(1, std::memory_order_relaxed);
    for (std::size_t i = 0; i < set.size(); ++i) {
        const Relay& r = set[(start + i) % set.size()];
        if (!relay_name_.empty() && r.config->name != relay_name_) continue;
        (r.pool->backedOff() ? waiting : ready).push_back(&r);
    }
    // Relays in back-off are still tried, after the others: when all are down the message gets
    // a real connection error instead of a made-up one.
    ready.insert(ready.end(), waiting.begin(), waiting.end());
    return ready;
}

sdk::Status SmtpMessenger::deliver(const sdk::Message& message, std::optional<SmtpPool::Lease>& held) {
    relays_.refresh();
    const auto set = relays_.snapshot();
    const auto relays = candidates(*set);
    if (relays.empty()) {
        if (held) held.reset();
        return sdk::Status::unavailable(relay_name_.empty()
                                            ? "smtp: no SMTP server is enabled"
                                            : "smtp: server \"" + relay_name_ + "\" is not enabled in the smtp settings");
    }

    // Composition depends on the relay only through its email_headers: compose once per relay.
    thread_local Envelope envelope;
    thread_local std::string data;
    const Relay* composed_for = nullptr;

    const auto started = std::chrono::steady_clock::now();
    const int attempts = 1 + relays.front()->config->max_msg_retries;
    int attempt = 0, stale_replacements = 0;
    std::size_t cursor = 0;
    std::string last_error;
    while (attempt < attempts) {
        // Stay on the held session's relay if it is a candidate; else rotate through them.
        const Relay* relay = relays[cursor % relays.size()];
        if (held && *held && !(*held)->usable()) held.reset();  // closed by the pool on return
        if (held && *held) {
            for (const Relay* r : relays)
                if (r->pool.get() == held->pool()) relay = r;
            if (held->pool() != relay->pool.get()) held.reset();
        }
        // A resting relay is waited for with every other worker that met it; never beyond the
        // message's wait_timeout, so a relay that refuses everything still fails messages in time.
        const auto rest = relay->pool->restingUntil();
        if (rest > std::chrono::steady_clock::now()) {
            if (rest - started > relay->config->wait_timeout) {
                if (relays.size() == 1) break;
                held.reset();  // another relay may not be resting
                ++attempt;
                ++cursor;
                continue;
            }
            std::this_thread::sleep_until(rest);
        }
        try {
            if (composed_for == nullptr || composed_for->config->email_headers != relay->config->email_headers) {
                composeMessage(message, relay->config->email_headers, envelope, data);
            }
            composed_for = relay;
        } catch (const std::invalid_argument& e) {
            return sdk::Status::invalid(e.what());
        }
        bool reused = false;
        try {
            if (!held || !*held) held = relay->pool->acquire();
            reused = (*held).reused();
            (*held)->send(envelope, data);
            relay->pool->noteSuccess();
            return {};
        } catch (const SmtpError& e) {
            last_error = e.what();
            switch (e.kind()) {
            case SmtpError::Kind::Unconfirmed:
                // The relay may have the message: another attempt could deliver a second copy.
                if (held) held->discard();
                held.reset();
                relay->pool->noteFailure();
                return sdk::Status::unconfirmed(last_error);
            case SmtpError::Kind::Reply:
                if (e.permanent()) return sdk::Status::invalid(last_error);  // the session stays usable (RSET next time)
                // The session is still in step (unless the relay closed it with a 421): retry on
                // it, or on the next relay when there are several.
                relay->pool->noteTransientFailure();
                if (held && relays.size() > 1) held.reset();
                break;
            case SmtpError::Kind::Io: {
                const bool stale = reused && held && *held && !(*held)->repliedInTransaction();
                if (held) held->discard();  // retry on a fresh session
                held.reset();
                if (stale && stale_replacements++ < 2) continue;
                relay->pool->noteFailure();
                relay->pool->noteTransientFailure();
                break;
            }
            case SmtpError::Kind::PoolWait:
                return sdk::Status::unavailable(last_error);
            case SmtpError::Kind::Session:
                if (held) held->discard();
                held.reset();
                relay->pool->noteFailure();
                if (e.permanent()) {
                    // Refused credentials or TLS: retrying the same relay cannot help.
                    if (relays.size() == 1) return sdk::Status::unavailable(last_error);
                } else {
                    relay->pool->noteTransientFailure();
                }
                break;
            }
        } catch (const std::exception& e) {
            if (held) held->discard();
            held.reset();
            last_error = std::string("smtp: ") + e.what();
        }
        ++attempt;
        ++cursor;
        // Give up early rather than keep a worker beyond wait_timeout on a relay that is down.
        if (std::chrono::steady_clock::now() - started > relay->config->wait_timeout) break;
    }
    return sdk::Status::unavailable(last_error.empty() ? "smtp: every relay is resting after temporary failures"
                                                       : last_error);
}

sdk::Status SmtpMessenger::push(const sdk::Message& message) noexcept {
    try {
        std::optional<SmtpPool::Lease> held;
        return deliver(message, held);
    } catch (const std::exception& e) {
        return sdk::Status::internal(std::string("smtp: ") + e.what());
    } catch (...) {
        return sdk::Status::internal("smtp: unknown error");
    }
}

sdk::Status SmtpMessenger::pushBatch(const std::vector<sdk::Message>& messages,
                                     std::vector<sdk::Status>& results) noexcept {
    try {
        results.assign(messages.size(), sdk::Status{});
        if (messages.size() > kMaxBatch)
            return sdk::Status::invalid("smtp: batch of " + std::to_string(messages.size()) +
                                        " exceeds maxBatch " + std::to_string(kMaxBatch));
        // One session for the whole batch: no pool round trip per message.
        std::optional<SmtpPool::Lease> held;
        for (std::size_t i = 0; i < messages.size(); ++i) results[i] = deliver(messages[i], held);
        return {};
    } catch (const std::exception& e) {
        return sdk::Status::internal(std::string("smtp: ") + e.what());
    } catch (...) {
        return sdk::Status::internal("smtp: unknown error");
    }
}

void SmtpMessenger::close() noexcept { relays_.closeIdle(); }

}  // namespace tidings::smtp
