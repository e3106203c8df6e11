#include "kernel/core/message_context.hpp"

namespace tidings::kernel {

MessageContext messageContext(const SettingsService& settings) {
    MessageContext ctx;
    ctx.root_url = settings.text("app.root_url");
    ctx.default_from = settings.text("app.from_email");
    ctx.unsubscribe_header = settings.flag("privacy.unsubscribe_header");
    // View and click tracking need the tracking routes and link registry; until they exist,
    // messages render as with privacy.disable_tracking on: bare links and no pixel.
    ctx.tracking = false;
    return ctx;
}

}  // namespace tidings::kernel
