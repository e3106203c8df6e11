// Small text helpers shared by the core services.
#pragma once

#include <string>
#include <string_view>

namespace tidings::kernel {

/// `text` without leading and trailing ASCII whitespace.
std::string trimmed(std::string_view text);

/// ASCII lower-case copy.
std::string lowercase(std::string_view text);

/// Whether `text` is a UUID in canonical 8-4-4-4-12 hex form (either case).
bool isUuid(std::string_view text);

}  // namespace tidings::kernel
