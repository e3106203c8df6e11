#include "kernel/core/trusted_redirect.hpp"

#include <algorithm>

#include <Poco/Exception.h>
#include <Poco/URI.h>

#include "kernel/core/text.hpp"

namespace tidings::kernel {
namespace {

bool sameOrigin(const std::string& url, std::string_view root_url) {
    try {
        const Poco::URI target(url);
        const Poco::URI root{std::string(root_url)};
        const std::string scheme = target.getScheme();
        return (scheme == "http" || scheme == "https") && target.getUserInfo().empty() &&
               !target.getHost().empty() && scheme == root.getScheme() &&
               lowercase(target.getHost()) == lowercase(root.getHost()) && target.getPort() == root.getPort();
    } catch (const Poco::Exception&) {
        return false;  // not a URL
    }
}

}  // namespace

std::optional<std::string> trustedRedirect(std::string_view next, const std::vector<std::string>& trusted_urls,
                                           std::string_view root_url) {
    std::string url = trimmed(next);
    const bool unsafe = std::any_of(url.begin(), url.end(), [](char c) {
        const auto byte = static_cast<unsigned char>(c);
        return byte <= 0x20 || byte == 0x7f || c == '\\';
    });
    if (url.empty() || unsafe) return std::nullopt;
    const bool listed = std::any_of(trusted_urls.begin(), trusted_urls.end(),
                                    [&](const std::string& trusted) { return trusted != "*" && trimmed(trusted) == url; });
    if (listed || sameOrigin(url, root_url)) return url;
    return std::nullopt;
}

}  // namespace tidings::kernel
