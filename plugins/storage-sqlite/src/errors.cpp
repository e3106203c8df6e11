#include "errors.hpp"

#include <sqlite3.h>

namespace tidings::storage_sqlite {
namespace {

// SQLite names the failing columns ("UNIQUE constraint failed: subscribers.email"); clients get
// the field name only, in the SDK's "<field>: already exists" form.
std::string uniqueField(const std::string& message) {
    const auto colon = message.find(':');
    if (colon == std::string::npos) return "value";
    std::string columns = message.substr(colon + 1);
    if (auto comma = columns.find(','); comma != std::string::npos) columns.resize(comma);
    if (auto dot = columns.rfind('.'); dot != std::string::npos) columns.erase(0, dot + 1);
    while (!columns.empty() && columns.front() == ' ') columns.erase(0, 1);
    return columns.empty() ? "value" : columns;
}

}  // namespace

sdk::Status toStatus(const SqliteError& error, bool user_sql) {
    const std::string what = error.what();
    switch (error.primary()) {
        case SQLITE_BUSY:
        case SQLITE_LOCKED:
            return sdk::Status::unavailable("database is busy, try again");
        case SQLITE_INTERRUPT:
            return user_sql ? sdk::Status::invalid("query: took longer than the query time limit")
                            : sdk::Status::unavailable("database query timed out");
        case SQLITE_FULL:
        case SQLITE_IOERR:
        case SQLITE_CANTOPEN:
            return sdk::Status::unavailable("database file unavailable: " + what);
        default:
            break;
    }
    if (user_sql) return sdk::Status::invalid("query: " + what);
    if (error.code() == SQLITE_CONSTRAINT_UNIQUE || error.code() == SQLITE_CONSTRAINT_PRIMARYKEY)
        return sdk::Status::conflict(uniqueField(what) + ": already exists");
    if (error.code() == SQLITE_CONSTRAINT_FOREIGNKEY)
        return sdk::Status::invalid("a referenced object does not exist");
    return sdk::Status::internal("storage-sqlite: " + what);
}

}  // namespace tidings::storage_sqlite
