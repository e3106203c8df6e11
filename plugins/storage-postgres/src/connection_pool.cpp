#include "connection_pool.hpp"

#include <algorithm>
#include <cctype>
#include <utility>

#include <poll.h>

#include <Poco/Data/PooledSessionImpl.h>
#include <Poco/Data/PostgreSQL/Connector.h>
#include <Poco/Data/PostgreSQL/SessionImpl.h>
#include <Poco/Exception.h>

#include "errors.hpp"

namespace tidings::storage_pg {
namespace {

// Poco hides the pooled session's real implementation behind a protected accessor. Taking the
// member pointer through a derived class is the legal way to reach it without patching Poco.
struct PooledAccess : Poco::Data::PooledSessionImpl {
    static constexpr auto access = &PooledAccess::access;
};

Poco::Data::PostgreSQL::SessionImpl& postgresSession(Poco::Data::Session& session) {
    Poco::Data::SessionImpl* impl = session.impl();
    if (auto* pooled = dynamic_cast<Poco::Data::PooledSessionImpl*>(impl))
        impl = (pooled->*PooledAccess::access)();
    auto* pg = dynamic_cast<Poco::Data::PostgreSQL::SessionImpl*>(impl);
    if (!pg) throw PgError("not a PostgreSQL session", "");
    return *pg;
}

PGconn* rawConnection(Poco::Data::Session& session) { return postgresSession(session).handle(); }

std::string quoteConninfoValue(const std::string& v) {
    // Poco splits the conninfo on spaces before libpq sees it, so a value with a space cannot be
    // passed through at all; quotes and backslashes are fine unquoted.
    if (v.find(' ') != std::string::npos)
        throw PgError("db.url: values containing spaces are not supported", "", "", true);
    return v;
}

}  // namespace

std::string toConninfo(const std::string& url, int connect_timeout_seconds) {
    char* err = nullptr;
    PQconninfoOption* opts = PQconninfoParse(url.c_str(), &err);
    if (!opts) {
        std::string msg = err ? err : "malformed";
        PQfreemem(err);
        while (!msg.empty() && std::isspace(static_cast<unsigned char>(msg.back()))) msg.pop_back();
        throw PgError("db.url: " + msg, "", "", true);
    }
    std::string out;
    bool has_timeout = false;
    try {
        for (PQconninfoOption* o = opts; o->keyword; ++o) {
            if (!o->val || !*o->val) continue;
            if (std::string_view(o->keyword) == "connect_timeout") has_timeout = true;
            if (!out.empty()) out += ' ';
            out += o->keyword;
            out += '=';
            out += quoteConninfoValue(o->val);
        }
    } catch (...) {
        PQconninfoFree(opts);
        throw;
    }
    PQconninfoFree(opts);
    if (!has_timeout) out += " connect_timeout=" + std::to_string(connect_timeout_seconds);
    return out;
}

std::string redactUrl(const std::string& url) {
    std::string out = url;
    // URL form: scheme://user:password@host...
    if (auto scheme = out.find("://"); scheme != std::string::npos) {
        auto at = out.find('@', scheme + 3);
        auto colon = out.find(':', scheme + 3);
        if (at != std::string::npos && colon != std::string::npos && colon < at)
            out.replace(colon + 1, at - colon - 1, "***");
    }
    // Query or key=value form: password=...
    for (std::size_t pos = 0; (pos = out.find("password=", pos)) != std::string::npos;) {
        pos += 9;
        auto end = out.find_first_of("& ", pos);
        out.replace(pos, (end == std::string::npos ? out.size() : end) - pos, "***");
    }
    return out;
}

// ---- Lease ------------------------------------------------------------------------------------

Lease::Lease(ConnectionPool& pool, Poco::Data::Session session, PGconn* conn, ConnState& state)
    : pool_(pool), session_(std::move(session)), conn_(conn), state_(state) {}

Lease::~Lease() {
    try {
        // A connection left inside a transaction or broken must not go back into circulation.
        if (!broken_ && PQtransactionStatus(conn_) != PQTRANS_IDLE) broken_ = true;
        if (broken_) {
            {
                std::lock_guard lock(pool_.state_mutex_);
                pool_.states_.erase(conn_);
            }
            postgresSession(session_).close();  // so the pool drops it rather than reusing it
            session_.close();
        }
    } catch (...) {
    }
    pool_.release();
}

Result Lease::check(PGresult* r) {
    Result result(r);
    const auto st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) return result;
    const bool lost = PQstatus(conn_) != CONNECTION_OK;
    std::string message = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : PQresultErrorMessage(r)
                            : PQerrorMessage(conn_);
    while (!message.empty() && std::isspace(static_cast<unsigned char>(message.back()))) message.pop_back();
    const char* state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
    const char* constraint = r ? PQresultErrorField(r, PG_DIAG_CONSTRAINT_NAME) : nullptr;
    if (lost) {
        broken_ = true;
        pool_.reportFailure("connection lost: " + message);
    }
    throw PgError(message, state ? state : "", constraint ? constraint : "", lost);
}

Result Lease::exec(std::string_view sql, const Params& params) {
    const std::string text(sql);
    const auto ptrs = params.pointers();
    return check(PQexecParams(conn_, text.c_str(), params.size(), nullptr,
                              ptrs.empty() ? nullptr : ptrs.data(), nullptr, nullptr, 0));
}

void Lease::script(std::string_view sql) {
    const std::string text(sql);
    check(PQexec(conn_, text.c_str()));
}

void Lease::copyIn(std::string_view copy_sql, std::string_view data) {
    const std::string text(copy_sql);
    PGresult* started = PQexec(conn_, text.c_str());
    if (!started || PQresultStatus(started) != PGRES_COPY_IN) {
        check(started);  // throws with the server's reason
        throw PgError("COPY did not start", "");
    }
    PQclear(started);
    // Chunks of 1 MiB: libpq buffers what it cannot send at once, so bounding the chunk bounds
    // that buffer too.
    constexpr std::size_t kChunk = 1 << 20;
    bool sent = true;
    for (std::size_t at = 0; at < data.size() && sent; at += kChunk) {
        const auto n = static_cast<int>(std::min(kChunk, data.size() - at));
        sent = PQputCopyData(conn_, data.data() + at, n) == 1;
    }
    // End the COPY even after a failed send so the server answers and the connection is usable.
    PQputCopyEnd(conn_, sent ? nullptr : "client failed to send COPY data");
    PGresult* finished = PQgetResult(conn_);
    // Drain what follows so the connection is idle before we throw or return.
    while (PGresult* extra = PQgetResult(conn_)) PQclear(extra);
    check(finished);
}

Result Lease::execPrepared(const char* name, std::string_view sql, const Params& params) {
    if (!state_.prepared.count(name)) {
        const std::string text(sql);
        check(PQprepare(conn_, name, text.c_str(), params.size(), nullptr));
        state_.prepared.insert(name);
    }
    const auto ptrs = params.pointers();
    return check(PQexecPrepared(conn_, name, params.size(), ptrs.empty() ? nullptr : ptrs.data(),
                                nullptr, nullptr, 0));
}

// ---- ConnectionPool ---------------------------------------------------------------------------

ConnectionPool::ConnectionPool(const PoolOptions& options)
    : options_(options), slots_(std::clamp(options.max_conns, 1, 1024)) {}

ConnectionPool::~ConnectionPool() {
    try {
        if (pool_) pool_->shutdown();
    } catch (...) {
    }
}

std::unique_ptr<ConnectionPool> ConnectionPool::open(const PoolOptions& options) {
    Poco::Data::PostgreSQL::Connector::registerConnector();
    std::unique_ptr<ConnectionPool> pool(new ConnectionPool(options));  // private constructor
    pool->conninfo_ = toConninfo(options.url, options.connect_timeout_seconds);
    const int max = std::clamp(options.max_conns, 1, 1024);
    pool->pool_ = std::make_unique<Poco::Data::SessionPool>("postgresql", pool->conninfo_, 1, max, 60);
    auto lease = pool->acquire();
    Result r = lease->exec("SELECT current_setting('server_version')");
    pool->server_version_ = "postgresql " + r.str(0, 0);
    return pool;
}

void ConnectionPool::reportFailure(const std::string& why) noexcept {
    if (!options_.on_connection_failure) return;
    try {
        const std::string text = redactUrl(why);
        const auto now = std::chrono::steady_clock::now();
        int more = 0;
        {
            // An outage fails every request the same way: report each new reason at once, and a
            // repeat of the last one at most once a second, with the count of those left out.
            std::lock_guard lock(report_mutex_);
            if (text == last_report_ && now - last_report_at_ < std::chrono::seconds(1)) {
                ++unreported_;
                return;
            }
            last_report_ = text;
            last_report_at_ = now;
            more = std::exchange(unreported_, 0);
        }
        options_.on_connection_failure(text + (more ? " (repeated " + std::to_string(more) + " times)" : ""));
    } catch (...) {
    }
}

Poco::Data::Session ConnectionPool::liveSession() {
    // Each dead idle connection is replaced by a new one, so this ends within max_conns tries.
    for (int attempt = 0;; ++attempt) {
        Poco::Data::Session session = pool_->get();
        PGconn* conn = rawConnection(session);
        // An idle connection is sent nothing we asked for (no LISTEN), so anything waiting on
        // its socket is the server's goodbye: a FATAL error, then EOF.
        pollfd fd{PQsocket(conn), POLLIN, 0};
        if (PQstatus(conn) == CONNECTION_OK && fd.fd >= 0 && ::poll(&fd, 1, 0) == 0) return session;
        PQconsumeInput(conn);
        if (attempt == 0) {
            const std::string detail = PQerrorMessage(conn);
            reportFailure("dropped a pooled connection the server had closed" + (detail.empty() ? "" : ": " + detail));
        }
        {
            std::lock_guard lock(state_mutex_);
            states_.erase(conn);
        }
        // Disconnect the real session first, so that handing it back drops it from the pool
        // instead of returning it to the idle list.
        postgresSession(session).close();
        session.close();
        if (attempt >= options_.max_conns) throw PgError("no live database connection", "", "", true);
    }
}

std::unique_ptr<Lease> ConnectionPool::acquire() {
    if (!slots_.try_acquire_for(options_.acquire_timeout))
        throw PgError("no free database connection within the time limit", "", "", true);
    bool slot_owned = true;
    try {
        Poco::Data::Session session = liveSession();
        PGconn* conn = rawConnection(session);
        Lease::ConnState* state = nullptr;
        bool fresh = false;
        {
            std::lock_guard lock(state_mutex_);
            state = &states_[conn];
            // A new backend behind a recycled PGconn address must not inherit prepared names.
            if (state->backend_pid != PQbackendPID(conn)) {
                state->backend_pid = PQbackendPID(conn);
                state->prepared.clear();
                fresh = true;
            }
        }
        slot_owned = false;  // the Lease releases the slot from here on
        std::unique_ptr<Lease> lease(new Lease(*this, std::move(session), conn, *state));
        if (fresh) {
            // Server NOTICEs (e.g. "already exists, skipping") would go to stderr by default.
            PQsetNoticeProcessor(conn, [](void*, const char*) {}, nullptr);
            // Session-wide limit so no statement can hold a connection forever; UTC so text
            // timestamps (if any) are unambiguous; standard strings because the query
            // expression policy reads '...' literals without backslash escapes.
            lease->exec("SELECT set_config('statement_timeout', $1, false), "
                        "set_config('TimeZone', 'UTC', false), "
                        "set_config('standard_conforming_strings', 'on', false)",
                        [&] { Params p; p.add(std::to_string(options_.query_timeout.count())); return p; }());
        }
        return lease;
    } catch (const Poco::Exception& e) {
        if (slot_owned) slots_.release();
        reportFailure("cannot connect: " + e.displayText());
        throw PgError(redactUrl(e.displayText()), "", "", true);
    } catch (...) {
        if (slot_owned) slots_.release();
        throw;
    }
}

}  // namespace tidings::storage_pg
