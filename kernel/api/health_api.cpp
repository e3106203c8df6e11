// /api/health and /api/config.
#include "kernel/api/api_context.hpp"
#include "kernel/core/captcha_choice.hpp"
#include "kernel/core/languages.hpp"
#include "kernel/http/handler_support.hpp"
#include "kernel/auth/permissions.hpp"
#include "kernel/http/http_error.hpp"

namespace tidings::kernel {

void addHealthRoutes(Router& router, ApiContext& ctx) {
    addKernelRoute(router, authed("GET", "/api/health"), [&ctx](const sdk::Request&, sdk::Response& rs) {
        auto status = ctx.registry.storage()->ping();
        if (!status.ok()) throw HttpError(503, "storage unavailable: " + status.message());
        sendTrue(rs);
    });

    addKernelRoute(router, authed("GET", "/api/config"), [&ctx](const sdk::Request&, sdk::Response& rs) {
        JsonWriter w;
        w.beginObject();
        w.key("root_url").value(ctx.settings.text("app.root_url"));
        w.key("from_email").value(ctx.settings.text("app.from_email"));
        w.key("public_subscription").beginObject();
        w.key("enabled").value(ctx.settings.flag("app.enable_public_subscription_page"));
        // listmonk's shapes: provider and key are null when they do not apply.
        const auto captcha = chooseCaptcha(ctx.registry, ctx.settings);
        w.key("captcha_enabled").value(captcha.provider != nullptr);
        using Text = std::optional<std::string_view>;
        w.key("captcha_provider").value(captcha.provider ? Text(captcha.name()) : std::nullopt);
        w.key("captcha_key").value(captcha.name() == "hcaptcha" ? Text(captcha.site_key) : std::nullopt);
        w.key("altcha_complexity").value(captcha.complexity);
        // "*" trusts every origin for CORS but is never a redirect target (trusted_redirect.hpp).
        w.key("redirect_urls").beginArray();
        for (const auto& url : ctx.settings.strings("security.trusted_urls")) {
            if (url != "*") w.value(url);
        }
        w.endArray();
        w.endObject();
        w.key("privacy").beginObject();
        w.key("disable_tracking").value(ctx.settings.flag("privacy.disable_tracking"));
        w.key("individual_tracking").value(ctx.settings.flag("privacy.individual_tracking"));
        w.endObject();
        w.key("media_provider").value(ctx.settings.text("upload.provider"));
        w.key("messengers").beginArray();
        for (const auto& name : ctx.registry.messengerNames()) w.value(name);
        w.endArray();
        w.key("langs").beginArray();
        for (const auto& language : kInstalledLanguages) {
            w.beginObject().key("code").value(language.code).key("name").value(language.name).endObject();
        }
        w.endArray();
        w.key("lang").value(languageInUse(ctx.settings.text("app.lang")));
        w.key("permissions").raw(permissionGroupsJson());
        w.key("update").null();
        w.key("needs_restart").value(false);
        w.key("has_legacy_user").value(false);
        w.key("version").value(TIDINGS_VERSION);
        w.endObject();
        sendDataJson(rs, w.str());
    });
}

}  // namespace tidings::kernel
