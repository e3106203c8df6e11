// E-mail address validation and normalisation, shared by every way a subscriber comes in.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace tidings::kernel {

/// The maximum accepted length of an address, as in listmonk.
inline constexpr std::size_t kMaxEmailLength = 1000;

/// Trims and lower-cases `input` and checks that it is a bare RFC 5321 mailbox
/// (`local@domain`, no display name, no comments). Returns the normalised address, or nullopt
/// when it is not acceptable.
std::optional<std::string> normaliseEmail(std::string_view input);

/// The name listmonk derives when none is given: the local part with '.', '_' and '-' as spaces,
/// each word capitalised ("john.doe@x" -> "John Doe").
std::string nameFromEmail(std::string_view email);

/// The domain part of a normalised address.
std::string_view emailDomain(std::string_view email);

/// Whether `domain` matches a listmonk domain rule: "example.com" exactly, or "*.example.com"
/// (any one-level subdomain, and example.com itself).
bool domainMatches(std::string_view domain, std::string_view rule);

}  // namespace tidings::kernel
