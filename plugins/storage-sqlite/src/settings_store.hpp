// SQLite implementation of sdk::SettingsStore.
#pragma once

#include <tidings/sdk/v1/storage.hpp>

#include "database.hpp"

namespace tidings::storage_sqlite {

class SettingsStoreImpl final : public sdk::SettingsStore {
public:
    explicit SettingsStoreImpl(Database& db) : db_(db) {}

    sdk::Status getAll(std::vector<sdk::Setting>& out) noexcept override;
    sdk::Status put(const std::vector<sdk::Setting>& settings) noexcept override;
    sdk::Status revision(std::int64_t& out) noexcept override;

private:
    Database& db_;
};

}  // namespace tidings::storage_sqlite
