#include "kernel/auth/permissions.hpp"

#include <algorithm>
#include <utility>

#include "kernel/core/json_writer.hpp"

namespace tidings::kernel {
namespace {

using Group = std::pair<std::string, std::vector<std::string>>;

const std::vector<Group>& groups() {
    static const std::vector<Group> all{
        {"lists", {"lists:get_all", "lists:manage_all"}},
        {"subscribers",
         {"subscribers:get", "subscribers:get_all", "subscribers:manage", "subscribers:import",
          "subscribers:sql_query", "tx:send"}},
        {"campaigns",
         {"campaigns:get", "campaigns:get_all", "campaigns:get_analytics", "campaigns:manage",
          "campaigns:manage_all", "campaigns:send"}},
        {"bounces", {"bounces:get", "bounces:manage", "webhooks:post_bounce"}},
        {"media", {"media:get", "media:manage"}},
        {"templates", {"templates:get", "templates:manage"}},
        {"users", {"users:get", "users:manage", "roles:get", "roles:manage"}},
        {"settings", {"settings:get", "settings:manage", "settings:maintain"}},
    };
    return all;
}

}  // namespace

const std::vector<std::string>& allPermissions() {
    static const std::vector<std::string> flat = [] {
        std::vector<std::string> out;
        for (const auto& [group, perms] : groups()) out.insert(out.end(), perms.begin(), perms.end());
        return out;
    }();
    return flat;
}

bool isKnownPermission(std::string_view name) {
    const auto& all = allPermissions();
    return std::find(all.begin(), all.end(), name) != all.end();
}

std::string permissionGroupsJson() {
    JsonWriter w;
    w.beginArray();
    for (const auto& [group, perms] : groups()) {
        w.beginObject().key("group").value(group).key("permissions").strings(perms).endObject();
    }
    w.endArray();
    return w.take();
}

}  // namespace tidings::kernel
