// One SQLite connection and its prepared statements, wrapped RAII-style.
//
// A Connection is used by one thread at a time (the Database hands it out through a lease). It
// caches every statement it prepares, keyed by its SQL text, so hot queries are parsed once per
// connection; a Statement handle borrows a cached statement and resets it when it goes away.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include <sqlite3.h>

namespace tidings::storage_sqlite {

class Connection;

/// A prepared statement borrowed from a Connection's cache: bind, step, read columns. Parameters
/// are 1-based as in SQLite; columns are 0-based.
class Statement {
public:
    Statement(Connection& connection, sqlite3_stmt* stmt, bool cached) noexcept
        : connection_(&connection), stmt_(stmt), cached_(cached) {}
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    Statement(Statement&& other) noexcept
        : connection_(other.connection_), stmt_(other.stmt_), cached_(other.cached_) {
        other.stmt_ = nullptr;
    }
    ~Statement();

    Statement& bind(int index, std::int64_t value);
    Statement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
    Statement& bind(int index, bool value) { return bind(index, static_cast<std::int64_t>(value ? 1 : 0)); }
    Statement& bind(int index, double value);
    Statement& bind(int index, std::string_view value);
    Statement& bind(int index, const std::string& value) { return bind(index, std::string_view(value)); }
    Statement& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
    Statement& bindNull(int index);
    template <typename T>
    Statement& bind(int index, const std::optional<T>& value) {
        return value ? bind(index, *value) : bindNull(index);
    }

    /// Binds every argument in order from parameter 1.
    template <typename... Args>
    Statement& bindAll(const Args&... args) {
        int index = 0;
        (bind(++index, args), ...);
        return *this;
    }

    /// Advances to the next row: true when a row is available, false when done. Throws SqliteError.
    bool step();
    /// Steps until done (for statements that return no rows); returns sqlite3_changes().
    std::int64_t run();

    bool isNull(int col) const noexcept { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
    std::int64_t int64(int col) const noexcept { return sqlite3_column_int64(stmt_, col); }
    double real(int col) const noexcept { return sqlite3_column_double(stmt_, col); }
    bool boolean(int col) const noexcept { return sqlite3_column_int64(stmt_, col) != 0; }
    std::string text(int col) const;
    std::optional<std::string> optText(int col) const;
    std::optional<std::int64_t> optInt64(int col) const;
    int columns() const noexcept { return sqlite3_column_count(stmt_); }

private:
    Connection* connection_;
    sqlite3_stmt* stmt_;
    bool cached_;
};

/// How a connection is opened.
struct ConnectionOptions {
    std::string path;
    bool read_only = false;
    std::chrono::milliseconds busy_timeout{5000};
};

class Connection {
public:
    /// Opens the file (creating it unless read_only), turns on WAL, foreign keys and the busy
    /// timeout. Throws SqliteError.
    explicit Connection(const ConnectionOptions& options);
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;
    ~Connection();

    /// A cached prepared statement for one SQL statement. Throws SqliteError (with SQLite's
    /// message) when it does not compile or when `sql` holds more than one statement.
    Statement prepare(std::string_view sql);
    /// Prepares without caching (user-supplied expressions: unbounded variety).
    Statement prepareOnce(std::string_view sql);
    /// Runs one or more statements with no parameters and no result (DDL, BEGIN, COMMIT).
    void exec(const char* sql);

    /// Aborts statements still running when `deadline` passes (SQLITE_INTERRUPT); cleared by
    /// clearDeadline(). Used to enforce the query time limit.
    void setDeadline(std::chrono::steady_clock::time_point deadline) noexcept;
    void clearDeadline() noexcept;

    std::int64_t lastInsertId() const noexcept { return sqlite3_last_insert_rowid(db_); }
    std::int64_t changes() const noexcept { return sqlite3_changes64(db_); }
    bool inTransaction() const noexcept { return sqlite3_get_autocommit(db_) == 0; }
    sqlite3* handle() noexcept { return db_; }

    /// Throws SqliteError for a non-OK result code, with the connection's message.
    void check(int rc, std::string_view context = {}) const;

private:
    friend class Statement;
    void release(sqlite3_stmt* stmt, bool cached) noexcept;

    struct StmtDeleter {
        void operator()(sqlite3_stmt* s) const noexcept { sqlite3_finalize(s); }
    };
    sqlite3* db_ = nullptr;
    std::unordered_map<std::string, std::unique_ptr<sqlite3_stmt, StmtDeleter>> cache_;
    std::chrono::steady_clock::time_point deadline_{};
    bool has_deadline_ = false;
};

}  // namespace tidings::storage_sqlite
