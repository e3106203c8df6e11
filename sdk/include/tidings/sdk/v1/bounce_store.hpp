// Tidings plugin SDK, version 1: bounce records (storage side).
//
// Reached through Storage::bounces(). The same rules as storage.hpp apply: every method is
// noexcept, thread safe, atomic, and reports failure with a Status (NotFound, Invalid,
// Unavailable, Internal). The kernel decides which action a bounce triggers from the
// `bounce.actions` setting and passes it in; the store applies it in the same transaction as
// the record, so a bounce is never stored without its consequence or the other way round.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bounce.hpp"
#include "model.hpp"
#include "status.hpp"

namespace tidings::sdk::v1 {

/// What happens to a subscriber whose bounces of one type reach the configured count.
enum class BounceAction : std::uint8_t {
    None = 0,
    Unsubscribe = 1,  ///< Every subscription becomes unsubscribed.
    Blocklist = 2,    ///< The subscriber is blocklisted and every subscription unsubscribed.
    Delete = 3,       ///< The subscriber and (by cascade) their bounces are deleted.
};

/// The rule for one bounce type: apply `action` once the subscriber has `count` bounces of
/// that type (this one included). A count below 1 never triggers.
struct BounceRule {
    std::int32_t count = 1;
    BounceAction action = BounceAction::None;
};

/// A stored bounce, as the API shows it.
struct Bounce {
    Id id = 0;
    Id subscriber_id = 0;
    std::string subscriber_uuid;
    std::string email;
    /// The campaign the bounced message belonged to; 0 when unknown or deleted since.
    Id campaign_id = 0;
    std::string campaign_uuid;
    std::string campaign_name;
    BounceType type = BounceType::Hard;
    std::string source;
    /// The provider's details, a JSON object or value as text.
    std::string meta_json = "{}";
    Timestamp created_at{};
};

/// What record() did.
struct BounceOutcome {
    /// False when no subscriber has the e-mail or UUID: nothing was stored.
    bool recorded = false;
    Id bounce_id = 0;
    Id subscriber_id = 0;
    /// Bounces of this type the subscriber has now, this one included.
    std::int64_t count = 0;
    /// The action applied (None when the count was below the rule's).
    BounceAction applied = BounceAction::None;
};

/// Filters and ordering for bounce listings.
struct BounceQuery {
    std::optional<Id> campaign_id;
    std::optional<Id> subscriber_id;
    std::string source;                    ///< Exact source; empty for all.
    std::optional<BounceType> type;
    /// One of "email", "campaign_name", "source", "type", "created_at".
    std::string order_by = "created_at";
    SortOrder order = SortOrder::Desc;
    std::int64_t page = 1;       ///< 1-based.
    std::int64_t per_page = 20;  ///< 0 = everything.
};

struct BouncePage {
    std::vector<Bounce> results;
    std::int64_t total = 0;
};

/// Bounce records and the actions they trigger.
class BounceStore {
public:
    /// Records one bounce of the subscriber named by `event.subscriber_uuid` (when set) or
    /// `event.email` (case-insensitive), linked to the campaign with `event.campaign_uuid` when
    /// that exists, dated `event.created_at` (now when unset); then, if the subscriber's bounces of this type
    /// reach `rule.count`, applies `rule.action` — all in one transaction. An unknown subscriber
    /// is not an error: `out.recorded` is false and nothing changes.
    virtual Status record(const BounceEvent& event, const BounceRule& rule, BounceOutcome& out) noexcept = 0;

    /// A page of bounces with subscriber and campaign names.
    virtual Status query(const BounceQuery& q, BouncePage& out) noexcept = 0;

    /// One bounce. NotFound if none.
    virtual Status get(Id id, Bounce& out) noexcept = 0;

    /// Deletes the bounces with these ids (absent ones are skipped); `affected` says how many.
    virtual Status remove(const std::vector<Id>& ids, std::int64_t& affected) noexcept = 0;

    /// Deletes every bounce (`subscriber_id` unset) or every bounce of one subscriber.
    virtual Status removeAll(std::optional<Id> subscriber_id, std::int64_t& affected) noexcept = 0;

    /// Blocklists every subscriber that has any bounce (and unsubscribes their subscriptions);
    /// `affected` is the number of subscribers newly blocklisted.
    virtual Status blocklistBounced(std::int64_t& affected) noexcept = 0;

protected:
    ~BounceStore() = default;
};

constexpr std::string_view toString(BounceAction a) noexcept {
    switch (a) {
    case BounceAction::None: return "none";
    case BounceAction::Unsubscribe: return "unsubscribe";
    case BounceAction::Blocklist: return "blocklist";
    case BounceAction::Delete: return "delete";
    }
    return "none";
}

template <>
inline std::optional<BounceAction> parseEnum(std::string_view t) noexcept {
    constexpr BounceAction all[] = {BounceAction::None, BounceAction::Unsubscribe, BounceAction::Blocklist,
                                    BounceAction::Delete};
    return detail::parseAmong(t, all);
}

}  // namespace tidings::sdk::v1
