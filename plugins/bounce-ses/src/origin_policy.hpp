// Which URLs an SNS message may send us to. SigningCertURL and SubscribeURL come from the
// request body, so anyone can write anything there: without this check a forger would host a
// certificate of their own and sign with its key, or make us GET arbitrary URLs.
#pragma once

#include <regex>
#include <string>
#include <string_view>

namespace tidings::ses {

/// Operator configuration key holding the pattern, and its default: AWS's regional SNS endpoints
/// (including the China partition's .cn), over HTTPS only.
inline constexpr std::string_view kOriginPatternKey = "ses.sns_origin_pattern";
inline constexpr std::string_view kDefaultOriginPattern = R"(https://sns\.[a-z0-9-]+\.amazonaws\.com(\.cn)?)";

/// An ECMAScript regular expression that a URL's origin (`scheme://host`, plus `:port` when it
/// is not the scheme's default) must match in full. Immutable once built; share freely.
class OriginPolicy {
public:
    /// Throws std::regex_error for an invalid pattern (the plugin refuses to start).
    explicit OriginPolicy(const std::string& pattern);

    /// Whether `url` is an absolute http(s) URL without user info whose origin matches, and,
    /// when `pem_path`, whose path names a .pem file.
    bool allows(std::string_view url, bool pem_path) const;

private:
    std::regex pattern_;
};

}  // namespace tidings::ses
