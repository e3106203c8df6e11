// Arrays (role permissions, list and campaign tags) are kept as JSON array texts; these convert
// them to and from the SDK's vectors. Id sets are bound as one JSON array parameter, read with
// `IN (SELECT value FROM json_each(?))`, so a statement's text does not depend on how many ids
// there are and it stays in the statement cache.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <tidings/sdk/v1/model.hpp>

namespace tidings::storage_sqlite {

namespace sdk = ::tidings::sdk::v1;

std::string toJsonArray(const std::vector<std::string>& values);
/// Throws StatusError(Internal) when the stored text is not a JSON array of strings.
std::vector<std::string> fromJsonArray(std::string_view json);
std::string idsJson(const std::vector<sdk::Id>& ids);

}  // namespace tidings::storage_sqlite
