// bounce-mailbox: reads bounce mail from POP3 mailboxes (the runtime setting
// `bounce.mailboxes`, as in listmonk) and records the bounces it finds. It provides no route or
// capability: its work is the background scan started with the plugin.
#include <tidings/sdk/v1/plugin.hpp>

#include "mailbox_scanner.hpp"

namespace {

namespace sdk = ::tidings::sdk::v1;

class MailboxPlugin final : public sdk::Plugin {
public:
    explicit MailboxPlugin(sdk::Host& host) : scanner_(host) {}

    sdk::Status attach(sdk::Registrar&) noexcept override { return {}; }

    sdk::Status start() noexcept override {
        try {
            scanner_.start();
            return {};
        } catch (const std::exception& e) {
            return sdk::Status::internal(std::string("bounce-mailbox: cannot start the scanner: ") + e.what());
        }
    }

    void stop() noexcept override { scanner_.stop(); }

private:
    tidings::mailbox::MailboxScanner scanner_;
};

}  // namespace

TIDINGS_PLUGIN(MailboxPlugin, "bounce", "bounce-mailbox", "1.0.0",
               "Bounce mail read from POP3 mailboxes (bounce.mailboxes): DSN and common bounce formats")
