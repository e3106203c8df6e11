#include "origin_policy.hpp"

#include <Poco/URI.h>

namespace tidings::ses {

OriginPolicy::OriginPolicy(const std::string& pattern)
    : pattern_(pattern, std::regex::ECMAScript | std::regex::icase) {}

bool OriginPolicy::allows(std::string_view url, bool pem_path) const {
    try {
        const Poco::URI uri{std::string(url)};
        const std::string& scheme = uri.getScheme();
        if (scheme != "https" && scheme != "http") return false;
        // "https://sns.x.amazonaws.com@evil.example/" style tricks: no user info, ever.
        if (!uri.getUserInfo().empty() || uri.getHost().empty()) return false;
        std::string origin = scheme + "://" + uri.getHost();
        const unsigned short default_port = scheme == "https" ? 443 : 80;
        if (uri.getPort() != default_port) origin += ":" + std::to_string(uri.getPort());
        if (!std::regex_match(origin, pattern_)) return false;
        if (pem_path) {
            const std::string& path = uri.getPath();
            if (path.size() < 5 || path.compare(path.size() - 4, 4, ".pem") != 0) return false;
        }
        return true;
    } catch (...) {  // Poco::SyntaxException for a malformed URL
        return false;
    }
}

}  // namespace tidings::ses
