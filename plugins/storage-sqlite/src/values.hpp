// Conversions between SDK values and the way this store keeps them: timestamps as UTC text
// ("2026-12-01 13:05:09.123456", which sorts and compares as time and which SQLite's date
// functions read), UUIDs as lower-case text generated here, enums as their listmonk names.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <tidings/sdk/v1/model.hpp>

#include "errors.hpp"

namespace tidings::storage_sqlite {

/// SQL for the current time in the stored format (millisecond precision; column defaults).
inline constexpr const char* kNowSql = "strftime('%Y-%m-%d %H:%M:%f', 'now')";

std::string formatTimestamp(sdk::Timestamp t);
/// Reads "YYYY-MM-DD HH:MM:SS[.ffffff]" (a 'T' separator and a trailing 'Z' are accepted too).
/// Throws StatusError(Internal) for anything else: the schema only stores that format.
sdk::Timestamp parseTimestamp(std::string_view text);
/// The current time in the stored format, microsecond precision.
std::string nowText();

/// A new random (version 4) UUID, lower-case.
std::string newUuid();
/// The lower-cased UUID when `text` is well-formed, else nullopt, so mangled UUIDs from links or
/// forms simply match nothing.
std::optional<std::string> uuidParam(std::string_view text);

/// The enum named by a stored text; throws StatusError(Internal) for a value the schema's CHECK
/// constraints should have rejected.
template <typename Enum>
Enum enumFrom(std::string_view text) {
    if (auto v = sdk::parseEnum<Enum>(text)) return *v;
    throw StatusError(sdk::Status::internal("storage-sqlite: unexpected value '" + std::string(text) + "' in database"));
}

}  // namespace tidings::storage_sqlite
