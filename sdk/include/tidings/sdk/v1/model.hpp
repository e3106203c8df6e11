// Tidings plugin SDK, version 1: the domain vocabulary shared by the kernel and plugins.
//
// Plain structs of standard-library types only. They are passed by reference across the boundary
// and copied by whoever needs to keep them: a callee never holds on to a reference it was given.
// JSON documents (attributes, metadata) cross as UTF-8 text holding one JSON value; the side that
// produces such text guarantees it is valid JSON.
//
// ABI rule: fields are appended at the end of a struct in a minor version, never inserted or
// reordered; enumerators keep their explicit values.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tidings::sdk::v1 {

/// Database identifier of a stored object. Always > 0 for an object that exists.
using Id = std::int64_t;

/// A point in time, UTC, with microsecond precision (what PostgreSQL and SQLite both keep).
using Timestamp = std::chrono::sys_time<std::chrono::microseconds>;

/// A subscriber's account status.
enum class SubscriberStatus : std::uint8_t { Enabled = 0, Disabled = 1, Blocklisted = 2 };

/// The status of one subscriber's membership of one list.
enum class SubscriptionStatus : std::uint8_t { Unconfirmed = 0, Confirmed = 1, Unsubscribed = 2 };

/// Who may see and join a list. Public lists appear on subscription forms.
enum class ListType : std::uint8_t { Public = 0, Private = 1, Temporary = 2 };

/// Whether joining a list needs confirmation by e-mail.
enum class ListOptin : std::uint8_t { Single = 0, Double = 1 };

/// Archived lists keep their data but are hidden from public forms.
enum class ListStatus : std::uint8_t { Active = 0, Archived = 1 };

/// Kind of user: people log in with a password, API users with a token.
enum class UserType : std::uint8_t { User = 0, Api = 1 };

/// Disabled users cannot authenticate.
enum class UserStatus : std::uint8_t { Enabled = 0, Disabled = 1 };

/// Sort direction for paginated queries.
enum class SortOrder : std::uint8_t { Asc = 0, Desc = 1 };

/// Counts of a list's subscriptions by status. Maintained by the store, cheap to read.
struct SubscriptionCounts {
    std::int64_t unconfirmed = 0;
    std::int64_t confirmed = 0;
    std::int64_t unsubscribed = 0;
};

/// A mailing list, as stored and as the API shows it.
struct List {
    /// Database id; stable for the life of the list.
    Id id = 0;
    /// Public reference used by subscription forms (list_uuids); canonical lower-case UUID.
    std::string uuid;
    /// Display name, 1 to 2,000 bytes.
    std::string name;
    /// Public lists appear on forms and /api/public/lists.
    ListType type = ListType::Private;
    /// Double opt-in lists send a confirmation mail before a membership counts as confirmed.
    ListOptin optin = ListOptin::Single;
    /// Archived lists keep their members but leave public forms.
    ListStatus status = ListStatus::Active;
    /// Free-form labels, normalised by the kernel (trimmed, inner spaces as '-').
    std::vector<std::string> tags;
    /// Shown on public forms; plain text.
    std::string description;
    /// Number of subscriptions that are not unsubscribed (listmonk's `subscriber_count`).
    std::int64_t subscriber_count = 0;
    SubscriptionCounts subscription_counts;
    Timestamp created_at{};
    Timestamp updated_at{};
};

/// The writable fields of a list. On update, an empty optional keeps the stored value.
struct ListDraft {
    std::optional<std::string> name;
    std::optional<ListType> type;
    std::optional<ListOptin> optin;
    std::optional<ListStatus> status;
    std::optional<std::vector<std::string>> tags;
    std::optional<std::string> description;
};

/// One list a subscriber belongs to, with the state of that membership.
struct Subscription {
    List list;  ///< Counts in this copy are not filled in.
    SubscriptionStatus status = SubscriptionStatus::Unconfirmed;
    std::string meta_json = "{}";  ///< JSON object, e.g. {"optin_ip": "..."}.
    Timestamp created_at{};
    Timestamp updated_at{};
};

/// A subscriber with their list memberships.
struct Subscriber {
    /// Database id.
    Id id = 0;
    /// Public reference used in links (manage, opt-in, tracking); never reused.
    std::string uuid;
    std::string email;  ///< Normalised: trimmed and lower-cased.
    /// Display name; the kernel derives one from the e-mail when none is given.
    std::string name;
    /// Arbitrary attributes as a JSON object, usable in templates and `query` expressions.
    std::string attribs_json = "{}";
    /// Blocklisted subscribers receive nothing and cannot re-subscribe through public forms.
    SubscriberStatus status = SubscriberStatus::Enabled;
    /// Memberships, ordered by list id; filled by every store method that returns a subscriber.
    std::vector<Subscription> lists;
    Timestamp created_at{};
    Timestamp updated_at{};
};

/// The writable fields of a subscriber, already validated and normalised by the kernel.
/// On update, an empty optional keeps the stored value.
struct SubscriberDraft {
    std::optional<std::string> email;
    std::optional<std::string> name;
    std::optional<std::string> attribs_json;
    std::optional<SubscriberStatus> status;
};

/// A user role: a named set of permissions. Role 1 is the Super Admin role and holds all.
struct Role {
    /// Database id.
    Id id = 0;
    /// Unique name.
    std::string name;
    std::vector<std::string> permissions;  ///< listmonk's names, e.g. "subscribers:get".
    Timestamp created_at{};
    Timestamp updated_at{};
};

/// A user of the admin API.
struct User {
    /// Database id.
    Id id = 0;
    /// Unique login name: 3 to 2,000 of [A-Za-z0-9_.@-].
    std::string username;
    /// Unique e-mail; "<username>@api" for API users.
    std::string email;
    /// Display name.
    std::string name;
    /// People log in with a password, API users with a token.
    UserType type = UserType::User;
    /// Disabled users cannot authenticate.
    UserStatus status = UserStatus::Enabled;
    /// Whether a password login is allowed (users only).
    bool password_login = false;
    /// The stored credential: a password hash for users, a token digest for API users. The kernel
    /// produces and checks it; stores keep it opaque and never return it in listings meant for
    /// clients (the kernel strips it before serialising).
    std::string credential_hash;
    /// The user's role, with its permissions.
    Role role;
    /// Last successful login, if any.
    std::optional<Timestamp> loggedin_at;
    Timestamp created_at{};
    Timestamp updated_at{};
};

/// The writable fields of a user. On update, an empty optional keeps the stored value.
struct UserDraft {
    std::optional<std::string> username;
    std::optional<std::string> email;
    std::optional<std::string> name;
    std::optional<UserType> type;
    std::optional<UserStatus> status;
    std::optional<bool> password_login;
    std::optional<std::string> credential_hash;
    std::optional<Id> role_id;
};

/// One runtime setting: a listmonk key ("app.site_name", "smtp", ...) and its JSON value.
struct Setting {
    std::string key;
    std::string value_json;
};

// ---- Text forms of the enums, as they appear in listmonk's JSON and SQL. ---------------------

/// listmonk's text for a subscriber status.
constexpr std::string_view toString(SubscriberStatus s) noexcept {
    switch (s) {
    case SubscriberStatus::Enabled: return "enabled";
    case SubscriberStatus::Disabled: return "disabled";
    case SubscriberStatus::Blocklisted: return "blocklisted";
    }
    return "enabled";
}

/// listmonk's text for a subscription status.
constexpr std::string_view toString(SubscriptionStatus s) noexcept {
    switch (s) {
    case SubscriptionStatus::Unconfirmed: return "unconfirmed";
    case SubscriptionStatus::Confirmed: return "confirmed";
    case SubscriptionStatus::Unsubscribed: return "unsubscribed";
    }
    return "unconfirmed";
}

constexpr std::string_view toString(ListType t) noexcept {
    switch (t) {
    case ListType::Public: return "public";
    case ListType::Private: return "private";
    case ListType::Temporary: return "temporary";
    }
    return "private";
}

constexpr std::string_view toString(ListOptin o) noexcept {
    return o == ListOptin::Double ? "double" : "single";
}

constexpr std::string_view toString(ListStatus s) noexcept {
    return s == ListStatus::Archived ? "archived" : "active";
}

constexpr std::string_view toString(UserType t) noexcept {
    return t == UserType::Api ? "api" : "user";
}

constexpr std::string_view toString(UserStatus s) noexcept {
    return s == UserStatus::Disabled ? "disabled" : "enabled";
}

/// Parses listmonk's text for an enum; returns nullopt for anything else (case-sensitive).
template <typename Enum>
std::optional<Enum> parseEnum(std::string_view text) noexcept;

namespace detail {
template <typename Enum, int N>
constexpr std::optional<Enum> parseAmong(std::string_view text, const Enum (&values)[N]) noexcept {
    for (Enum v : values) {
        if (toString(v) == text) return v;
    }
    return std::nullopt;
}
}  // namespace detail

template <>
inline std::optional<SubscriberStatus> parseEnum(std::string_view t) noexcept {
    constexpr SubscriberStatus all[] = {SubscriberStatus::Enabled, SubscriberStatus::Disabled,
                                        SubscriberStatus::Blocklisted};
    return detail::parseAmong(t, all);
}
template <>
inline std::optional<SubscriptionStatus> parseEnum(std::string_view t) noexcept {
    constexpr SubscriptionStatus all[] = {SubscriptionStatus::Unconfirmed,
                                          SubscriptionStatus::Confirmed,
                                          SubscriptionStatus::Unsubscribed};
    return detail::parseAmong(t, all);
}
template <>
inline std::optional<ListType> parseEnum(std::string_view t) noexcept {
    constexpr ListType all[] = {ListType::Public, ListType::Private, ListType::Temporary};
    return detail::parseAmong(t, all);
}
template <>
inline std::optional<ListOptin> parseEnum(std::string_view t) noexcept {
    constexpr ListOptin all[] = {ListOptin::Single, ListOptin::Double};
    return detail::parseAmong(t, all);
}
template <>
inline std::optional<ListStatus> parseEnum(std::string_view t) noexcept {
    constexpr ListStatus all[] = {ListStatus::Active, ListStatus::Archived};
    return detail::parseAmong(t, all);
}
template <>
inline std::optional<UserType> parseEnum(std::string_view t) noexcept {
    constexpr UserType all[] = {UserType::User, UserType::Api};
    return detail::parseAmong(t, all);
}
template <>
inline std::optional<UserStatus> parseEnum(std::string_view t) noexcept {
    constexpr UserStatus all[] = {UserStatus::Enabled, UserStatus::Disabled};
    return detail::parseAmong(t, all);
}

}  // namespace tidings::sdk::v1
