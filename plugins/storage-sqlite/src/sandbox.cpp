#include "sandbox.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace tidings::storage_sqlite {
namespace {

constexpr std::array<std::string_view, 9> kReadableTables = {
    "subscribers", "lists", "subscriber_lists", "campaigns", "campaign_lists",
    "bounces",     "links", "link_clicks",      "campaign_views",
};

}  // namespace

int sandboxAuthorize(void* self, int action, const char* arg1, const char*, const char*, const char*) {
    switch (action) {
        case SQLITE_SELECT:
        case SQLITE_FUNCTION:
        case SQLITE_RECURSIVE:
            return SQLITE_OK;
        case SQLITE_READ: {
            const std::string_view table = arg1 ? arg1 : "";
            // json_each()/json_tree() table-valued functions appear as reads of their own name.
            if (table == "json_each" || table == "json_tree") return SQLITE_OK;
            if (std::find(kReadableTables.begin(), kReadableTables.end(), table) != kReadableTables.end())
                return SQLITE_OK;
            auto& denied = static_cast<QuerySandbox*>(self)->denied_table_;
            if (denied.empty()) denied = table;
            return SQLITE_DENY;
        }
        default:
            return SQLITE_DENY;
    }
}

QuerySandbox::QuerySandbox(Connection& connection) : connection_(connection) {
    // json_each/json_tree are created on a connection's first use, through a write to its schema
    // that the authorizer would deny ("vtable constructor failed"): create them beforehand.
    connection_.prepare("SELECT 1 FROM json_each('[]'), json_tree('[]')");
    sqlite3_set_authorizer(connection_.handle(), &sandboxAuthorize, this);
}

QuerySandbox::~QuerySandbox() { sqlite3_set_authorizer(connection_.handle(), nullptr, nullptr); }

std::string normalisedExpression(std::string_view expression) {
    auto begin = expression.find_first_not_of(" \t\r\n");
    if (begin == std::string_view::npos) return {};
    auto end = expression.find_last_not_of(" \t\r\n;");
    if (end == std::string_view::npos || end < begin) return {};
    return std::string(expression.substr(begin, end - begin + 1));
}

}  // namespace tidings::storage_sqlite
