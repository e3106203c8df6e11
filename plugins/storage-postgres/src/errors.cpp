#include "errors.hpp"

#include <string_view>

namespace tidings::storage_pg {
namespace {

struct ConstraintRule {
    std::string_view constraint;
    sdk::StatusCode code;
    std::string_view message;
};

// Constraint names come from migrations.cpp; messages name the API field, as status.hpp asks.
constexpr ConstraintRule kRules[] = {
    {"subscribers_email_key", sdk::StatusCode::Conflict, "email: already exists"},
    {"idx_subscribers_email_lower", sdk::StatusCode::Conflict, "email: already exists"},
    {"subscriber_lists_list_id_fkey", sdk::StatusCode::Invalid, "lists: unknown list id"},
    {"subscriber_lists_subscriber_id_fkey", sdk::StatusCode::NotFound, "subscriber: not found"},
    {"users_username_key", sdk::StatusCode::Conflict, "username: already exists"},
    {"users_email_key", sdk::StatusCode::Conflict, "email: already exists"},
    {"users_role_id_fkey", sdk::StatusCode::Invalid, "role_id: unknown role"},
    {"roles_name_key", sdk::StatusCode::Conflict, "name: already exists"},
};

bool startsWith(std::string_view s, std::string_view prefix) {
    return s.substr(0, prefix.size()) == prefix;
}

// Data exceptions (class 22) quote the offending value, which a crafted expression can make
// anything it can compute; they are described in our words instead.
struct DataExceptionText {
    std::string_view sqlstate;
    std::string_view text;
};
constexpr DataExceptionText kDataExceptions[] = {
    {"22P02", "a value does not have the form its type needs"},
    {"22003", "a number is out of range for its type"},
    {"22012", "division by zero"},
    {"22007", "a date or time is not valid"},
    {"22008", "a date or time is out of range"},
    {"2201B", "a regular expression is not valid"},
    {"22001", "a value is too long for its type"},
    {"22023", "a function argument is not valid"},
    {"22025", "an escape sequence is not valid"},
    {"22032", "a JSON text is not valid"},
};

// What the caller of a user expression learns about its failure. Syntax, name, type and
// permission errors (class 42), unsupported features (0A) and subquery cardinality (21) are
// about the expression's own text and are passed on, shortened; every other message may carry
// data the statement computed, so only its SQLSTATE is.
std::string userSqlReason(const PgError& e) {
    const std::string_view state = e.sqlstate();
    if (startsWith(state, "42") || startsWith(state, "0A") || startsWith(state, "21")) {
        std::string text = e.what();
        constexpr std::size_t kMax = 200;
        if (text.size() > kMax) text = text.substr(0, kMax) + "...";
        return text;
    }
    for (const auto& d : kDataExceptions)
        if (d.sqlstate == state) return std::string(d.text);
    if (startsWith(state, "22")) return "a value is not valid (SQLSTATE " + std::string(state) + ")";
    return "the expression failed (SQLSTATE " + std::string(state) + ")";
}

}  // namespace

sdk::Status toStatus(const PgError& e, bool user_sql) {
    const std::string_view state = e.sqlstate();
    // Class 08 = connection exception; 57P0x = server shutting down; 53 = out of resources.
    if (e.connectionLost() || startsWith(state, "08") || startsWith(state, "57P") ||
        startsWith(state, "53"))
        // The driver's text names hosts and server state; the pool logs it for the operator.
        return sdk::Status::unavailable("database unavailable");
    if (state == "57014")  // query_canceled: statement_timeout fired.
        return sdk::Status::unavailable(user_sql ? "query: took longer than the time limit"
                                                 : "database: query timed out");
    if (state == "40001" || state == "40P01" || state == "55P03")
        return sdk::Status::unavailable("database: concurrent update, retry");
    if (state == "23505" || state == "23503") {
        for (const auto& rule : kRules)
            if (rule.constraint == e.constraint())
                return sdk::Status(rule.code, std::string(rule.message));
        return state == "23505" ? sdk::Status::conflict("already exists")
                                : sdk::Status::invalid("unknown reference");
    }
    if (user_sql && !state.empty()) return sdk::Status::invalid("query: " + userSqlReason(e));
    return sdk::Status::internal("storage-postgres: " + std::string(e.what()) +
                                 (state.empty() ? "" : " [" + std::string(state) + "]"));
}

}  // namespace tidings::storage_pg
