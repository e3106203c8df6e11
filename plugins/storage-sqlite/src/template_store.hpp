// SQLite implementation of sdk::TemplateStore.
#pragma once

#include <tidings/sdk/v1/storage.hpp>

#include "database.hpp"

namespace tidings::storage_sqlite {

class TemplateStoreImpl final : public sdk::TemplateStore {
public:
    explicit TemplateStoreImpl(Database& db) : db_(db) {}

    sdk::Status list(std::optional<sdk::TemplateType> type, bool with_body,
                     std::vector<sdk::Template>& out) noexcept override;
    sdk::Status get(sdk::Id id, sdk::Template& out) noexcept override;
    sdk::Status getDefault(sdk::Template& out) noexcept override;
    sdk::Status create(const sdk::TemplateDraft& draft, sdk::Template& out) noexcept override;
    sdk::Status update(sdk::Id id, const sdk::TemplateDraft& draft, sdk::Template& out) noexcept override;
    sdk::Status setDefault(sdk::Id id, sdk::Template& out) noexcept override;
    sdk::Status remove(sdk::Id id) noexcept override;

private:
    Database& db_;
};

}  // namespace tidings::storage_sqlite
