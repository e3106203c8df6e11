// Arrays of strings (role permissions, list tags) are kept as JSON array texts; these convert
// them to and from the SDK's vectors.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace tidings::storage_sqlite {

std::string toJsonArray(const std::vector<std::string>& values);
/// Throws StatusError(Internal) when the stored text is not a JSON array of strings.
std::vector<std::string> fromJsonArray(std::string_view json);

}  // namespace tidings::storage_sqlite
