// Which storage plugin serves the configured database. Operators name a database, not a plugin:
// a PostgreSQL URL selects storage-postgres; an SQLite URL, or no URL at all, the embedded
// storage-sqlite. Switching stores is then the one line `[db] url`.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace tidings::kernel {

/// "storage-postgres" for postgresql:// and postgres:// URLs and libpq keyword/value strings,
/// "storage-sqlite" for sqlite: URLs and an empty URL. Throws ConfigError for anything else.
std::string storagePluginFor(std::string_view db_url);

/// The plugins to load, in order: the storage plugin first — the one `enabled` names, or else
/// the one serving `db_url` — then the others as listed. Throws ConfigError when `enabled`
/// names more than one storage plugin.
std::vector<std::string> pluginsToLoad(const std::vector<std::string>& enabled, std::string_view db_url);

}  // namespace tidings::kernel
