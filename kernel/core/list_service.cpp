#include "kernel/core/list_service.hpp"

#include <cctype>

#include "kernel/core/sort_keys.hpp"
#include "kernel/core/status_error.hpp"
#include "kernel/core/text.hpp"

namespace tidings::kernel {

namespace sdk = tidings::sdk::v1;

namespace {

template <typename Enum>
Enum parseField(const std::string& value, const char* field, const char* choices) {
    auto parsed = sdk::parseEnum<Enum>(value);
    if (!parsed) invalid(std::string(field) + ": must be one of " + choices);
    return *parsed;
}

}  // namespace

ListService::ListService(sdk::Storage& storage) : storage_(storage) {}

std::string ListService::orderColumn(const std::string& order_by) {
    return sortKey(order_by, {"id", "name", "type", "status", "created_at", "updated_at", "subscriber_count"}, "id",
                   "lists");
}

std::vector<std::string> ListService::normaliseTags(const std::vector<std::string>& tags) {
    std::vector<std::string> out;
    for (const auto& raw : tags) {
        std::string tag;
        bool pending_dash = false;
        for (char c : trimmed(raw)) {
            if (std::isspace(static_cast<unsigned char>(c))) {
                pending_dash = true;
                continue;
            }
            if (pending_dash) tag.push_back('-');
            pending_dash = false;
            tag.push_back(c);
        }
        if (tag.size() > 100) invalid("tags: a tag is longer than 100 bytes");
        if (!tag.empty()) out.push_back(std::move(tag));
    }
    return out;
}

sdk::ListDraft ListService::draftFrom(const ListInput& input, bool creating) {
    sdk::ListDraft draft;
    if (input.name) {
        std::string name = trimmed(*input.name);
        if (name.size() > kMaxListNameBytes) invalid("name: longer than 2000 bytes");
        if (!name.empty()) draft.name = name;
    }
    if (creating && !draft.name) invalid("name: is required");
    if (input.type && !input.type->empty()) {
        draft.type = parseField<sdk::ListType>(*input.type, "type", "public, private, temporary");
    }
    if (input.optin && !input.optin->empty()) {
        draft.optin = parseField<sdk::ListOptin>(*input.optin, "optin", "single, double");
    }
    if (input.status && !input.status->empty()) {
        draft.status = parseField<sdk::ListStatus>(*input.status, "status", "active, archived");
    }
    if (input.tags) draft.tags = normaliseTags(*input.tags);
    if (input.description) draft.description = *input.description;
    return draft;
}

sdk::ListPage ListService::query(sdk::ListQuery q) {
    sdk::ListPage page;
    check(storage_.lists().query(q, page));
    return page;
}

sdk::List ListService::get(sdk::Id id) {
    if (id < 1) invalid("id: invalid list id");
    sdk::List out;
    check(storage_.lists().get(id, out));
    return out;
}

sdk::List ListService::create(const ListInput& input) {
    sdk::List out;
    check(storage_.lists().create(draftFrom(input, true), out));
    return out;
}

sdk::List ListService::update(sdk::Id id, const ListInput& input) {
    if (id < 1) invalid("id: invalid list id");
    sdk::List out;
    check(storage_.lists().update(id, draftFrom(input, false), out));
    return out;
}

std::int64_t ListService::remove(const std::vector<sdk::Id>& ids) {
    for (auto id : ids) {
        if (id < 1) invalid("id: invalid list id");
    }
    std::int64_t affected = 0;
    check(storage_.lists().remove(ids, affected));
    return affected;
}

}  // namespace tidings::kernel
