// Which keys a listing may be sorted by (`order_by`), and sorting for the listings a store
// returns whole. Every listing checks its key here before anything reaches a store, where the
// key becomes part of an ORDER BY.
#pragma once

#include <algorithm>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include <tidings/sdk/v1/storage.hpp>

namespace tidings::kernel {

namespace sdk = tidings::sdk::v1;

/// `order_by` as one of `keys`: empty is `fallback`; with `table` set, "<table>.<key>" is `key`
/// (listmonk's admin UI qualifies some keys). Anything else is an Invalid StatusError naming
/// the value and the keys.
std::string sortKey(std::string_view order_by, std::initializer_list<std::string_view> keys, std::string_view fallback,
                    std::string_view table = {});

/// Sorts `items` by `key(item)` in `order`, ties by id in the same order, as the stores'
/// "ORDER BY <key>, id" does. `key` returns something ordered with `<`.
template <typename T, typename Key>
void sortListing(std::vector<T>& items, sdk::SortOrder order, Key key) {
    const bool desc = order == sdk::SortOrder::Desc;
    std::sort(items.begin(), items.end(), [&](const T& a, const T& b) {
        const auto& ka = key(a);
        const auto& kb = key(b);
        if (ka < kb) return !desc;
        if (kb < ka) return desc;
        return desc ? b.id < a.id : a.id < b.id;
    });
}

}  // namespace tidings::kernel
