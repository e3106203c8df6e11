// Keep-alive HTTP(S) sessions to one postback endpoint, at most max_conns at a time.
//
// A sender borrows a session with acquire(); the Lease gives it back on destruction, or drops it
// when the sender called discard() (the connection failed or the peer will close it). Borrowers
// beyond max_conns wait up to the endpoint's timeout. Sessions that sat idle are reused: Poco's
// HTTPClientSession reconnects by itself once its keep-alive timeout passed, and the messenger
// retries a stale reused session once on a fresh one.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <vector>

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/URI.h>

namespace tidings::postback {

/// No session became free within the timeout.
class PoolTimeout : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class HttpPool {
public:
    HttpPool(const Poco::URI& uri, std::size_t max_conns, std::chrono::milliseconds timeout);
    HttpPool(const HttpPool&) = delete;
    HttpPool& operator=(const HttpPool&) = delete;

    class Lease {
    public:
        Lease(HttpPool& pool, std::unique_ptr<Poco::Net::HTTPClientSession> session, bool reused)
            : pool_(&pool), session_(std::move(session)), reused_(reused) {}
        Lease(Lease&& other) noexcept
            : pool_(other.pool_), session_(std::move(other.session_)), reused_(other.reused_) {
            other.pool_ = nullptr;
        }
        Lease& operator=(Lease&&) = delete;
        Lease(const Lease&) = delete;
        ~Lease();

        Poco::Net::HTTPClientSession& session() { return *session_; }
        /// Whether the session was used before (and may have been closed by the peer meanwhile).
        bool reused() const { return reused_; }
        /// The session is not returned to the pool.
        void discard() { session_.reset(); }

    private:
        HttpPool* pool_;
        std::unique_ptr<Poco::Net::HTTPClientSession> session_;
        bool reused_;
    };

    /// Borrows an idle session or opens a new one (connecting lazily, on the first request).
    /// Throws PoolTimeout when all max_conns are in use for longer than the timeout.
    Lease acquire();

    /// Closes the idle sessions; borrowed ones stay open and return to the pool.
    void closeIdle() noexcept;

    /// Closes the idle sessions and every borrowed one when it is given back: the endpoint's
    /// settings changed or the plugin stops.
    void retire() noexcept;

    /// Sessions open now (borrowed + idle), for tests and logs.
    std::size_t openCount() const;

private:
    void giveBack(std::unique_ptr<Poco::Net::HTTPClientSession> session) noexcept;
    std::unique_ptr<Poco::Net::HTTPClientSession> makeSession();

    const Poco::URI uri_;
    const std::size_t max_conns_;
    const std::chrono::milliseconds timeout_;
    Poco::Net::Context::Ptr tls_;  // shared by every HTTPS session; null for http://
    mutable std::mutex mutex_;
    std::condition_variable freed_;
    std::vector<std::unique_ptr<Poco::Net::HTTPClientSession>> idle_;
    std::size_t borrowed_ = 0;
    bool closing_ = false;
};

}  // namespace tidings::postback
