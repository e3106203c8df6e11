#include "kernel/core/sort_keys.hpp"

#include "kernel/core/status_error.hpp"

namespace tidings::kernel {

std::string sortKey(std::string_view order_by, std::initializer_list<std::string_view> keys, std::string_view fallback,
                    std::string_view table) {
    if (order_by.empty()) return std::string(fallback);
    std::string_view key = order_by;
    if (!table.empty() && key.size() > table.size() + 1 && key.starts_with(table) && key[table.size()] == '.') {
        key.remove_prefix(table.size() + 1);
    }
    for (std::string_view k : keys) {
        if (k == key) return std::string(k);
    }
    std::string choices;
    for (std::string_view k : keys) (choices += choices.empty() ? "" : ", ") += k;
    // The value is the client's own text: cut, so that a long one cannot bloat the answer.
    constexpr std::size_t kShown = 64;
    std::string shown(order_by.substr(0, kShown));
    if (order_by.size() > kShown) shown += "...";
    invalid("order_by: cannot sort by \"" + shown + "\"; must be one of " + choices);
}

}  // namespace tidings::kernel
