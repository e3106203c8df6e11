#include "kernel/core/tracking_service.hpp"

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeParser.h>
#include <Poco/Logger.h>

#include "kernel/core/status_error.hpp"

namespace tidings::kernel {
namespace {

constexpr std::size_t kTopLinks = 50;

Poco::Logger& log() { return Poco::Logger::get("tidings.tracking"); }

// A date ("2024-08-04") or an RFC 3339 timestamp; `end_of_day` moves a bare date to its last
// microsecond so that "to=2024-08-04" includes that day.
sdk::Timestamp parseBound(const std::string& name, const std::string& text, bool end_of_day) {
    if (text.size() < 10 || text.size() > 35) invalid(name + ": must be a date (YYYY-MM-DD) or an RFC 3339 timestamp");
    Poco::DateTime dt;
    int tz = 0;
    const bool date_only = text.size() == 10;
    const bool ok = date_only ? Poco::DateTimeParser::tryParse("%Y-%m-%d", text, dt, tz)
                              : (Poco::DateTimeParser::tryParse(Poco::DateTimeFormat::ISO8601_FRAC_FORMAT, text, dt, tz) ||
                                 Poco::DateTimeParser::tryParse(Poco::DateTimeFormat::ISO8601_FORMAT, text, dt, tz));
    if (!ok) invalid(name + ": must be a date (YYYY-MM-DD) or an RFC 3339 timestamp");
    dt.makeUTC(tz);
    auto t = sdk::Timestamp(std::chrono::microseconds(dt.timestamp().epochMicroseconds()));
    if (date_only && end_of_day) t += std::chrono::hours(24) - std::chrono::microseconds(1);
    return t;
}

}  // namespace

TrackingService::TrackingService(sdk::Storage& storage, const SettingsService& settings)
    : storage_(storage), settings_(settings) {}

std::optional<std::string> TrackingService::click(const std::string& link_uuid, const std::string& campaign_uuid,
                                                  const std::string& subscriber_uuid) {
    const bool record = !settings_.flag("privacy.disable_tracking");
    const std::string who = settings_.flag("privacy.individual_tracking") ? subscriber_uuid : std::string();
    std::string url;
    sdk::Status st = record ? storage_.tracking().recordClick(link_uuid, campaign_uuid, who, url)
                            : storage_.tracking().recordClick(link_uuid, "", "", url);
    if (st.code() == sdk::StatusCode::NotFound) return std::nullopt;
    if (!st) {
        log().warning("recording a click failed: %s", st.message());
        return std::nullopt;
    }
    return url;
}

void TrackingService::view(const std::string& campaign_uuid, const std::string& subscriber_uuid) {
    if (settings_.flag("privacy.disable_tracking")) return;
    const std::string who = settings_.flag("privacy.individual_tracking") ? subscriber_uuid : std::string();
    bool recorded = false;
    if (sdk::Status st = storage_.tracking().recordView(campaign_uuid, who, recorded); !st)
        log().warning("recording a view failed: %s", st.message());
}

Analytics TrackingService::analytics(const std::string& type, const std::vector<sdk::Id>& campaign_ids,
                                     const std::string& from, const std::string& to) {
    if (campaign_ids.empty()) invalid("id: at least one campaign id is required");
    sdk::AnalyticsQuery q;
    q.campaign_ids = campaign_ids;
    q.from = parseBound("from", from, false);
    q.to = parseBound("to", to, true);
    if (q.to < q.from) invalid("to: must not be before from");
    q.hourly = q.to - q.from < std::chrono::hours(24 * 7);
    q.unique = settings_.flag("privacy.individual_tracking");
    Analytics out;
    if (type == "links") {
        check(storage_.tracking().topLinks(q, kTopLinks, out.links));
        return out;
    }
    sdk::AnalyticsKind kind;
    if (type == "views") kind = sdk::AnalyticsKind::Views;
    else if (type == "clicks") kind = sdk::AnalyticsKind::Clicks;
    else if (type == "bounces") kind = sdk::AnalyticsKind::Bounces;
    else invalid("type: must be one of views, clicks, bounces, links");
    check(storage_.tracking().analytics(kind, q, out.points));
    return out;
}

}  // namespace tidings::kernel
