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

// Functions an expression (and the statement around it) may call: pure functions over text,
// numbers, dates and JSON, aggregates for subqueries, and the functions behind the LIKE, GLOB,
// -> and ->> operators. Left out on purpose: load_extension, the sqlite_* introspection
// functions, and those that build values of caller-chosen size in one call, which no deadline
// can interrupt (printf/format with a width, randomblob, zeroblob). Sorted, for binary search.
constexpr std::string_view kAllowedFunctions[] = {
    "->", "->>", "abs", "avg", "char", "coalesce", "count", "date", "datetime", "glob",
    "group_concat", "hex", "ifnull", "iif", "instr", "json", "json_array", "json_array_length",
    "json_extract", "json_group_array", "json_group_object", "json_object", "json_quote",
    "json_type", "json_valid", "julianday", "length", "like", "likelihood", "likely", "lower",
    "ltrim", "max", "min", "nullif", "quote", "random", "replace", "round", "rtrim", "sign", "strftime",
    "substr", "substring", "sum", "time", "total", "trim", "typeof", "unicode", "unixepoch",
    "unlikely", "upper",
};
static_assert(std::is_sorted(std::begin(kAllowedFunctions), std::end(kAllowedFunctions)));

bool allowedFunction(const char* name) {
    if (!name) return false;
    std::string lowered(name);
    for (auto& c : lowered) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return std::binary_search(std::begin(kAllowedFunctions), std::end(kAllowedFunctions), lowered);
}

}  // namespace

int sandboxAuthorize(void* self, int action, const char* arg1, const char* arg2, const char*, const char*) {
    auto& sandbox = *static_cast<QuerySandbox*>(self);
    switch (action) {
        case SQLITE_SELECT:
        case SQLITE_RECURSIVE:
            return SQLITE_OK;
        case SQLITE_FUNCTION:
            if (allowedFunction(arg2)) return SQLITE_OK;
            if (sandbox.denied_function_.empty() && arg2) sandbox.denied_function_ = arg2;
            return SQLITE_DENY;
        case SQLITE_READ: {
            const std::string_view table = arg1 ? arg1 : "";
            // json_each()/json_tree() table-valued functions appear as reads of their own name.
            if (table == "json_each" || table == "json_tree") return SQLITE_OK;
            if (std::find(kReadableTables.begin(), kReadableTables.end(), table) != kReadableTables.end())
                return SQLITE_OK;
            if (sandbox.denied_table_.empty()) sandbox.denied_table_ = table;
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

std::string QuerySandbox::refusal(std::string_view field) const {
    const std::string prefix = std::string(field) + ": ";
    if (!denied_table_.empty()) return prefix + "table '" + denied_table_ + "' is not allowed";
    if (!denied_function_.empty()) return prefix + "function '" + denied_function_ + "' is not allowed";
    return {};
}

std::string normalisedExpression(std::string_view expression) {
    auto begin = expression.find_first_not_of(" \t\r\n");
    if (begin == std::string_view::npos) return {};
    auto end = expression.find_last_not_of(" \t\r\n;");
    if (end == std::string_view::npos || end < begin) return {};
    return std::string(expression.substr(begin, end - begin + 1));
}

}  // namespace tidings::storage_sqlite
