// Campaign rules that need no storage: field validation and defaults for create and update,
// and the status machine. CampaignService applies them and adds what needs the store (lists,
// templates, compiling the body).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <tidings/sdk/v1/campaign.hpp>

namespace tidings::kernel {

namespace sdk = tidings::sdk::v1;

/// A campaign as a client sent it; unset optionals were absent from the request.
struct CampaignInput {
    std::optional<std::string> name;
    std::optional<std::string> subject;
    std::optional<std::string> from_email;
    std::optional<std::string> body;
    std::optional<std::string> body_source;
    std::optional<std::string> altbody;
    std::optional<std::string> content_type;
    std::optional<std::string> type;
    std::optional<std::string> messenger;
    /// RFC 3339; "" clears it (JSON null).
    std::optional<std::string> send_at;
    std::optional<std::vector<std::string>> tags;
    std::optional<std::string> headers_json;  ///< The JSON text of `headers`.
    std::optional<std::string> attribs_json;  ///< A JSON object.
    std::optional<std::vector<sdk::Id>> lists;
    /// 0 (or JSON null) asks for the default template.
    std::optional<sdk::Id> template_id;
    std::optional<bool> archive;
    /// "" clears it.
    std::optional<std::string> archive_slug;
    /// 0 clears it.
    std::optional<sdk::Id> archive_template_id;
    std::optional<std::string> archive_meta_json;  ///< A JSON object.
    std::optional<std::string> segment;
    std::optional<std::vector<sdk::Id>> media;
};

/// What validation needs from outside the request.
struct CampaignDefaults {
    std::string from_email;  ///< app.from_email
    /// The stored name for a requested messenger, or nullopt when no such messenger is enabled
    /// (listmonk sends an unknown "email-<relay>" through "email").
    std::function<std::optional<std::string>(const std::string&)> messenger;
};

inline constexpr std::size_t kMaxCampaignNameBytes = 2000;
inline constexpr std::size_t kMaxCampaignSubjectBytes = 5000;

/// Merges `input` over `existing` (nullptr when creating) and validates every field: name and
/// subject lengths, from address, content type, type, send_at in the future (when it changes),
/// lists or a segment, messenger, headers, JSON objects, tags, archive slug. The template and
/// the body are checked by the service. Throws an Invalid StatusError naming the field.
sdk::CampaignDraft campaignDraft(const CampaignInput& input, const sdk::Campaign* existing,
                                 const CampaignDefaults& defaults, sdk::Timestamp now);

/// The stored form of a campaign, as a draft to merge a request over.
sdk::CampaignDraft draftOf(const sdk::Campaign& c);

/// listmonk's slug: lower case, runs of anything but letters and digits become one '-',
/// without leading or trailing dashes. Empty when nothing is left.
std::string normaliseSlug(std::string_view text);

/// "Name <a@b.c>" or a bare address; returns it trimmed. Throws Invalid naming from_email.
std::string validFromEmail(const std::string& text);

/// listmonk's headers: a JSON array of one-key objects with string values, [{"X-A": "b"}].
/// Names must be RFC 5322 field names and values must not break the header (no CR or LF).
/// Returns the compact JSON. Throws Invalid naming headers.
std::string validHeaders(const std::string& json);

/// RFC 3339 text as a timestamp. Throws Invalid naming send_at.
sdk::Timestamp parseSendAt(const std::string& text);

/// Whether a campaign in `status` may be edited (draft, scheduled, paused).
bool editable(sdk::CampaignStatus status);

/// A planned status change: move from exactly `from` to `to`. `to == from` is no change.
struct StatusChange {
    sdk::CampaignStatus from;
    sdk::CampaignStatus to;
};

/// listmonk's status machine. Scheduling needs send_at; `running` on a draft or scheduled
/// campaign whose send_at is still ahead schedules it instead; `finished` is only set by the
/// send engine. Throws Invalid for an impossible request and Conflict ("status: ...") when the
/// current status does not allow it.
StatusChange planStatusChange(const sdk::Campaign& current, sdk::CampaignStatus requested, sdk::Timestamp now);

/// The body of an opt-in campaign: a greeting, the lists, and a button to the confirmation
/// page for them (listmonk generates the same kind of body).
std::string optinBody(const std::vector<std::pair<std::string, std::string>>& uuid_and_name);

}  // namespace tidings::kernel
