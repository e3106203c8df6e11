// PostgreSQL implementation of sdk::StateStore: small shared key/value state with optional
// expiry, in table kv_state. Expired rows are invisible at once and purged by the compactor.
#pragma once

#include <tidings/sdk/v1/storage.hpp>

#include "database.hpp"

namespace tidings::storage_pg {

class StateStoreImpl final : public sdk::StateStore {
public:
    explicit StateStoreImpl(Database& db) : db_(db) {}

    sdk::Status get(std::string_view key, std::optional<std::string>& value) noexcept override;
    sdk::Status put(std::string_view key, std::string_view value, std::chrono::seconds ttl) noexcept override;
    sdk::Status insertIfAbsent(std::string_view key, std::string_view value, std::chrono::seconds ttl,
                               bool& inserted) noexcept override;
    sdk::Status remove(std::string_view key) noexcept override;

private:
    Database& db_;
};

}  // namespace tidings::storage_pg
