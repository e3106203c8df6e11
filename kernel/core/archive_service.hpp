// The public campaign archive: which campaigns it shows (archive on, regular, sent), how one is
// found (UUID or slug), and its rendering with the archive template and `archive_meta` standing
// in for the subscriber. Governed by app.enable_public_archive.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <tidings/sdk/v1/storage.hpp>

#include "kernel/core/settings_service.hpp"

namespace tidings::kernel {

namespace sdk = tidings::sdk::v1;

class ArchiveService {
public:
    ArchiveService(sdk::Storage& storage, const SettingsService& settings);

    /// app.enable_public_archive; callers answer 404 when off.
    bool enabled() const;
    /// app.enable_public_archive_rss_content: whether the RSS feed carries full bodies.
    bool rssContent() const;

    /// A page of archived campaigns, newest first, without bodies.
    sdk::CampaignPage list(std::int64_t page, std::int64_t per_page);

    /// The public address of a campaign's archive page (slug when it has one, else UUID).
    std::string url(const sdk::Campaign& campaign) const;

    struct Rendered {
        sdk::Campaign campaign;
        std::string subject;
        std::string html;
    };
    /// The archived campaign with this UUID or slug ("latest": the newest), rendered. NotFound
    /// for anything not in the archive.
    Rendered render(const std::string& id_or_slug);
    /// Renders an archived campaign already read (the RSS feed's bodies).
    Rendered render(const sdk::Campaign& campaign);

    /// The admin's preview of a campaign's archive page, whatever its status or archive setting
    /// (listmonk's POST /api/campaigns/:id/preview/archive): the stored body, rendered with
    /// template `template_id` (unset or 0: the campaign's archive template) and with
    /// `archive_meta_json` (a JSON object; unset: the campaign's) standing in for the
    /// subscriber. NotFound for an unknown campaign, Invalid for an unknown template.
    Rendered preview(sdk::Id campaign_id, std::optional<sdk::Id> template_id,
                     const std::optional<std::string>& archive_meta_json);

private:
    sdk::Storage& storage_;
    const SettingsService& settings_;
};

}  // namespace tidings::kernel
