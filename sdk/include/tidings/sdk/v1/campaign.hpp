// Tidings plugin SDK, version 1: campaigns, templates and the delivery ledger (storage side).
//
// These interfaces are reached through Storage::templates(), Storage::campaigns() and
// Storage::deliveries(). The same rules as storage.hpp apply: every method is noexcept, thread
// safe, atomic, and reports failure with a Status (NotFound, Conflict, Invalid, Unavailable,
// Internal). The kernel validates and normalises every field before it reaches the store and
// holds the business rules (allowed status transitions, defaults, rendering); the store keeps
// the data and makes the multi-process parts of sending safe.
//
// Sending, as the store sees it: when a campaign starts running the store fixes its recipient
// range (every subscriber id up to the largest one at that moment), and workers in any number of
// processes claim batches of recipients from that range under a lease. Each delivered or failed
// recipient is written to the ledger in bulk; a batch is completed when all its recipients are in
// the ledger. A batch whose lease expires (its process died) is claimed again, and recipients
// already in the ledger are left out of it, so a crash re-sends at most what was in flight and
// not yet recorded.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model.hpp"
#include "status.hpp"

namespace tidings::sdk::v1 {

/// listmonk's campaign statuses.
enum class CampaignStatus : std::uint8_t {
    Draft = 0,
    Scheduled = 1,
    Running = 2,
    Paused = 3,
    Cancelled = 4,
    Finished = 5,
};

/// Regular campaigns carry content; opt-in campaigns ask unconfirmed subscribers of double
/// opt-in lists to confirm.
enum class CampaignType : std::uint8_t { Regular = 0, Optin = 1 };

/// The format of a campaign body.
enum class ContentType : std::uint8_t { Richtext = 0, Html = 1, Markdown = 2, Plain = 3, Visual = 4 };

/// What a template is for: wrapping campaign bodies ("campaign", "campaign_visual") or a
/// standalone transactional message ("tx").
enum class TemplateType : std::uint8_t { Campaign = 0, CampaignVisual = 1, Tx = 2 };

/// The outcome of one recipient's delivery in the ledger. Unconfirmed (SDK 1.2): the message went
/// out in full but the relay's answer was lost, so it may or may not have been accepted. The
/// kernel records it only in stores built for 1.2 or later (older ones get Failed with the
/// reason); retryFailed() leaves it alone, so it is never sent twice by Tidings itself.
enum class DeliveryStatus : std::uint8_t { Sent = 0, Failed = 1, Unconfirmed = 2 };

/// A campaign or transactional template.
struct Template {
    Id id = 0;
    std::string name;
    TemplateType type = TemplateType::Campaign;
    /// Subject of a tx template (may hold template expressions); empty for campaign templates.
    std::string subject;
    /// Template source. Campaign templates contain `{{ template "content" . }}`.
    std::string body;
    /// The block editor's JSON for campaign_visual templates; empty otherwise.
    std::string body_source;
    /// Exactly one campaign template is the default for new campaigns.
    bool is_default = false;
    Timestamp created_at{};
    Timestamp updated_at{};
};

/// Every writable field of a template. Create and update store all of them.
struct TemplateDraft {
    std::string name;
    TemplateType type = TemplateType::Campaign;
    std::string subject;
    std::string body;
    std::string body_source;
};

/// One list a campaign targets. `id` is 0 when the list has since been deleted; `name` is the
/// name it had, kept so the campaign's history stays readable.
struct CampaignList {
    Id id = 0;
    std::string name;
};

/// A campaign, as stored and as the API shows it.
struct Campaign {
    Id id = 0;
    /// Public reference used in links (tracking, unsubscribe, view in browser).
    std::string uuid;
    CampaignType type = CampaignType::Regular;
    std::string name;
    /// May hold template expressions; rendered per subscriber.
    std::string subject;
    /// "Name <address>" or a bare address.
    std::string from_email;
    std::string body;
    /// The block editor's JSON for visual campaigns; empty otherwise.
    std::string body_source;
    /// Plain-text alternative; empty for none.
    std::string altbody;
    /// When a scheduled campaign starts; unset for unscheduled ones.
    std::optional<Timestamp> send_at;
    CampaignStatus status = CampaignStatus::Draft;
    ContentType content_type = ContentType::Richtext;
    std::vector<std::string> tags;
    /// JSON array of one-key objects, listmonk's form: [{"X-Header": "value"}].
    std::string headers_json = "[]";
    /// JSON object of free-form attributes, usable in templates as .Campaign.Attribs.
    std::string attribs_json = "{}";
    /// The wrapping template; unset means the body is sent as it is.
    std::optional<Id> template_id;
    /// The messenger by name ("email", "email-<relay>", a postback name).
    std::string messenger = "email";
    /// Whether the campaign is published in the public archive.
    bool archive = false;
    std::optional<std::string> archive_slug;
    std::optional<Id> archive_template_id;
    /// JSON object standing for the subscriber when the archive version is rendered.
    std::string archive_meta_json = "{}";
    /// A subscriber `query` expression (see SubscriberFilter::sql_expression) that narrows the
    /// recipients; with no lists it selects them on its own. Empty for none. The store guards
    /// it exactly as it guards subscriber queries.
    std::string segment;
    /// Target lists, ordered by list id.
    std::vector<CampaignList> lists;
    /// Tracking and bounce counts (raw rows, as listmonk reports them).
    std::int64_t views = 0;
    std::int64_t clicks = 0;
    std::int64_t bounces = 0;
    /// Recipients counted when the run started; 0 before.
    std::int64_t to_send = 0;
    /// Recipients delivered and failed so far (from the ledger). `sent` counts every message that
    /// went out in full: Sent and Unconfirmed entries.
    std::int64_t sent = 0;
    std::int64_t failed = 0;
    /// When the run started; unset before.
    std::optional<Timestamp> started_at;
    Timestamp created_at{};
    Timestamp updated_at{};
};

/// Every writable field of a campaign, validated by the kernel. Create and update store all of
/// them (the kernel merges a partial request with the stored campaign first).
struct CampaignDraft {
    CampaignType type = CampaignType::Regular;
    std::string name;
    std::string subject;
    std::string from_email;
    std::string body;
    std::string body_source;
    std::string altbody;
    std::optional<Timestamp> send_at;
    ContentType content_type = ContentType::Richtext;
    std::vector<std::string> tags;
    std::string headers_json = "[]";
    std::string attribs_json = "{}";
    std::optional<Id> template_id;
    std::string messenger = "email";
    bool archive = false;
    std::optional<std::string> archive_slug;
    std::optional<Id> archive_template_id;
    std::string archive_meta_json = "{}";
    std::string segment;
    /// Target lists; each must exist (Invalid "lists: list N does not exist" otherwise).
    std::vector<Id> list_ids;
};

/// Filters and ordering for campaigns.
struct CampaignQuery {
    /// Case-insensitive substring of the name or the subject.
    std::string search;
    /// Only campaigns in any of these statuses; empty for all.
    std::vector<CampaignStatus> statuses;
    /// Only campaigns carrying any of these tags; empty for all.
    std::vector<std::string> tags;
    /// One of "id", "name", "status", "created_at", "updated_at", "send_at".
    std::string order_by = "created_at";
    SortOrder order = SortOrder::Desc;
    std::int64_t page = 1;      ///< 1-based.
    std::int64_t per_page = 20; ///< 0 = everything.
    /// When false, body, body_source and altbody are left empty (listings).
    bool with_body = true;
    /// Only what the public archive shows: archive on, regular campaigns that have been sent
    /// (running, paused or finished).
    bool archived_only = false;
    /// Only the campaign with this archive slug; empty for any.
    std::string archive_slug;
};

struct CampaignPage {
    std::vector<Campaign> results;
    std::int64_t total = 0;
};

/// Templates.
class TemplateStore {
public:
    /// Every template (of `type` when set), ordered by id. Bodies are left empty unless
    /// `with_body`.
    virtual Status list(std::optional<TemplateType> type, bool with_body,
                        std::vector<Template>& out) noexcept = 0;

    /// One template. NotFound if none.
    virtual Status get(Id id, Template& out) noexcept = 0;

    /// The default campaign template. NotFound when there is none.
    virtual Status getDefault(Template& out) noexcept = 0;

    /// Inserts a template; the first campaign template ever stored becomes the default.
    virtual Status create(const TemplateDraft& draft, Template& out) noexcept = 0;

    /// Replaces a template's fields (its type included). NotFound if none.
    virtual Status update(Id id, const TemplateDraft& draft, Template& out) noexcept = 0;

    /// Makes a campaign template the default (and no other). NotFound; Invalid for a tx template.
    virtual Status setDefault(Id id, Template& out) noexcept = 0;

    /// Deletes a template. NotFound; Conflict ("template is the default") for the default one.
    /// Campaigns that used it keep their body and lose the template reference.
    virtual Status remove(Id id) noexcept = 0;

protected:
    ~TemplateStore() = default;
};

/// Campaigns and their run state.
class CampaignStore {
public:
    /// A page of campaigns with their lists and counts.
    virtual Status query(const CampaignQuery& q, CampaignPage& out) noexcept = 0;

    /// One campaign with its lists and counts. NotFound if none.
    virtual Status get(Id id, Campaign& out) noexcept = 0;

    /// The campaign with this UUID. NotFound if none.
    virtual Status getByUuid(std::string_view uuid, Campaign& out) noexcept = 0;

    /// Inserts a draft campaign with a new UUID. Invalid for an unknown list or template, or an
    /// unsafe segment; Conflict ("archive_slug: already exists").
    virtual Status create(const CampaignDraft& draft, Campaign& out) noexcept = 0;

    /// Replaces the writable fields and the lists. The status is not touched. NotFound, Invalid,
    /// Conflict as for create.
    virtual Status update(Id id, const CampaignDraft& draft, Campaign& out) noexcept = 0;

    /// Deletes a campaign and its run state. NotFound if none.
    virtual Status remove(Id id) noexcept = 0;

    /// Atomically moves a campaign to `to` if its current status is one of `from`; Conflict
    /// ("status: campaign is <current>") otherwise. Moving to Running a campaign that has never
    /// run fixes its recipient range, counts `to_send` and sets `started_at`; moving to Running
    /// a paused one continues where it stopped.
    virtual Status transition(Id id, const std::vector<CampaignStatus>& from, CampaignStatus to,
                              Campaign& out) noexcept = 0;

    /// Starts every scheduled campaign whose send_at is not after `now` (as transition() to
    /// Running does); `started` receives their ids. Safe to call from several processes: each
    /// campaign is started once.
    virtual Status startDue(Timestamp now, std::vector<Id>& started) noexcept = 0;

    /// The ids and statuses of the given campaigns (absent ones are left out). Polled about
    /// once a second by every sending process to notice pause and cancel, so it must be cheap.
    virtual Status statuses(const std::vector<Id>& ids,
                            std::vector<std::pair<Id, CampaignStatus>>& out) noexcept = 0;

protected:
    ~CampaignStore() = default;
};

/// A claimed batch of recipients.
struct RecipientBatch {
    /// The batch's id, for renew and complete; 0 when nothing could be claimed.
    Id id = 0;
    Id campaign_id = 0;
    /// Recipients ordered by id, without memberships (Subscriber::lists is empty). Subscribers
    /// that are blocklisted, not subscribed to any campaign list (unsubscribed; for double
    /// opt-in lists, unconfirmed — confirmed for opt-in campaigns), outside the segment, or
    /// already in the ledger are left out, so a batch may be empty and still need completing.
    std::vector<Subscriber> recipients;
    /// True when nothing was claimed because every batch of the run is done or leased and the
    /// recipient range is exhausted.
    bool exhausted = false;
};

/// One recipient's outcome, as the engine reports it.
struct Delivery {
    Id subscriber_id = 0;
    DeliveryStatus status = DeliveryStatus::Sent;
    /// Why it failed ("550 5.1.1 user unknown"); empty when sent.
    std::string error;
};

/// A ledger entry, as read back.
struct DeliveryRecord {
    Id subscriber_id = 0;
    std::string email;  ///< The subscriber's current address; empty if deleted since.
    DeliveryStatus status = DeliveryStatus::Sent;
    std::string error;
    std::int32_t attempts = 0;  ///< How many times this recipient was tried.
    Timestamp updated_at{};
};

struct DeliveryPage {
    std::vector<DeliveryRecord> results;
    std::int64_t total = 0;
};

/// The send engine's side of storage: batch claims, the ledger and completion.
class DeliveryStore {
public:
    /// Claims the next batch of at most `size` recipients of a running campaign for `lease`.
    /// An expired batch (its holder died) is reclaimed before a new one is cut from the range.
    /// Concurrent callers in any process never get the same batch while its lease lasts. Returns
    /// an empty batch (id 0) when there is nothing to claim; `exhausted` says whether that is
    /// final. Conflict when the campaign is not running.
    virtual Status claimBatch(Id campaign_id, std::size_t size, std::chrono::seconds lease,
                              RecipientBatch& out) noexcept = 0;

    /// Extends a batch's lease (a slow, rate-limited batch must keep it). NotFound if the batch
    /// is gone (completed, or the run was reset).
    virtual Status renewBatch(Id batch_id, std::chrono::seconds lease) noexcept = 0;

    /// Writes outcomes to the ledger in one statement and updates the campaign's sent and failed
    /// counts (Unconfirmed counts as sent). A recipient recorded again (a retry) has its entry
    /// replaced and its attempts incremented.
    virtual Status record(Id campaign_id, const std::vector<Delivery>& deliveries) noexcept = 0;

    /// Marks a batch done; its recipients are not claimed again.
    virtual Status completeBatch(Id batch_id) noexcept = 0;

    /// Finishes a running campaign whose range is exhausted and whose batches are all done:
    /// status Finished, `finished` true. Otherwise changes nothing and `finished` is false.
    virtual Status finishIfDone(Id campaign_id, bool& finished) noexcept = 0;

    /// A page of the campaign's ledger (entries of `status` when set), ordered by subscriber id.
    virtual Status deliveries(Id campaign_id, std::optional<DeliveryStatus> status,
                              std::int64_t page, std::int64_t per_page,
                              DeliveryPage& out) noexcept = 0;

    /// Forgets the failed entries of a campaign and reopens its range so that only those
    /// recipients (and any never tried) are sent again; the campaign becomes Running. Sent and
    /// Unconfirmed entries stay.
    /// `affected` is the number of failed entries removed. NotFound; Conflict while running.
    virtual Status retryFailed(Id campaign_id, std::int64_t& affected) noexcept = 0;

protected:
    ~DeliveryStore() = default;
};

// ---- Text forms, as in listmonk's JSON. --------------------------------------------------------

constexpr std::string_view toString(CampaignStatus s) noexcept {
    switch (s) {
    case CampaignStatus::Draft: return "draft";
    case CampaignStatus::Scheduled: return "scheduled";
    case CampaignStatus::Running: return "running";
    case CampaignStatus::Paused: return "paused";
    case CampaignStatus::Cancelled: return "cancelled";
    case CampaignStatus::Finished: return "finished";
    }
    return "draft";
}

constexpr std::string_view toString(CampaignType t) noexcept {
    return t == CampaignType::Optin ? "optin" : "regular";
}

constexpr std::string_view toString(ContentType t) noexcept {
    switch (t) {
    case ContentType::Richtext: return "richtext";
    case ContentType::Html: return "html";
    case ContentType::Markdown: return "markdown";
    case ContentType::Plain: return "plain";
    case ContentType::Visual: return "visual";
    }
    return "richtext";
}

constexpr std::string_view toString(TemplateType t) noexcept {
    switch (t) {
    case TemplateType::Campaign: return "campaign";
    case TemplateType::CampaignVisual: return "campaign_visual";
    case TemplateType::Tx: return "tx";
    }
    return "campaign";
}

constexpr std::string_view toString(DeliveryStatus s) noexcept {
    switch (s) {
    case DeliveryStatus::Sent: return "sent";
    case DeliveryStatus::Failed: return "failed";
    case DeliveryStatus::Unconfirmed: return "unconfirmed";
    }
    return "sent";
}

template <>
inline std::optional<CampaignStatus> parseEnum(std::string_view t) noexcept {
    constexpr CampaignStatus all[] = {CampaignStatus::Draft,  CampaignStatus::Scheduled,
                                      CampaignStatus::Running, CampaignStatus::Paused,
                                      CampaignStatus::Cancelled, CampaignStatus::Finished};
    return detail::parseAmong(t, all);
}
template <>
inline std::optional<CampaignType> parseEnum(std::string_view t) noexcept {
    constexpr CampaignType all[] = {CampaignType::Regular, CampaignType::Optin};
    return detail::parseAmong(t, all);
}
template <>
inline std::optional<ContentType> parseEnum(std::string_view t) noexcept {
    constexpr ContentType all[] = {ContentType::Richtext, ContentType::Html, ContentType::Markdown,
                                   ContentType::Plain, ContentType::Visual};
    return detail::parseAmong(t, all);
}
template <>
inline std::optional<TemplateType> parseEnum(std::string_view t) noexcept {
    constexpr TemplateType all[] = {TemplateType::Campaign, TemplateType::CampaignVisual,
                                    TemplateType::Tx};
    return detail::parseAmong(t, all);
}
template <>
inline std::optional<DeliveryStatus> parseEnum(std::string_view t) noexcept {
    constexpr DeliveryStatus all[] = {DeliveryStatus::Sent, DeliveryStatus::Failed,
                                      DeliveryStatus::Unconfirmed};
    return detail::parseAmong(t, all);
}

}  // namespace tidings::sdk::v1
