#include "kernel/config/config.hpp"

#include <cctype>
#include <charconv>
#include <fstream>

extern char** environ;

namespace tidings::kernel {
namespace {

std::string trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return std::string(s);
}

std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

/// A value as written after '=': quotes removed, or an inline comment (" ;" / " #") cut.
std::string unquote(const std::string& raw, const std::string& where) {
    std::string v = trim(raw);
    if (!v.empty() && (v.front() == '"' || v.front() == '\'')) {
        char q = v.front();
        auto end = v.find(q, 1);
        if (end == std::string::npos) throw ConfigError(where + ": unterminated quoted value");
        std::string rest = trim(std::string_view(v).substr(end + 1));
        if (!rest.empty() && rest.front() != ';' && rest.front() != '#') {
            throw ConfigError(where + ": unexpected text after the quoted value");
        }
        return v.substr(1, end - 1);
    }
    for (std::size_t i = 1; i < v.size(); ++i) {
        if ((v[i] == ';' || v[i] == '#') && std::isspace(static_cast<unsigned char>(v[i - 1]))) return trim(v.substr(0, i));
    }
    return v;
}

const std::map<std::string, std::string>& builtInDefaults() {
    static const std::map<std::string, std::string> defaults{
        {"app.address", "127.0.0.1:9000"},
        {"app.root_url", "http://127.0.0.1:9000"},
        {"app.web_dir", ""},
        {"db.url", ""},
        {"plugins.dir", ""},
        {"plugins.enabled", "messenger-smtp, captcha-altcha, captcha-hcaptcha"},
        {"http.max_body_bytes", "10485760"},
        {"http.threads", "16"},
        {"http.header_timeout_seconds", "10"},
        {"http.keepalive_timeout_seconds", "60"},
        {"http.io_timeout_seconds", "30"},
        {"http.max_connections", "10000"},
        {"http.max_connections_per_address", "1000"},
        {"log.level", "information"},
        {"log.access", "true"},
        {"security.cors_origins", ""},
        {"security.rate_limit", "5"},
        {"security.rate_burst", "20"},
        {"security.client_ip_header", ""},
    };
    return defaults;
}

}  // namespace

Config::Config() {
    for (const auto& [k, v] : builtInDefaults()) values_.emplace(k, v);
}

std::string Config::envName(std::string_view key) {
    auto dot = key.rfind('.');
    std::string section(dot == std::string_view::npos ? std::string_view{} : key.substr(0, dot));
    std::string name(dot == std::string_view::npos ? key : key.substr(dot + 1));
    auto mangle = [](std::string s) {
        for (char& c : s) {
            c = (c == '.' || c == '-') ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        }
        return s;
    };
    return "TIDINGS_" + mangle(section) + "__" + mangle(name);
}

Config Config::load(const std::string& ini_path, const std::map<std::string, std::string>& environment) {
    Config config;
    config.environment_ = environment;
    if (!ini_path.empty()) {
        std::ifstream in(ini_path);
        if (!in) throw ConfigError(ini_path + ": cannot be read");
        std::string line;
        std::string section;
        int number = 0;
        while (std::getline(in, line)) {
            ++number;
            std::string where = ini_path + ":" + std::to_string(number);
            std::string t = trim(line);
            if (t.empty() || t.front() == ';' || t.front() == '#') continue;
            if (t.front() == '[') {
                if (t.back() != ']' || t.size() < 3) throw ConfigError(where + ": malformed section header '" + t + "'");
                section = lower(trim(std::string_view(t).substr(1, t.size() - 2)));
                continue;
            }
            auto eq = t.find('=');
            if (eq == std::string::npos) throw ConfigError(where + ": expected 'key = value', got '" + t + "'");
            std::string key = lower(trim(std::string_view(t).substr(0, eq)));
            if (key.empty()) throw ConfigError(where + ": missing key before '='");
            if (section.empty()) throw ConfigError(where + ": key '" + key + "' outside of a [section]");
            config.values_[section + "." + key] = unquote(t.substr(eq + 1), where);
        }
    }
    // Environment overrides for every key we know of; unknown TIDINGS_* variables name keys of
    // sections without dots or dashes, which is every built-in section.
    for (auto& [key, value] : config.values_) {
        auto it = environment.find(envName(key));
        if (it != environment.end()) value = it->second;
    }
    for (const auto& [name, value] : environment) {
        if (name.rfind("TIDINGS_", 0) != 0) continue;
        auto sep = name.find("__", 8);
        if (sep == std::string::npos) continue;
        std::string key = lower(name.substr(8, sep - 8)) + "." + lower(name.substr(sep + 2));
        if (!config.values_.contains(key)) config.values_[key] = value;
    }
    return config;
}

std::map<std::string, std::string> Config::processEnvironment() {
    std::map<std::string, std::string> out;
    for (char** e = environ; e && *e; ++e) {
        std::string_view entry(*e);
        auto eq = entry.find('=');
        if (eq == std::string_view::npos) continue;
        out.emplace(std::string(entry.substr(0, eq)), std::string(entry.substr(eq + 1)));
    }
    return out;
}

void Config::declareDefault(const std::string& key, const std::string& value) {
    auto it = environment_.find(envName(key));
    if (it != environment_.end()) {
        values_[key] = it->second;
        return;
    }
    values_.try_emplace(key, value);
}

void Config::set(const std::string& key, const std::string& value) { values_[key] = value; }

std::optional<std::string> Config::get(std::string_view key) const {
    auto it = values_.find(key);
    if (it == values_.end()) return std::nullopt;
    return it->second;
}

std::string Config::getString(std::string_view key, const std::string& fallback) const {
    auto v = get(key);
    return v && !v->empty() ? *v : fallback;
}

std::int64_t Config::getInt(std::string_view key, std::int64_t fallback) const {
    auto v = get(key);
    if (!v || v->empty()) return fallback;
    std::int64_t out = 0;
    auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), out);
    if (ec != std::errc() || end != v->data() + v->size()) {
        throw ConfigError(std::string(key) + ": '" + *v + "' is not an integer");
    }
    return out;
}

bool Config::getBool(std::string_view key, bool fallback) const {
    auto v = get(key);
    if (!v || v->empty()) return fallback;
    std::string s = lower(*v);
    if (s == "true" || s == "yes" || s == "on" || s == "1") return true;
    if (s == "false" || s == "no" || s == "off" || s == "0") return false;
    throw ConfigError(std::string(key) + ": '" + *v + "' is not a boolean (true/false)");
}

}  // namespace tidings::kernel
