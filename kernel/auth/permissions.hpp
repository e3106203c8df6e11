// listmonk's permission catalogue: the names roles may grant.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace tidings::kernel {

/// Every permission a user role can hold, in listmonk's groups and order.
const std::vector<std::string>& allPermissions();

bool isKnownPermission(std::string_view name);

/// The catalogue as listmonk's permissions.json: [{"group": "...", "permissions": [...]}].
std::string permissionGroupsJson();

}  // namespace tidings::kernel
