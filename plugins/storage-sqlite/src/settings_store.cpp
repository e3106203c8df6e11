#include "settings_store.hpp"

#include <map>

#include "errors.hpp"
#include "transaction.hpp"

namespace tidings::storage_sqlite {

sdk::Status SettingsStoreImpl::getAll(std::vector<sdk::Setting>& out) noexcept {
    return guarded([&] {
        auto lease = db_.reader();
        auto st = lease->prepare("SELECT key, value FROM settings ORDER BY key");
        std::vector<sdk::Setting> all;
        while (st.step()) all.push_back({st.text(0), st.text(1)});
        out = std::move(all);
        return sdk::Status{};
    });
}

sdk::Status SettingsStoreImpl::put(const std::vector<sdk::Setting>& settings) noexcept {
    return guarded([&] {
        // Last value wins for a key given twice.
        std::map<std::string, std::string> latest;
        for (const auto& s : settings) latest[s.key] = s.value_json;
        auto lease = db_.writer();
        Transaction tx(*lease);
        for (const auto& [key, value] : latest) {
            try {
                lease->prepare("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key)"
                               " DO UPDATE SET value = excluded.value, updated_at = strftime('%Y-%m-%d %H:%M:%f', 'now')")
                    .bindAll(key, value)
                    .run();
            } catch (const SqliteError& e) {
                // Values are kept as given; the json_valid CHECK refuses malformed ones.
                if (e.code() == SQLITE_CONSTRAINT_CHECK)
                    return sdk::Status::invalid("settings: value of " + key + " is not valid JSON");
                throw;
            }
        }
        lease->prepare("INSERT INTO settings_revision (id, revision) VALUES (1, 1)"
                       " ON CONFLICT (id) DO UPDATE SET revision = revision + 1")
            .run();
        tx.commit();
        return sdk::Status{};
    });
}

sdk::Status SettingsStoreImpl::revision(std::int64_t& out) noexcept {
    return guarded([&] {
        auto lease = db_.reader();
        auto st = lease->prepare("SELECT revision FROM settings_revision WHERE id = 1");
        out = st.step() ? st.int64(0) : 0;
        return sdk::Status{};
    });
}

}  // namespace tidings::storage_sqlite
