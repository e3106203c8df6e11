// The runtime settings Tidings knows, with listmonk's key names and Tidings' defaults.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace tidings::kernel {

/// A JSON object text: every known settings key mapped to its default value.
std::string_view defaultSettingsJson();

/// Where secrets live inside settings values: a key and a field path inside its value. A `[]`
/// path segment means "each element of the array". Example: {"smtp", "[].password"}.
struct SecretField {
    std::string key;
    std::string path;
};
const std::vector<SecretField>& secretSettingFields();

}  // namespace tidings::kernel
