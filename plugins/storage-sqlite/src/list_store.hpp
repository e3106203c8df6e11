// SQLite implementation of sdk::ListStore.
#pragma once

#include <tidings/sdk/v1/storage.hpp>

#include "database.hpp"

namespace tidings::storage_sqlite {

class ListStoreImpl final : public sdk::ListStore {
public:
    explicit ListStoreImpl(Database& db) : db_(db) {}

    sdk::Status query(const sdk::ListQuery& q, sdk::ListPage& out) noexcept override;
    sdk::Status get(sdk::Id id, sdk::List& out) noexcept override;
    sdk::Status getByUuids(const std::vector<std::string>& uuids, std::vector<sdk::List>& out) noexcept override;
    sdk::Status create(const sdk::ListDraft& draft, sdk::List& out) noexcept override;
    sdk::Status update(sdk::Id id, const sdk::ListDraft& draft, sdk::List& out) noexcept override;
    sdk::Status remove(const std::vector<sdk::Id>& ids, std::int64_t& affected) noexcept override;

private:
    Database& db_;
};

}  // namespace tidings::storage_sqlite
