#include "smtp_pool.hpp"

#include <algorithm>
#include <vector>

#include <Poco/Net/SSLManager.h>

namespace tidings::smtp {

namespace {

// OpenSSL and Poco's SSLManager need one-time set-up; Poco reference-counts initializeSSL, so
// the matching uninitializeSSL is left to process exit (the plugin is never unloaded while alive).
void initialiseSsl() {
    static std::once_flag once;
    std::call_once(once, [] { Poco::Net::initializeSSL(); });
}

}  // namespace

SmtpPool::Lease& SmtpPool::Lease::operator=(Lease&& other) noexcept {
    if (this != &other) {
        reset();
        pool_ = std::move(other.pool_);
        conn_ = std::move(other.conn_);
        reused_ = other.reused_;
    }
    return *this;
}

SmtpPool::Lease::~Lease() { reset(); }

void SmtpPool::Lease::discard() noexcept {
    if (pool_ && conn_) pool_->giveBack(std::move(conn_), false);
    conn_.reset();
    pool_.reset();
}

void SmtpPool::Lease::reset() noexcept {
    if (pool_ && conn_) {
        const bool keep = conn_->usable();
        pool_->giveBack(std::move(conn_), keep);
    }
    conn_.reset();
    pool_.reset();
}

SmtpPool::SmtpPool(std::shared_ptr<const ServerConfig> config) : config_(std::move(config)) {}

SmtpPool::~SmtpPool() = default;  // idle sessions close (QUIT) as the deque goes

Poco::Net::Context::Ptr SmtpPool::tlsContext() {
    if (config_->tls == TlsMode::None) return {};
    std::lock_guard lock(tls_mutex_);
    if (!tls_) {
        // Built once per pool: loading the system CA store costs milliseconds.
        initialiseSsl();
        const auto mode = config_->tls_skip_verify ? Poco::Net::Context::VERIFY_NONE : Poco::Net::Context::VERIFY_RELAXED;
        tls_ = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", mode, 9, true);
    }
    return tls_;
}

SmtpPool::Lease SmtpPool::acquire() {
    const auto deadline = std::chrono::steady_clock::now() + config_->wait_timeout;
    std::unique_lock lock(mutex_);
    for (;;) {
        if (!idle_.empty()) {
            auto conn = std::move(idle_.back());  // most recently used: likeliest still alive
            idle_.pop_back();
            return Lease(shared_from_this(), std::move(conn), true);
        }
        if (open_ < config_->max_conns) {
            ++open_;
            lock.unlock();  // connecting takes a round trip or more; others may use the pool
            try {
                auto conn = SmtpConnection::open(*config_, tlsContext());
                return Lease(shared_from_this(), std::move(conn), false);
            } catch (...) {
                lock.lock();
                --open_;
                freed_.notify_one();
                throw;
            }
        }
        if (freed_.wait_until(lock, deadline) == std::cv_status::timeout && idle_.empty() &&
            open_ >= config_->max_conns) {
            throw SmtpError(SmtpError::Kind::PoolWait, 0,
                            "smtp " + config_->host + ":" + std::to_string(config_->port) +
                                ": no free connection within wait_timeout (max_conns " +
                                std::to_string(config_->max_conns) + ")");
        }
    }
}

void SmtpPool::giveBack(std::unique_ptr<SmtpConnection> conn, bool keep) noexcept {
    std::vector<std::unique_ptr<SmtpConnection>> closing;  // closed after unlocking
    {
        std::lock_guard lock(mutex_);
        const auto now = std::chrono::steady_clock::now();
        if (keep && !retired_) {
            conn->last_used = now;
            idle_.push_back(std::move(conn));
        } else {
            --open_;
            closing.push_back(std::move(conn));
        }
        // Sweep the oldest here too, so idle sessions expire even without the ticker.
        while (!idle_.empty() && now - idle_.front()->last_used > config_->idle_timeout) {
            closing.push_back(std::move(idle_.front()));
            idle_.pop_front();
            --open_;
        }
    }
    freed_.notify_one();
}

void SmtpPool::sweepIdle() noexcept {
    std::vector<std::unique_ptr<SmtpConnection>> closing;
    {
        std::lock_guard lock(mutex_);
        const auto now = std::chrono::steady_clock::now();
        while (!idle_.empty() && now - idle_.front()->last_used > config_->idle_timeout) {
            closing.push_back(std::move(idle_.front()));
            idle_.pop_front();
            --open_;
        }
    }
    if (!closing.empty()) freed_.notify_all();
}

void SmtpPool::closeIdle() noexcept {
    std::deque<std::unique_ptr<SmtpConnection>> closing;
    {
        std::lock_guard lock(mutex_);
        open_ -= static_cast<int>(idle_.size());
        closing.swap(idle_);
    }
    freed_.notify_all();
}

void SmtpPool::retire() noexcept {
    {
        std::lock_guard lock(mutex_);
        retired_ = true;
    }
    closeIdle();
}

bool SmtpPool::backedOff() const noexcept {
    std::lock_guard lock(mutex_);
    const auto now = std::chrono::steady_clock::now();
    return (failures_ > 0 && now < backoff_until_) || now < rest_until_;
}

void SmtpPool::noteFailure() noexcept {
    std::lock_guard lock(mutex_);
    failures_ = std::min(failures_ + 1, 16);
    const auto delay = std::min<std::chrono::milliseconds>(std::chrono::milliseconds(500LL << (failures_ - 1)),
                                                           std::chrono::seconds(30));
    backoff_until_ = std::chrono::steady_clock::now() + delay;
}

void SmtpPool::noteTransientFailure() noexcept {
    std::lock_guard lock(mutex_);
    transient_ = std::min(transient_ + 1, 16);
    if (transient_ < 2) return;
    const auto rest = std::min<std::chrono::milliseconds>(std::chrono::milliseconds(100LL << (transient_ - 2)), kMaxRest);
    // Concurrent refusals extend the rest to the longest one asked for, never add them up.
    rest_until_ = std::max(rest_until_, std::chrono::steady_clock::now() + rest);
}

std::chrono::steady_clock::time_point SmtpPool::restingUntil() const noexcept {
    std::lock_guard lock(mutex_);
    return rest_until_;
}

void SmtpPool::noteSuccess() noexcept {
    std::lock_guard lock(mutex_);
    failures_ = 0;
    transient_ = 0;
    rest_until_ = {};
}

int SmtpPool::size() const noexcept {
    std::lock_guard lock(mutex_);
    return open_;
}

}  // namespace tidings::smtp
