// Id sets as one bound parameter: a JSON array read back with json_each(), so a statement over
// "these ids" has a single text and stays in the connection's statement cache whatever the count.
#pragma once

#include <string>
#include <vector>

#include <tidings/sdk/v1/model.hpp>

namespace tidings::storage_sqlite {

/// "[1,2,3]"; use in SQL as `x IN (SELECT value FROM json_each(?))`.
inline std::string idArrayJson(const std::vector<::tidings::sdk::v1::Id>& ids) {
    std::string out = "[";
    for (std::size_t i = 0; i < ids.size(); ++i) {
        if (i) out += ',';
        out += std::to_string(ids[i]);
    }
    out += ']';
    return out;
}

}  // namespace tidings::storage_sqlite
