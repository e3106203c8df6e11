// A pool of persistent SMTP sessions to one relay.
//
// Up to max_conns sessions exist at once (counting those being opened and those lent out);
// a caller that finds none free waits up to wait_timeout. Sessions are reused most-recently-used
// first, so under light load the surplus ones age out after idle_timeout instead of all staying
// half-warm. A broken session is discarded, never returned.
//
// Settings changes replace a pool instead of mutating it: the old one is retire()d, which closes
// its idle sessions at once and every lent-out one when it comes back, so in-flight sends finish
// on the session they started on. Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>

#include <Poco/Net/Context.h>

#include "smtp_connection.hpp"
#include "smtp_settings.hpp"

namespace tidings::smtp {

class SmtpPool : public std::enable_shared_from_this<SmtpPool> {
public:
    /// A session lent out by the pool; gives it back on destruction unless discard()ed.
    class Lease {
    public:
        Lease() = default;
        Lease(Lease&&) noexcept = default;
        Lease& operator=(Lease&& other) noexcept;
        ~Lease();

        explicit operator bool() const noexcept { return conn_ != nullptr; }
        SmtpConnection* operator->() const noexcept { return conn_.get(); }
        /// True when the session served an earlier message (it may have gone stale while idle).
        bool reused() const noexcept { return reused_; }
        const SmtpPool* pool() const noexcept { return pool_.get(); }
        /// Closes the session instead of returning it; the lease becomes empty.
        void discard() noexcept;
        /// Returns the session now (or closes it if it is no longer usable).
        void reset() noexcept;

    private:
        friend class SmtpPool;
        Lease(std::shared_ptr<SmtpPool> pool, std::unique_ptr<SmtpConnection> conn, bool reused)
            : pool_(std::move(pool)), conn_(std::move(conn)), reused_(reused) {}
        std::shared_ptr<SmtpPool> pool_;
        std::unique_ptr<SmtpConnection> conn_;
        bool reused_ = false;
    };

    explicit SmtpPool(std::shared_ptr<const ServerConfig> config);
    ~SmtpPool();

    /// A session: an idle one, a new one if fewer than max_conns exist, else the first one
    /// returned within wait_timeout. Throws SmtpError (PoolWait, or Io/Session from connecting).
    Lease acquire();

    /// Closes sessions idle for longer than idle_timeout. Called about once a second.
    void sweepIdle() noexcept;
    /// Closes idle sessions now; sessions lent out are closed when they come back.
    void retire() noexcept;
    /// Closes idle sessions now, keeps the pool usable (Messenger::close).
    void closeIdle() noexcept;

    /// Relay back-off, so that "email" prefers relays that work: after a connection-level
    /// failure a relay is skipped for 0.5 s, doubling per consecutive failure up to 30 s. A
    /// resting relay (below) counts as backed off too.
    bool backedOff() const noexcept;
    void noteFailure() noexcept;
    /// A transient refusal: a 4xx, or a session lost before the message went out in full. The
    /// first one after a success costs nothing (the message is retried at once); each further
    /// one in a row makes the relay rest, 100 ms doubling up to kMaxRest, during which nothing
    /// is sent to it. The rest belongs to the relay, not to a message: every worker that meets
    /// it waits for the same moment, so waits overlap instead of adding up over a campaign.
    void noteTransientFailure() noexcept;
    /// When the relay may be used again; in the past when it is not resting.
    std::chrono::steady_clock::time_point restingUntil() const noexcept;
    /// Ends both back-offs.
    void noteSuccess() noexcept;

    static constexpr std::chrono::milliseconds kMaxRest{1600};

    const ServerConfig& config() const noexcept { return *config_; }
    /// Sessions open, lent out or being opened.
    int size() const noexcept;

private:
    void giveBack(std::unique_ptr<SmtpConnection> conn, bool keep) noexcept;
    Poco::Net::Context::Ptr tlsContext();

    const std::shared_ptr<const ServerConfig> config_;  // declared first: sessions refer to it
    mutable std::mutex mutex_;
    std::condition_variable freed_;
    std::deque<std::unique_ptr<SmtpConnection>> idle_;  // front: least recently used
    int open_ = 0;
    bool retired_ = false;
    int failures_ = 0;
    std::chrono::steady_clock::time_point backoff_until_{};
    int transient_ = 0;  // transient refusals since the last success
    std::chrono::steady_clock::time_point rest_until_{};
    std::mutex tls_mutex_;
    Poco::Net::Context::Ptr tls_;
};

}  // namespace tidings::smtp
