// A fast check, allocating nothing per value, that text is JSON PostgreSQL's jsonb will accept.
// Imports validate every row's attributes with it: a full parse per row would cost more than the
// database insert, and one unacceptable document would fail a whole batch in the store.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace tidings::kernel {

/// Why a JSON text is unacceptable, and where: `where` is the path to the value ("attribs.city",
/// "ids[2]"; empty for the whole text). `syntax` tells malformed JSON from well-formed JSON
/// holding something Tidings refuses (a NUL, invalid UTF-8, an integer past int64).
struct JsonTextProblem {
    std::string where;
    std::string reason;
    bool syntax = true;
};

/// Checks `text` as one JSON value (an object when `object_only`): syntax, valid UTF-8, no NUL
/// (raw or \u0000), no unpaired surrogate escapes, integers within int64, nesting at most
/// `max_depth` deep. nullopt when it is acceptable.
std::optional<JsonTextProblem> checkJsonText(std::string_view text, bool object_only, int max_depth = 64);

/// True when `text` is a single JSON object (surrounding whitespace allowed), with valid UTF-8,
/// nesting at most `max_depth` deep, and no \u0000 or unpaired surrogate escapes (which jsonb
/// refuses). Otherwise false, with a short reason in `why`.
bool isJsonObject(std::string_view text, std::string& why, int max_depth = 64);

/// True when `text` is valid UTF-8 without NUL bytes (which PostgreSQL text cannot hold).
bool isStorableText(std::string_view text) noexcept;

}  // namespace tidings::kernel
