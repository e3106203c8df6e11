#include "state_store.hpp"

#include "errors.hpp"
#include "values.hpp"

namespace tidings::storage_sqlite {
namespace {

// NULL expiry = never. Every process on this file shares the machine's clock.
std::optional<std::string> expiry(std::chrono::seconds ttl) {
    if (ttl.count() <= 0) return std::nullopt;
    return formatTimestamp(std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now()) + ttl);
}

// Expired keys (replay caches, challenges) would otherwise pile up; writers sweep them through
// the expiry index, so the table stays the size of what is live.
void purgeExpired(Connection& c) {
    c.prepare("DELETE FROM kv_state WHERE expires_at IS NOT NULL AND expires_at <= ?").bindAll(nowText()).run();
}

}  // namespace

sdk::Status StateStoreImpl::get(std::string_view key, std::optional<std::string>& value) noexcept {
    return guarded([&] {
        auto lease = db_.reader();
        auto st = lease->prepare("SELECT value FROM kv_state WHERE key = ? AND (expires_at IS NULL OR expires_at > ?)");
        st.bindAll(key, nowText());
        value.reset();
        if (st.step()) value = st.text(0);
        return sdk::Status{};
    });
}

sdk::Status StateStoreImpl::put(std::string_view key, std::string_view value, std::chrono::seconds ttl) noexcept {
    return guarded([&] {
        auto lease = db_.writer();
        purgeExpired(*lease);
        lease->prepare("INSERT INTO kv_state (key, value, expires_at) VALUES (?, ?, ?) ON CONFLICT (key)"
                       " DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at")
            .bindAll(key, value, expiry(ttl))
            .run();
        return sdk::Status{};
    });
}

sdk::Status StateStoreImpl::insertIfAbsent(std::string_view key, std::string_view value, std::chrono::seconds ttl,
                                           bool& inserted) noexcept {
    return guarded([&] {
        auto lease = db_.writer();
        // One statement, so atomic across processes too: an expired row is replaced, a live one
        // left alone, and changes() tells which happened.
        inserted = lease->prepare("INSERT INTO kv_state (key, value, expires_at) VALUES (?, ?, ?) ON CONFLICT (key)"
                                  " DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at"
                                  " WHERE kv_state.expires_at IS NOT NULL AND kv_state.expires_at <= ?")
                       .bindAll(key, value, expiry(ttl), nowText())
                       .run() == 1;
        return sdk::Status{};
    });
}

sdk::Status StateStoreImpl::remove(std::string_view key) noexcept {
    return guarded([&] {
        auto lease = db_.writer();
        lease->prepare("DELETE FROM kv_state WHERE key = ?").bindAll(key).run();
        return sdk::Status{};
    });
}

}  // namespace tidings::storage_sqlite
