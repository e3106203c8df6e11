// Tracking rules: what a click or a view records under the privacy settings, and campaign
// analytics as listmonk's dashboard asks for them.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <tidings/sdk/v1/storage.hpp>

#include "kernel/core/settings_service.hpp"

namespace tidings::kernel {

namespace sdk = tidings::sdk::v1;

/// Either a series of counts (views, clicks, bounces) or the top links.
struct Analytics {
    std::vector<sdk::AnalyticsPoint> points;
    std::vector<sdk::LinkCount> links;
};

class TrackingService {
public:
    TrackingService(sdk::Storage& storage, const SettingsService& settings);

    /// Records a click (unless privacy.disable_tracking; anonymously unless
    /// privacy.individual_tracking) and returns the link's URL; nullopt for an unknown link.
    /// A store failure still answers with the URL when it is known, so readers get through.
    std::optional<std::string> click(const std::string& link_uuid, const std::string& campaign_uuid,
                                     const std::string& subscriber_uuid);

    /// Records a view under the same rules. Never fails towards the reader: errors are logged.
    void view(const std::string& campaign_uuid, const std::string& subscriber_uuid);

    /// listmonk's /api/campaigns/analytics/:type: `type` views, clicks, bounces or links;
    /// `from`/`to` dates or RFC 3339 timestamps (a bare `to` date covers that whole day); hourly
    /// buckets for ranges under a week. Invalid naming the parameter on bad input.
    Analytics analytics(const std::string& type, const std::vector<sdk::Id>& campaign_ids, const std::string& from,
                        const std::string& to);

private:
    sdk::Storage& storage_;
    const SettingsService& settings_;
};

}  // namespace tidings::kernel
