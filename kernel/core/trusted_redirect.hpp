// Where a public form may send people after it is submitted (its `next` field).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tidings::kernel {

/// The URL to redirect to for a form's `next` value (surrounding whitespace removed), or nullopt
/// when it is not trusted. Trusted are, as in listmonk, the exact text of an entry of
/// `security.trusted_urls` ("*" trusts any origin for CORS, never a redirect target), and, as
/// Tidings adds, any http(s) URL on the origin of `root_url` (app.root_url): the site's own
/// pages. Never trusted: text with whitespace, control characters or backslashes (which could
/// split the Location header, or which browsers read as another host than a URL parser does),
/// and URLs with user information ("https://site@elsewhere").
std::optional<std::string> trustedRedirect(std::string_view next, const std::vector<std::string>& trusted_urls,
                                           std::string_view root_url);

}  // namespace tidings::kernel
