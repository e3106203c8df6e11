// List rules: validation, defaults and tag normalisation.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <tidings/sdk/v1/storage.hpp>

namespace tidings::kernel {

namespace sdk = tidings::sdk::v1;

/// A list as a client sent it; unset optionals were absent from the request.
struct ListInput {
    std::optional<std::string> name;
    std::optional<std::string> type;
    std::optional<std::string> optin;
    std::optional<std::string> status;
    std::optional<std::vector<std::string>> tags;
    std::optional<std::string> description;
};

inline constexpr std::size_t kMaxListNameBytes = 2000;

class ListService {
public:
    explicit ListService(sdk::Storage& storage);

    sdk::ListPage query(sdk::ListQuery q);
    sdk::List get(sdk::Id id);
    sdk::List create(const ListInput& input);
    /// Empty fields keep the stored values; tags are replaced when present.
    sdk::List update(sdk::Id id, const ListInput& input);
    std::int64_t remove(const std::vector<sdk::Id>& ids);

    /// Maps an `order_by` value to the store's column name; Invalid for anything else.
    static std::string orderColumn(const std::string& order_by);

    /// Trims tags and turns inner whitespace into '-', as listmonk does; drops empty ones.
    static std::vector<std::string> normaliseTags(const std::vector<std::string>& tags);

private:
    sdk::ListDraft draftFrom(const ListInput& input, bool creating);

    sdk::Storage& storage_;
};

}  // namespace tidings::kernel
