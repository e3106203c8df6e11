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

}  // namespace

sdk::Status toStatus(const PgError& e, bool user_sql) {
    const std::string_view state = e.sqlstate();
    // Class 08 = connection exception; 57P0x = server shutting down; 53 = out of resources.
    if (e.connectionLost() || startsWith(state, "08") || startsWith(state, "57P") ||
        startsWith(state, "53"))
        return sdk::Status::unavailable("database unavailable: " + std::string(e.what()));
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
    if (user_sql && !state.empty()) return sdk::Status::invalid("query: " + std::string(e.what()));
    return sdk::Status::internal("storage-postgres: " + std::string(e.what()) +
                                 (state.empty() ? "" : " [" + std::string(state) + "]"));
}

}  // namespace tidings::storage_pg
