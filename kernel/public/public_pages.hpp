// The subscriber-facing pages: subscription form, opt-in confirmation, unsubscribe and
// preferences, data export and wipe, and the static assets they use.
#pragma once

#include "kernel/http/router.hpp"
#include "kernel/public/page_renderer.hpp"
#include "kernel/public/public_context.hpp"

namespace tidings::kernel {

void addPublicPageRoutes(Router& router, PublicContext& ctx, const PageRenderer& pages, const std::string& web_dir);

}  // namespace tidings::kernel
