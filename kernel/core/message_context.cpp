#include "kernel/core/message_context.hpp"

namespace tidings::kernel {

MessageContext messageContext(const SettingsService& settings, LinkRegistry* links) {
    MessageContext ctx;
    ctx.root_url = settings.rootUrl();
    ctx.default_from = settings.text("app.from_email");
    ctx.unsubscribe_header = settings.flag("privacy.unsubscribe_header");
    ctx.tracking = links != nullptr && !settings.flag("privacy.disable_tracking");
    if (ctx.tracking) ctx.link_uuid = [links](const std::string& url) { return links->uuidFor(url); };
    return ctx;
}

}  // namespace tidings::kernel
