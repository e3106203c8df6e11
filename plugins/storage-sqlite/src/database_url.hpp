// How an SQLite database is named in `[db] url`, and which storage plugin a URL belongs to.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace tidings::storage_sqlite {

/// Where the database lives when `[db] url` names none: under ./var/ of the working directory.
inline constexpr const char* kDefaultUrl = "sqlite:var/tidings.db";

/// The file path in an SQLite URL: "sqlite:var/t.db" -> "var/t.db", "sqlite:///srv/t.db" ->
/// "/srv/t.db", "sqlite://var/t.db" -> "var/t.db". nullopt when `url` is not an SQLite URL or
/// names no file.
inline std::optional<std::string> sqlitePath(std::string_view url) {
    constexpr std::string_view scheme = "sqlite:";
    if (url.substr(0, scheme.size()) != scheme) return std::nullopt;
    url.remove_prefix(scheme.size());
    if (url.substr(0, 2) == "//") url.remove_prefix(2);
    if (url.empty()) return std::nullopt;
    return std::string(url);
}

}  // namespace tidings::storage_sqlite
