#include "kernel/http/authenticator.hpp"

#include <algorithm>
#include <string_view>

namespace tidings::kernel {

bool Principal::can(const std::string& permission) const {
    if (super_admin || permission.empty()) return true;
    // A route may accept alternatives, "subscribers:get_all|subscribers:get", as listmonk's do.
    std::string_view rest = permission;
    while (!rest.empty()) {
        auto bar = rest.find('|');
        std::string one(rest.substr(0, bar));
        if (std::binary_search(permissions.begin(), permissions.end(), one)) return true;
        rest = bar == std::string_view::npos ? std::string_view{} : rest.substr(bar + 1);
    }
    return false;
}

}  // namespace tidings::kernel
