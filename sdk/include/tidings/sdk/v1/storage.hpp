// Tidings plugin SDK, version 1: the storage capability.
//
// A storage plugin keeps every piece of durable state. The kernel validates and normalises input
// before it reaches the store (e-mail syntax, enum values, JSON shape) and holds the business
// rules; the store turns requests into queries and guarantees atomicity: every method either
// applies its whole change or none of it.
//
// Threading: every method may be called from any kernel thread, concurrently. The store manages
// its own connection pool and must not block forever: a query that cannot get a connection or
// that exceeds its time limit returns Unavailable.
//
// Errors: NotFound when the addressed object does not exist, Conflict for unique-key collisions
// (the message names the field, e.g. "email: already exists"), Invalid for input the store itself
// rejects (an unknown list id, an unsafe `sql_expression`), Unavailable for connection problems,
// Internal for anything else. Out-parameters are only meaningful when the Status is ok.
//
// The store is split into narrow interfaces so it can grow by appending accessors to Storage in
// minor versions without touching existing vtables.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bounce_store.hpp"
#include "campaign.hpp"
#include "import.hpp"
#include "model.hpp"
#include "outbox.hpp"
#include "status.hpp"
#include "tracking.hpp"

namespace tidings::sdk::v1 {

/// Which page of a result to return. `per_page == 0` means no limit (listmonk's `per_page=all`).
struct PageRequest {
    std::int64_t page = 1;       ///< 1-based.
    std::int64_t per_page = 20;  ///< 0 = everything.
};

/// A set of subscribers, described by conditions that are all ANDed. An empty filter (no ids, no
/// search, no expression, no lists) selects every subscriber; the kernel only passes one when the
/// caller explicitly asked for "all".
struct SubscriberFilter {
    std::vector<Id> ids;         ///< Only these subscribers.
    std::string search;          ///< Case-insensitive substring of the name or the e-mail.
    /// listmonk's `query`: a boolean SQL expression over `subscribers` (e.g.
    /// "subscribers.attribs->>'city' = 'Berlin'"). The store runs it read-only with a time limit,
    /// allows no statement chaining and no relation outside the subscriber, list, campaign and
    /// tracking tables, and returns Invalid with the database's reason when it is not acceptable.
    std::string sql_expression;
    std::vector<Id> list_ids;    ///< Members of any of these lists.
    /// With list_ids: only memberships in this status.
    std::optional<SubscriptionStatus> subscription_status;
};

/// A page of subscribers.
struct SubscriberQuery {
    SubscriberFilter filter;
    /// One of "id", "email", "name", "status", "created_at", "updated_at" (the kernel rejects
    /// anything else before calling the store).
    std::string order_by = "id";
    SortOrder order = SortOrder::Asc;
    PageRequest page;
};

/// Results of a subscriber query. `total` counts every match, not just this page.
struct SubscriberPage {
    std::vector<Subscriber> results;
    std::int64_t total = 0;
};

/// Receives one batch of streamed results; returns false to stop early (client went away).
template <typename T>
using BatchSink = std::function<bool(const std::vector<T>&)>;

/// What to do with list memberships of a set of subscribers.
enum class SubscriptionAction : std::uint8_t {
    Add = 0,          ///< Insert memberships; existing ones take `status` if it is set.
    Remove = 1,       ///< Delete memberships.
    Unsubscribe = 2,  ///< Set memberships to unsubscribed.
    /// Opt-in confirmation: unconfirmed memberships in list_ids (every list when list_ids is
    /// empty) become confirmed and get `meta_json` merged into their meta. Others are untouched.
    Confirm = 3,
};

struct SubscriptionChange {
    SubscriptionAction action = SubscriptionAction::Add;
    std::vector<Id> list_ids;  ///< Target lists; must exist (Invalid otherwise).
    /// For Add: the status of new (and, when `overwrite_status`, existing) memberships.
    SubscriptionStatus status = SubscriptionStatus::Unconfirmed;
    bool overwrite_status = true;
    /// For Confirm: a JSON object merged into each confirmed membership's meta (e.g. optin_ip).
    std::string meta_json = "{}";
};

/// One membership to create or renew through SubscriberStore::subscribe.
struct ListMembership {
    Id list_id = 0;
    SubscriptionStatus status = SubscriptionStatus::Unconfirmed;
};

/// Subscribers: profiles and list memberships.
class SubscriberStore {
public:
    /// One page of subscribers matching `q`, each with its memberships, and the total count.
    /// The total should be cheap when the filter is empty or only names lists (maintained
    /// counters); with a search or an expression it may need a count query.
    virtual Status query(const SubscriberQuery& q, SubscriberPage& out) noexcept = 0;

    /// Streams every subscriber matching `q` (ignoring q.page) in batches of at most `batch_size`
    /// using keyset pagination, so memory stays flat. Stops when `sink` returns false.
    virtual Status stream(const SubscriberQuery& q, std::size_t batch_size,
                          const BatchSink<Subscriber>& sink) noexcept = 0;

    /// The subscriber with this id, with memberships. NotFound if none.
    virtual Status get(Id id, Subscriber& out) noexcept = 0;

    /// The subscriber with this UUID. NotFound if none.
    virtual Status getByUuid(std::string_view uuid, Subscriber& out) noexcept = 0;

    /// The subscriber with this (normalised) e-mail. NotFound if none.
    virtual Status getByEmail(std::string_view email, Subscriber& out) noexcept = 0;

    /// Inserts a subscriber (email and name are set; a new UUID is generated) and memberships
    /// of `list_ids` in `status`. Conflict when the e-mail exists; Invalid when a list id does
    /// not exist. Returns the stored subscriber in `out`.
    virtual Status create(const SubscriberDraft& draft, const std::vector<Id>& list_ids,
                          SubscriptionStatus status, Subscriber& out) noexcept = 0;

    /// Updates the fields set in `draft`. When `list_ids` is set, memberships are replaced:
    /// lists not named are removed, kept ones keep their status, new ones get `status`. When the
    /// draft blocklists the subscriber, every membership becomes unsubscribed. NotFound, or
    /// Conflict when the new e-mail belongs to someone else.
    virtual Status update(Id id, const SubscriberDraft& draft,
                          const std::optional<std::vector<Id>>& list_ids,
                          SubscriptionStatus status, Subscriber& out) noexcept = 0;

    /// Subscribes an address to lists in one transaction, creating the subscriber if needed
    /// (public forms, opt-in, imports). When no subscriber has draft.email, one is inserted from
    /// `draft` (email and name set) and `created` is true. When one exists, its profile is
    /// replaced by the draft's set fields only if `overwrite` is true. Memberships: missing ones
    /// are inserted with their status; existing unsubscribed ones take the given status (a
    /// re-subscription); unconfirmed and confirmed ones are left as they are. A blocklisted
    /// subscriber is refused with Forbidden ("email: this address is blocklisted") and nothing
    /// changes. Invalid when a list id does not exist.
    virtual Status subscribe(const SubscriberDraft& draft, const std::vector<ListMembership>& lists,
                             bool overwrite, Subscriber& out, bool& created) noexcept = 0;

    /// Deletes the subscribers selected by `filter`; `affected` is how many were deleted.
    virtual Status remove(const SubscriberFilter& filter, std::int64_t& affected) noexcept = 0;

    /// Blocklists the selected subscribers and unsubscribes all their memberships.
    virtual Status blocklist(const SubscriberFilter& filter, std::int64_t& affected) noexcept = 0;

    /// Applies `change` to the memberships of the selected subscribers; `affected` is the number
    /// of membership rows changed.
    virtual Status changeSubscriptions(const SubscriberFilter& filter,
                                       const SubscriptionChange& change,
                                       std::int64_t& affected) noexcept = 0;

protected:
    ~SubscriberStore() = default;
};

/// Filters and ordering for lists.
struct ListQuery {
    std::string search;              ///< Case-insensitive substring of the name.
    std::vector<std::string> tags;   ///< Lists carrying any of these tags.
    std::optional<ListType> type;
    std::optional<ListOptin> optin;
    std::optional<ListStatus> status;
    std::vector<Id> ids;             ///< Only these lists.
    /// One of "id", "name", "type", "status", "created_at", "updated_at", "subscriber_count".
    std::string order_by = "id";
    SortOrder order = SortOrder::Asc;
    PageRequest page;
};

struct ListPage {
    std::vector<List> results;
    std::int64_t total = 0;
};

/// Mailing lists, with maintained subscription counts.
class ListStore {
public:
    /// A page of lists with their counts. Must stay fast with millions of subscribers: counts
    /// come from maintained counters, never from counting memberships at read time.
    virtual Status query(const ListQuery& q, ListPage& out) noexcept = 0;

    /// One list with counts. NotFound if none.
    virtual Status get(Id id, List& out) noexcept = 0;

    /// The lists whose UUIDs are given (unknown UUIDs are skipped), with counts.
    virtual Status getByUuids(const std::vector<std::string>& uuids,
                              std::vector<List>& out) noexcept = 0;

    /// Inserts a list; `draft.name` is set; unset fields take their defaults (private, single,
    /// active, no tags, empty description). A new UUID is generated.
    virtual Status create(const ListDraft& draft, List& out) noexcept = 0;

    /// Updates the fields set in `draft`. NotFound if the list does not exist.
    virtual Status update(Id id, const ListDraft& draft, List& out) noexcept = 0;

    /// Deletes the lists (and their memberships); `affected` is how many were deleted.
    virtual Status remove(const std::vector<Id>& ids, std::int64_t& affected) noexcept = 0;

protected:
    ~ListStore() = default;
};

/// Users of the admin API and their roles.
class UserStore {
public:
    /// Every user, ordered by id, with its role.
    virtual Status listUsers(std::vector<User>& out) noexcept = 0;

    /// One user with its role. NotFound if none.
    virtual Status getUser(Id id, User& out) noexcept = 0;

    /// The user with this username (case-sensitive). NotFound if none. Called on every
    /// authenticated request, so it must be a single indexed lookup.
    virtual Status findUserByName(std::string_view username, User& out) noexcept = 0;

    /// The API user whose credential_hash equals `digest`. NotFound if none. Called for every
    /// `Authorization: Bearer` request, so it must be a single indexed lookup.
    virtual Status findUserByCredential(std::string_view digest, User& out) noexcept = 0;

    /// Inserts a user; username, email, type, status, role_id and credential_hash are set.
    /// Conflict when the username or e-mail exists; Invalid when the role does not exist.
    virtual Status createUser(const UserDraft& draft, User& out) noexcept = 0;

    /// Updates the fields set in `draft`. NotFound / Conflict / Invalid as for createUser.
    virtual Status updateUser(Id id, const UserDraft& draft, User& out) noexcept = 0;

    /// Deletes a user. NotFound if none.
    virtual Status removeUser(Id id) noexcept = 0;

    /// Records a successful login time. Failures are ignored by the kernel.
    virtual Status touchUserLogin(Id id) noexcept = 0;

    /// Every role, ordered by id.
    virtual Status listRoles(std::vector<Role>& out) noexcept = 0;

    /// One role. NotFound if none.
    virtual Status getRole(Id id, Role& out) noexcept = 0;

    /// Inserts a role. Conflict when the name exists.
    virtual Status createRole(const std::string& name, const std::vector<std::string>& permissions,
                              Role& out) noexcept = 0;

    /// Replaces a role's name and permissions. NotFound / Conflict.
    virtual Status updateRole(Id id, const std::string& name,
                              const std::vector<std::string>& permissions, Role& out) noexcept = 0;

    /// Deletes a role. NotFound; Conflict when a user still has it.
    virtual Status removeRole(Id id) noexcept = 0;

protected:
    ~UserStore() = default;
};

/// Runtime settings (listmonk's `settings` table: one JSON value per key).
class SettingsStore {
public:
    /// Every stored setting.
    virtual Status getAll(std::vector<Setting>& out) noexcept = 0;

    /// Inserts or replaces each given key, all in one transaction, and advances the revision.
    virtual Status put(const std::vector<Setting>& settings) noexcept = 0;

    /// A number that changes whenever any setting changes. The kernel polls it (about once a
    /// second) to pick up changes made by other processes, so it must be cheap.
    virtual Status revision(std::int64_t& out) noexcept = 0;

protected:
    ~SettingsStore() = default;
};

/// Small shared state for the kernel and plugins: signing keys, replay caches, leases. Values are
/// short strings; every process on the same database sees the same state, which is why it lives
/// in storage and not in memory.
class StateStore {
public:
    /// The value of a live (unexpired) key, or nullopt.
    virtual Status get(std::string_view key, std::optional<std::string>& value) noexcept = 0;

    /// Sets a key; `ttl` of zero means it never expires.
    virtual Status put(std::string_view key, std::string_view value, std::chrono::seconds ttl) noexcept = 0;

    /// Atomically sets a key only if it is absent or expired; `inserted` tells which happened.
    /// Used for replay protection (a solution may be used once) and for one-time key creation
    /// (the first process to start creates the key, the others read it).
    virtual Status insertIfAbsent(std::string_view key, std::string_view value, std::chrono::seconds ttl,
                                  bool& inserted) noexcept = 0;

    /// Deletes a key; deleting a missing key is not an error.
    virtual Status remove(std::string_view key) noexcept = 0;

protected:
    ~StateStore() = default;
};

/// What migrate() did.
struct MigrationReport {
    int from_version = 0;  ///< Schema version found (0 = empty database).
    int to_version = 0;    ///< Schema version now.
};

/// The storage capability. The plugin owns this object and every sub-store; they live from
/// `Registrar::provideStorage` until the plugin's `stop()` returns.
class Storage {
public:
    /// Brings the schema to the version this plugin knows, idempotently, recording the version
    /// in the database. Safe to call concurrently from several processes (the store serialises
    /// migrations, e.g. with an advisory lock). Called by the kernel at start-up before anything
    /// else and by `tidings --install`.
    virtual Status migrate(MigrationReport& report) noexcept = 0;

    /// Checks that the database answers. Used by health checks.
    virtual Status ping() noexcept = 0;

    /// Human-readable description for logs and /api/about, e.g. "postgresql 15.4". No secrets.
    virtual std::string describe() const noexcept = 0;

    virtual SubscriberStore& subscribers() noexcept = 0;
    virtual ListStore& lists() noexcept = 0;
    virtual UserStore& users() noexcept = 0;
    virtual SettingsStore& settings() noexcept = 0;
    virtual StateStore& state() noexcept = 0;
    virtual TemplateStore& templates() noexcept = 0;
    virtual CampaignStore& campaigns() noexcept = 0;
    virtual DeliveryStore& deliveries() noexcept = 0;
    /// Subscriber imports: state, log and bulk loading (import.hpp).
    virtual ImportStore& imports() noexcept = 0;
    virtual BounceStore& bounces() noexcept = 0;
    virtual TrackingStore& tracking() noexcept = 0;

    // ---- since ABI 1.1 ------------------------------------------------------------------------
    // The kernel calls these only on a storage plugin that declares at least that minor.

    /// The durable outbound job queue (outbox.hpp).
    virtual OutboxStore& outbox() noexcept = 0;

protected:
    ~Storage() = default;
};

}  // namespace tidings::sdk::v1
