#include "state_store.hpp"

#include "errors.hpp"

namespace tidings::storage_pg {
namespace {

Params keyValueTtl(std::string_view key, std::string_view value, std::chrono::seconds ttl) {
    Params p;
    p.add(key);
    p.add(value);
    p.add(static_cast<std::int64_t>(ttl.count()));
    return p;
}

// NULL expiry = never; the expiry is computed by the server so all processes share one clock.
constexpr const char* kExpiry = "CASE WHEN $3::int8 > 0 THEN NOW() + make_interval(secs => $3::int8) END";

}  // namespace

sdk::Status StateStoreImpl::get(std::string_view key, std::optional<std::string>& value) noexcept {
    return guarded([&] {
        auto lease = db_.lease();
        Params p;
        p.add(key);
        Result r = lease->execPrepared(
            "state_get",
            "SELECT value FROM kv_state WHERE key = $1 AND (expires_at IS NULL OR expires_at > NOW())", p);
        value.reset();
        if (r.rows() > 0) value = r.str(0, 0);
        return sdk::Status{};
    });
}

sdk::Status StateStoreImpl::put(std::string_view key, std::string_view value, std::chrono::seconds ttl) noexcept {
    return guarded([&] {
        auto lease = db_.lease();
        lease->execPrepared("state_put",
                            std::string("INSERT INTO kv_state (key, value, expires_at) VALUES ($1, $2, ") +
                                kExpiry +
                                ") ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value,"
                                " expires_at = EXCLUDED.expires_at",
                            keyValueTtl(key, value, ttl));
        return sdk::Status{};
    });
}

sdk::Status StateStoreImpl::insertIfAbsent(std::string_view key, std::string_view value,
                                           std::chrono::seconds ttl, bool& inserted) noexcept {
    return guarded([&] {
        auto lease = db_.lease();
        // The conditional upsert is atomic: of two concurrent callers exactly one gets a row back.
        Result r = lease->execPrepared(
            "state_insert_absent",
            std::string("INSERT INTO kv_state AS s (key, value, expires_at) VALUES ($1, $2, ") + kExpiry +
                ") ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, expires_at = EXCLUDED.expires_at"
                " WHERE s.expires_at IS NOT NULL AND s.expires_at <= NOW() RETURNING 1",
            keyValueTtl(key, value, ttl));
        inserted = r.rows() == 1;
        return sdk::Status{};
    });
}

sdk::Status StateStoreImpl::remove(std::string_view key) noexcept {
    return guarded([&] {
        auto lease = db_.lease();
        Params p;
        p.add(key);
        lease->execPrepared("state_remove", "DELETE FROM kv_state WHERE key = $1", p);
        return sdk::Status{};
    });
}

}  // namespace tidings::storage_pg
