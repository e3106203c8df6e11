// Operator configuration: built-in defaults < INI file < TIDINGS_* environment.
//
// Keys are "section.name" ("app.address", "db.url", "plugins.enabled"). The environment variable
// for a key is TIDINGS_<SECTION>__<NAME>, upper-cased, with '.' and '-' in the section and name
// turned into '_' (so "plugin.storage-postgres" / "pool_size" is
// TIDINGS_PLUGIN_STORAGE_POSTGRES__POOL_SIZE). Runtime settings (listmonk's app.*, smtp, ...)
// are not here: they live in storage (see core/settings_service.hpp).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace tidings::kernel {

/// A configuration problem, with a message naming the file, line or key.
class ConfigError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class Config {
public:
    /// The built-in defaults only.
    Config();

    /// Defaults, then the INI file at `ini_path` (skipped when empty; ConfigError when given but
    /// unreadable or malformed), then every TIDINGS_* variable of `environment`.
    static Config load(const std::string& ini_path, const std::map<std::string, std::string>& environment);

    /// The current environment as a map (for load()).
    static std::map<std::string, std::string> processEnvironment();

    /// Adds a default for a key (used for plugins' declared keys); an existing value wins.
    /// Re-applies the environment override for that key.
    void declareDefault(const std::string& key, const std::string& value);

    /// Sets a value (command-line overrides, tests).
    void set(const std::string& key, const std::string& value);

    std::optional<std::string> get(std::string_view key) const;
    std::string getString(std::string_view key, const std::string& fallback = "") const;
    /// ConfigError when set but not an integer.
    std::int64_t getInt(std::string_view key, std::int64_t fallback) const;
    /// true/false/yes/no/on/off/1/0; ConfigError otherwise.
    bool getBool(std::string_view key, bool fallback) const;

    /// The environment variable name for a key.
    static std::string envName(std::string_view key);

    const std::map<std::string, std::string, std::less<>>& values() const noexcept { return values_; }

private:
    std::map<std::string, std::string, std::less<>> values_;
    std::map<std::string, std::string> environment_;
};

}  // namespace tidings::kernel
