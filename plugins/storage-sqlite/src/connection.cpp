#include "connection.hpp"

#include "errors.hpp"

namespace tidings::storage_sqlite {
namespace {

// sqlite3_prepare compiles only the first statement; anything after it but blanks and
// semicolons would be silently dropped, so it is refused (this also stops statement chaining in
// user-supplied expressions).
void requireSingleStatement(std::string_view sql, const char* tail) {
    if (!tail) return;
    std::string_view rest(tail, static_cast<std::size_t>(sql.data() + sql.size() - tail));
    if (rest.find_first_not_of(" \t\r\n;") != std::string_view::npos)
        throw SqliteError("only one statement is allowed", SQLITE_MISUSE);
}

constexpr int kMaxReadValueBytes = 64 << 20;

}  // namespace

Statement::~Statement() {
    if (stmt_) connection_->release(stmt_, cached_);
}

Statement& Statement::bind(int index, std::int64_t value) {
    connection_->check(sqlite3_bind_int64(stmt_, index, value), "bind");
    return *this;
}

Statement& Statement::bind(int index, double value) {
    connection_->check(sqlite3_bind_double(stmt_, index, value), "bind");
    return *this;
}

Statement& Statement::bind(int index, std::string_view value) {
    connection_->check(sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8),
                       "bind");
    return *this;
}

Statement& Statement::bindNull(int index) {
    connection_->check(sqlite3_bind_null(stmt_, index), "bind");
    return *this;
}

bool Statement::step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    connection_->check(rc);
    return false;
}

std::int64_t Statement::run() {
    while (step()) {
    }
    return connection_->changes();
}

std::string Statement::text(int col) const {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
    if (!p) return {};
    return std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)));
}

std::optional<std::string> Statement::optText(int col) const {
    if (isNull(col)) return std::nullopt;
    return text(col);
}

std::optional<std::int64_t> Statement::optInt64(int col) const {
    if (isNull(col)) return std::nullopt;
    return int64(col);
}

Connection::Connection(const ConnectionOptions& options) {
    const int flags = (options.read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) |
                      SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI;
    const int rc = sqlite3_open_v2(options.path.c_str(), &db_, flags, nullptr);
    if (rc != SQLITE_OK) {
        std::string message = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
        sqlite3_close_v2(db_);
        db_ = nullptr;
        throw SqliteError("cannot open " + options.path + ": " + message, rc);
    }
    sqlite3_extended_result_codes(db_, 1);
    sqlite3_busy_timeout(db_, static_cast<int>(options.busy_timeout.count()));
    // The progress handler runs every few thousand VM steps; it is how a deadline interrupts a
    // runaway query (a user's `query` expression over millions of rows) without another thread.
    sqlite3_progress_handler(
        db_, 4000,
        [](void* self) -> int {
            auto* c = static_cast<Connection*>(self);
            return c->has_deadline_ && std::chrono::steady_clock::now() > c->deadline_ ? 1 : 0;
        },
        this);
    // Readers run users' query expressions. A single call such as randomblob(900000000) runs
    // between progress-handler checks, so it is bounded by size instead: no value on a read
    // connection may exceed kMaxReadValueBytes (far above any stored subscriber, template or
    // campaign; SQLite answers "string or blob too big").
    if (options.read_only) sqlite3_limit(db_, SQLITE_LIMIT_LENGTH, kMaxReadValueBytes);
    // WAL lets readers run beside the single writer; NORMAL sync in WAL mode keeps every commit
    // atomic and durable against a process crash, fsyncing at checkpoints rather than per commit.
    if (!options.read_only) exec("PRAGMA journal_mode = WAL");
    exec("PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL");
}

Connection::~Connection() {
    cache_.clear();
    sqlite3_close_v2(db_);
}

Statement Connection::prepare(std::string_view sql) {
    std::string key(sql);
    if (auto it = cache_.find(key); it != cache_.end()) return Statement(*this, it->second.get(), true);
    sqlite3_stmt* raw = nullptr;
    const char* tail = nullptr;
    check(sqlite3_prepare_v3(db_, key.data(), static_cast<int>(key.size()), SQLITE_PREPARE_PERSISTENT, &raw, &tail));
    std::unique_ptr<sqlite3_stmt, StmtDeleter> owned(raw);
    if (!raw) throw SqliteError("empty statement", SQLITE_MISUSE);
    requireSingleStatement(key, tail);
    auto* stmt = owned.get();
    cache_.emplace(std::move(key), std::move(owned));
    return Statement(*this, stmt, true);
}

Statement Connection::prepareOnce(std::string_view sql) {
    sqlite3_stmt* raw = nullptr;
    const char* tail = nullptr;
    check(sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &raw, &tail));
    std::unique_ptr<sqlite3_stmt, StmtDeleter> owned(raw);
    if (!raw) throw SqliteError("empty statement", SQLITE_MISUSE);
    requireSingleStatement(sql, tail);
    return Statement(*this, owned.release(), false);
}

void Connection::exec(const char* sql) {
    char* error = nullptr;
    const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &error);
    if (rc != SQLITE_OK) {
        std::string message = error ? error : sqlite3_errstr(rc);
        sqlite3_free(error);
        throw SqliteError(message, sqlite3_extended_errcode(db_));
    }
}

void Connection::setDeadline(std::chrono::steady_clock::time_point deadline) noexcept {
    deadline_ = deadline;
    has_deadline_ = true;
}

void Connection::clearDeadline() noexcept { has_deadline_ = false; }

void Connection::check(int rc, std::string_view context) const {
    if (rc == SQLITE_OK || rc == SQLITE_ROW || rc == SQLITE_DONE) return;
    std::string message = sqlite3_errmsg(db_);
    if (!context.empty()) message = std::string(context) + ": " + message;
    throw SqliteError(message, sqlite3_extended_errcode(db_) ? sqlite3_extended_errcode(db_) : rc);
}

void Connection::release(sqlite3_stmt* stmt, bool cached) noexcept {
    if (!cached) {
        sqlite3_finalize(stmt);
        return;
    }
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
}

}  // namespace tidings::storage_sqlite
