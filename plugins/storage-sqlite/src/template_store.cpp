#include "template_store.hpp"

namespace tidings::storage_sqlite {

sdk::Status TemplateStoreImpl::list(std::optional<sdk::TemplateType> type, bool with_body,
                     std::vector<sdk::Template>& out) noexcept {
    return sdk::Status::internal("storage-sqlite: not implemented yet");
}

sdk::Status TemplateStoreImpl::get(sdk::Id id, sdk::Template& out) noexcept {
    return sdk::Status::internal("storage-sqlite: not implemented yet");
}

sdk::Status TemplateStoreImpl::getDefault(sdk::Template& out) noexcept {
    return sdk::Status::internal("storage-sqlite: not implemented yet");
}

sdk::Status TemplateStoreImpl::create(const sdk::TemplateDraft& draft, sdk::Template& out) noexcept {
    return sdk::Status::internal("storage-sqlite: not implemented yet");
}

sdk::Status TemplateStoreImpl::update(sdk::Id id, const sdk::TemplateDraft& draft, sdk::Template& out) noexcept {
    return sdk::Status::internal("storage-sqlite: not implemented yet");
}

sdk::Status TemplateStoreImpl::setDefault(sdk::Id id, sdk::Template& out) noexcept {
    return sdk::Status::internal("storage-sqlite: not implemented yet");
}

sdk::Status TemplateStoreImpl::remove(sdk::Id id) noexcept {
    return sdk::Status::internal("storage-sqlite: not implemented yet");
}

}  // namespace tidings::storage_sqlite
