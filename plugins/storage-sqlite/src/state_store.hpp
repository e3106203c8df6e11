// SQLite implementation of sdk::StateStore.
#pragma once

#include <tidings/sdk/v1/storage.hpp>

#include "database.hpp"

namespace tidings::storage_sqlite {

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

}  // namespace tidings::storage_sqlite
