// The public campaign archive: GET /api/public/archive, /archive, /archive/latest,
// /archive/:id (UUID or slug) and /archive.xml (RSS 2.0). Every route answers 404 while
// app.enable_public_archive is off.
#pragma once

#include "kernel/core/archive_service.hpp"
#include "kernel/http/router.hpp"
#include "kernel/public/page_renderer.hpp"

namespace tidings::kernel {

void addArchiveRoutes(Router& router, ArchiveService& archive, const SettingsService& settings,
                      const PageRenderer& pages);

}  // namespace tidings::kernel
