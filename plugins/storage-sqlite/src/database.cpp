#include "database.hpp"

#include <filesystem>

#include "errors.hpp"

namespace tidings::storage_sqlite {

Lease::Lease(Database& db, Connection* connection, bool writer) : db_(&db), connection_(connection), writer_(writer) {
    rearm();
}

Lease::Lease(Lease&& other) noexcept : db_(other.db_), connection_(other.connection_), writer_(other.writer_) {
    other.connection_ = nullptr;
}

Lease::~Lease() {
    if (connection_) db_->giveBack(connection_, writer_);
}

void Lease::rearm() { connection_->setDeadline(std::chrono::steady_clock::now() + db_->queryTimeout()); }

namespace {

// A ceiling on all of SQLite's memory in this process, so that whatever a user's query
// expression builds within the per-value limit (see connection.cpp), it fails with "out of
// memory" rather than taking the machine's. Far above what the page caches and import batches
// use. Left alone when something in the process already chose a limit.
constexpr sqlite3_int64 kHeapLimitBytes = sqlite3_int64{1} << 30;

}  // namespace

void Database::open(const DatabaseOptions& options) {
    std::lock_guard lock(mutex_);
    if (open_) return;
    if (sqlite3_hard_heap_limit64(-1) == 0) sqlite3_hard_heap_limit64(kHeapLimitBytes);
    options_ = options;
    const std::filesystem::path file(options_.path);
    if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path());
    writer_ = openConnection(false);
    open_ = true;
}

void Database::close() noexcept {
    std::lock_guard lock(mutex_);
    idle_readers_.clear();
    readers_.clear();
    writer_.reset();
    open_ = false;
}

std::unique_ptr<Connection> Database::openConnection(bool read_only) const {
    ConnectionOptions c;
    c.path = options_.path;
    c.read_only = read_only;
    c.busy_timeout = options_.acquire_timeout;
    return std::make_unique<Connection>(c);
}

Lease Database::writer() {
    std::unique_lock lock(mutex_);
    if (!returned_.wait_for(lock, options_.acquire_timeout, [this] { return !open_ || !writer_busy_; }))
        throw SqliteError("no database connection free", SQLITE_BUSY);
    if (!open_) throw SqliteError("database is closed", SQLITE_CANTOPEN);
    writer_busy_ = true;
    return Lease(*this, writer_.get(), true);
}

Lease Database::reader() {
    std::unique_lock lock(mutex_);
    const auto ready = [this] {
        return !open_ || !idle_readers_.empty() || readers_.size() < static_cast<std::size_t>(options_.max_readers);
    };
    if (!returned_.wait_for(lock, options_.acquire_timeout, ready))
        throw SqliteError("no database connection free", SQLITE_BUSY);
    if (!open_) throw SqliteError("database is closed", SQLITE_CANTOPEN);
    if (!idle_readers_.empty()) {
        Connection* c = idle_readers_.back();
        idle_readers_.pop_back();
        return Lease(*this, c, false);
    }
    readers_.push_back(openConnection(true));
    return Lease(*this, readers_.back().get(), false);
}

void Database::giveBack(Connection* connection, bool writer) noexcept {
    connection->clearDeadline();
    // A transaction left open by a failure would hold the write lock or pin an old snapshot.
    if (connection->inTransaction()) {
        try {
            connection->exec("ROLLBACK");
        } catch (...) {
        }
    }
    {
        std::lock_guard lock(mutex_);
        if (writer)
            writer_busy_ = false;
        else
            idle_readers_.push_back(connection);
    }
    returned_.notify_all();
}

std::string Database::describe() const { return std::string("sqlite ") + sqlite3_libversion(); }

}  // namespace tidings::storage_sqlite
