#include "settings_store.hpp"

#include <map>

#include "errors.hpp"
#include "transaction.hpp"

namespace tidings::storage_pg {

sdk::Status SettingsStoreImpl::getAll(std::vector<sdk::Setting>& out) noexcept {
    return guarded([&] {
        auto lease = db_.lease();
        Result r = lease->execPrepared("settings_all", "SELECT key, value::text FROM settings ORDER BY key");
        std::vector<sdk::Setting> all;
        for (int i = 0; i < r.rows(); ++i) all.push_back({r.str(i, 0), r.str(i, 1)});
        out = std::move(all);
        return sdk::Status{};
    });
}

sdk::Status SettingsStoreImpl::put(const std::vector<sdk::Setting>& settings) noexcept {
    return guarded([&] {
        // Last value wins for a key given twice (one upsert may not touch a row twice).
        std::map<std::string, std::string> latest;
        for (const auto& s : settings) latest[s.key] = s.value_json;
        std::vector<std::string> keys, values;
        for (const auto& [k, v] : latest) {
            keys.push_back(k);
            values.push_back(v);
        }
        auto lease = db_.lease();
        Transaction tx(*lease);
        Params p;
        p.add(textArrayLiteral(keys));
        p.add(textArrayLiteral(values));
        try {
            lease->execPrepared(
                "settings_upsert",
                "INSERT INTO settings (key, value) SELECT k, v::jsonb FROM unnest($1::text[], $2::text[]) AS t(k, v)"
                " ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = NOW()",
                p);
        } catch (const PgError& e) {
            if (e.sqlstate() == "22P02") return sdk::Status::invalid("settings: value is not valid JSON");
            throw;
        }
        lease->execPrepared("settings_bump", "UPDATE settings_revision SET revision = revision + 1 WHERE id = 1");
        tx.commit();
        return sdk::Status{};
    });
}

sdk::Status SettingsStoreImpl::revision(std::int64_t& out) noexcept {
    return guarded([&] {
        auto lease = db_.lease();
        out = lease->execPrepared("settings_revision", "SELECT revision FROM settings_revision WHERE id = 1")
                  .int64(0, 0);
        return sdk::Status{};
    });
}

}  // namespace tidings::storage_pg
