#include "http_pool.hpp"

#include <Poco/Net/HTTPSClientSession.h>

namespace tidings::postback {

HttpPool::HttpPool(const Poco::URI& uri, std::size_t max_conns, std::chrono::milliseconds timeout)
    : uri_(uri), max_conns_(max_conns < 1 ? 1 : max_conns), timeout_(timeout) {
    if (uri_.getScheme() == "https") {
        // Verify the peer against the system's CA store, as any HTTP client would.
        tls_ = Poco::makeAuto<Poco::Net::Context>(Poco::Net::Context::TLS_CLIENT_USE, "", Poco::Net::Context::VERIFY_RELAXED,
                                                  9, true);
    }
}

HttpPool::Lease::~Lease() {
    if (pool_) pool_->giveBack(std::move(session_));
}

std::unique_ptr<Poco::Net::HTTPClientSession> HttpPool::makeSession() {
    std::unique_ptr<Poco::Net::HTTPClientSession> s;
    if (tls_) s = std::make_unique<Poco::Net::HTTPSClientSession>(uri_.getHost(), uri_.getPort(), tls_);
    else s = std::make_unique<Poco::Net::HTTPClientSession>(uri_.getHost(), uri_.getPort());
    const Poco::Timespan t(static_cast<Poco::Timespan::TimeDiff>(timeout_.count()) * 1000);
    s->setTimeout(t, t, t);
    s->setKeepAlive(true);
    // Reconnect before reusing a connection idle for longer than typical servers keep it open
    // (nginx: 75 s, Go's net/http: 90 s, Python: until the handler returns), to avoid a stale send.
    s->setKeepAliveTimeout(Poco::Timespan(4, 0));
    return s;
}

HttpPool::Lease HttpPool::acquire() {
    std::unique_lock lock(mutex_);
    if (!freed_.wait_for(lock, timeout_, [this] { return !idle_.empty() || borrowed_ < max_conns_; }))
        throw PoolTimeout("postback: all " + std::to_string(max_conns_) + " connections busy for " +
                          std::to_string(timeout_.count()) + " ms");
    ++borrowed_;
    if (!idle_.empty()) {
        auto s = std::move(idle_.back());
        idle_.pop_back();
        return Lease(*this, std::move(s), true);
    }
    lock.unlock();
    try {
        return Lease(*this, makeSession(), false);
    } catch (...) {
        lock.lock();
        --borrowed_;
        freed_.notify_one();
        throw;
    }
}

void HttpPool::giveBack(std::unique_ptr<Poco::Net::HTTPClientSession> session) noexcept {
    std::unique_ptr<Poco::Net::HTTPClientSession> closing;  // destroyed outside the lock
    {
        std::lock_guard lock(mutex_);
        --borrowed_;
        if (session && !closing_) {
            try {
                idle_.push_back(std::move(session));
            } catch (...) {
                closing = std::move(session);
            }
        } else {
            closing = std::move(session);
        }
    }
    freed_.notify_one();
}

void HttpPool::closeIdle() noexcept {
    std::vector<std::unique_ptr<Poco::Net::HTTPClientSession>> closing;
    {
        std::lock_guard lock(mutex_);
        closing.swap(idle_);
    }
}

void HttpPool::retire() noexcept {
    std::vector<std::unique_ptr<Poco::Net::HTTPClientSession>> closing;
    {
        std::lock_guard lock(mutex_);
        closing_ = true;
        closing.swap(idle_);
    }
}

std::size_t HttpPool::openCount() const {
    std::lock_guard lock(mutex_);
    return borrowed_ + idle_.size();
}

}  // namespace tidings::postback
