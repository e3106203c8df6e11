// Reading provider payloads with Poco::JSON without tripping over its exceptions: each helper
// answers "absent" for a missing member or one of the wrong type, and the provider decides
// whether that makes the payload malformed.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <optional>
#include <string>
#include <string_view>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

namespace tidings::bounce_support {

/// The header names, in order of preference, that carry a message's campaign UUID: Tidings' own
/// and listmonk's, so mail sent before a migration still finds its campaign.
inline constexpr std::array<std::string_view, 2> kCampaignHeaders = {"X-Tidings-Campaign", "X-Listmonk-Campaign"};

/// `text` parsed as a JSON object, or null when it is not one.
Poco::JSON::Object::Ptr parseObject(std::string_view text) noexcept;

/// `text` parsed as a JSON array, or null when it is not one.
Poco::JSON::Array::Ptr parseArray(std::string_view text) noexcept;

/// Member `name` when it is a string; nullopt when absent, null or another type.
std::optional<std::string> stringMember(const Poco::JSON::Object& object, const std::string& name) noexcept;

/// Member `name` when it is a boolean true.
bool trueMember(const Poco::JSON::Object& object, const std::string& name) noexcept;

/// Member `name` when it is an integer (or a string of digits, as some providers send numbers).
std::optional<std::int64_t> integerMember(const Poco::JSON::Object& object, const std::string& name) noexcept;

/// The first non-empty string member among `names`, compared case-insensitively, as header
/// maps and custom arguments are spelt in whatever case the sender chose.
std::optional<std::string> firstStringMemberNoCase(const Poco::JSON::Object& object,
                                                   std::span<const std::string_view> names) noexcept;

/// Serialises a JSON value compactly, for storing a provider's details as bounce meta.
std::string stringify(const Poco::Dynamic::Var& value);

}  // namespace tidings::bounce_support
