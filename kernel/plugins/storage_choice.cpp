#include "kernel/plugins/storage_choice.hpp"

#include "kernel/config/config.hpp"

namespace tidings::kernel {
namespace {

bool startsWith(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }

// Plugin files are named <kind>-<name> (DESIGN.md), so the kind shows before loading.
bool isStoragePlugin(std::string_view name) { return startsWith(name, "storage-"); }

}  // namespace

std::string storagePluginFor(std::string_view url) {
    if (url.empty() || startsWith(url, "sqlite:")) return "storage-sqlite";
    if (startsWith(url, "postgresql://") || startsWith(url, "postgres://") || url.find('=') != std::string_view::npos)
        return "storage-postgres";
    // Only the scheme is quoted back: the rest may hold a password.
    throw ConfigError("db.url: the scheme '" + std::string(url.substr(0, url.find(':'))) +
                      "' names no supported database: use postgresql://user:password@host:5432/db or sqlite:PATH");
}

std::vector<std::string> pluginsToLoad(const std::vector<std::string>& enabled, std::string_view db_url) {
    std::string storage;
    std::vector<std::string> others;
    for (const auto& name : enabled) {
        if (!isStoragePlugin(name)) {
            others.push_back(name);
        } else if (storage.empty() || storage == name) {
            storage = name;
        } else {
            throw ConfigError("plugins.enabled: names two storage plugins (" + storage + ", " + name +
                              "); leave storage out and let [db] url choose");
        }
    }
    if (storage.empty()) storage = storagePluginFor(db_url);
    std::vector<std::string> out{storage};
    out.insert(out.end(), others.begin(), others.end());
    return out;
}

}  // namespace tidings::kernel
