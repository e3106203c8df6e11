// Helpers shared by the store-independent conformance test files.
#pragma once

#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <atomic>
#include <thread>
#include <vector>

#include "storage_harness.hpp"

namespace tidings::conformance {

using sdk::Status;
using sdk::StatusCode;

#define REQUIRE_OK(expr)                 \
    do {                                 \
        const ::tidings::sdk::v1::Status st_ = (expr); \
        INFO(st_.message());             \
        REQUIRE(st_.ok());               \
    } while (false)


inline sdk::SubscriberDraft draft(std::string email, std::string name = "Someone",
                           std::string attribs = "{}") {
    sdk::SubscriberDraft d;
    d.email = std::move(email);
    d.name = std::move(name);
    d.attribs_json = std::move(attribs);
    return d;
}

inline sdk::List makeList(sdk::Storage& s, const std::string& name, std::vector<std::string> tags = {},
                   std::optional<sdk::ListType> type = std::nullopt) {
    sdk::ListDraft d;
    d.name = name;
    d.tags = std::move(tags);
    d.type = type;
    sdk::List out;
    REQUIRE_OK(s.lists().create(d, out));
    return out;
}

inline sdk::Subscriber makeSub(sdk::Storage& s, const std::string& email, std::vector<sdk::Id> lists = {},
                        sdk::SubscriptionStatus status = sdk::SubscriptionStatus::Unconfirmed,
                        const std::string& name = "Someone", const std::string& attribs = "{}") {
    sdk::Subscriber out;
    REQUIRE_OK(s.subscribers().create(draft(email, name, attribs), lists, status, out));
    return out;
}

inline const sdk::Subscription* membership(const sdk::Subscriber& s, sdk::Id list_id) {
    for (const auto& m : s.lists)
        if (m.list.id == list_id) return &m;
    return nullptr;
}

inline sdk::Subscriber fetch(sdk::Storage& s, sdk::Id id) {
    sdk::Subscriber out;
    REQUIRE_OK(s.subscribers().get(id, out));
    return out;
}

inline sdk::List fetchList(sdk::Storage& s, sdk::Id id) {
    sdk::List out;
    REQUIRE_OK(s.lists().get(id, out));
    return out;
}

inline sdk::SubscriberPage queryAll(sdk::Storage& s, sdk::SubscriberFilter f = {}) {
    sdk::SubscriberQuery q;
    q.filter = std::move(f);
    q.page.per_page = 0;
    sdk::SubscriberPage page;
    REQUIRE_OK(s.subscribers().query(q, page));
    return page;
}

inline sdk::SubscriberFilter byExpression(std::string e) {
    sdk::SubscriberFilter f;
    f.sql_expression = std::move(e);
    return f;
}

inline std::vector<std::string> emails(const sdk::SubscriberPage& p) {
    std::vector<std::string> out;
    for (const auto& s : p.results) out.push_back(s.email);
    return out;
}


}  // namespace tidings::conformance
