// What the admin API handlers work with: the core services, wired once in main.
#pragma once

#include "kernel/config/config.hpp"
#include "kernel/core/archive_service.hpp"
#include "kernel/core/campaign_service.hpp"
#include "kernel/core/list_service.hpp"
#include "kernel/core/settings_service.hpp"
#include "kernel/core/subscriber_service.hpp"
#include "kernel/core/template_service.hpp"
#include "kernel/core/user_service.hpp"
#include "kernel/http/authenticator.hpp"
#include "kernel/http/router.hpp"
#include "kernel/plugins/capability_registry.hpp"

namespace tidings::kernel {

struct ApiContext {
    Config& config;
    CapabilityRegistry& registry;
    Authenticator& authenticator;
    SettingsService& settings;
    SubscriberService& subscribers;
    ListService& lists;
    UserService& users;
    TemplateService& templates;
    CampaignService& campaigns;
    ArchiveService& archive;
};

/// Adds every admin API route to `router`; one function per resource file.
void addHealthRoutes(Router& router, ApiContext& ctx);
void addSettingsRoutes(Router& router, ApiContext& ctx);
void addSubscriberRoutes(Router& router, ApiContext& ctx);
void addListRoutes(Router& router, ApiContext& ctx);
void addUserRoutes(Router& router, ApiContext& ctx);
void addTemplateRoutes(Router& router, ApiContext& ctx);
void addCampaignRoutes(Router& router, ApiContext& ctx);

inline void addAdminApiRoutes(Router& router, ApiContext& ctx) {
    addHealthRoutes(router, ctx);
    addSettingsRoutes(router, ctx);
    addSubscriberRoutes(router, ctx);
    addListRoutes(router, ctx);
    addUserRoutes(router, ctx);
    addTemplateRoutes(router, ctx);
    addCampaignRoutes(router, ctx);
}

}  // namespace tidings::kernel
