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

int authorize(void*, int action, const char* arg1, const char*, const char*, const char*) {
    switch (action) {
        case SQLITE_SELECT:
        case SQLITE_FUNCTION:
        case SQLITE_RECURSIVE:
            return SQLITE_OK;
        case SQLITE_READ: {
            const std::string_view table = arg1 ? arg1 : "";
            // json_each()/json_tree() table-valued functions appear as reads of their own name.
            if (table == "json_each" || table == "json_tree") return SQLITE_OK;
            return std::find(kReadableTables.begin(), kReadableTables.end(), table) != kReadableTables.end()
                       ? SQLITE_OK
                       : SQLITE_DENY;
        }
        default:
            return SQLITE_DENY;
    }
}

}  // namespace

QuerySandbox::QuerySandbox(Connection& connection) : connection_(connection) {
    sqlite3_set_authorizer(connection_.handle(), &authorize, nullptr);
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
