// A fast, allocation-free check that text is one JSON object PostgreSQL's jsonb will accept.
// Imports validate every row's attributes with it: a full parse per row would cost more than the
// database insert, and one unacceptable document would fail a whole batch in the store.
#pragma once

#include <string>
#include <string_view>

namespace tidings::kernel {

/// True when `text` is a single JSON object (surrounding whitespace allowed), with valid UTF-8,
/// nesting at most `max_depth` deep, and no \u0000 or unpaired surrogate escapes (which jsonb
/// refuses). Otherwise false, with a short reason in `why`.
bool isJsonObject(std::string_view text, std::string& why, int max_depth = 64);

/// True when `text` is valid UTF-8 without NUL bytes (which PostgreSQL text cannot hold).
bool isStorableText(std::string_view text) noexcept;

}  // namespace tidings::kernel
