// messenger-postback: listmonk's HTTP postback messengers.
//
// Every enabled entry of the `messengers` runtime setting becomes a messenger selectable by its
// name in campaigns and POST /api/tx. The names are only known once settings can be read (after
// the storage plugin started) and change while the kernel runs, so they are not registered one by
// one in attach(): the plugin provides a MessengerDirectory that the kernel asks by name.
#include <memory>

#include <tidings/sdk/v1/plugin.hpp>

#include "postback_directory.hpp"

namespace {

namespace sdk = ::tidings::sdk::v1;

class PostbackPlugin final : public sdk::Plugin {
public:
    explicit PostbackPlugin(sdk::Host& host) : directory_(host) {}
    ~PostbackPlugin() { stop(); }

    sdk::Status attach(sdk::Registrar& registrar) noexcept override {
        return registrar.provideMessengerDirectory(directory_);
    }

    sdk::Status start() noexcept override {
        directory_.refresh();  // logs the enabled names once at start-up
        return {};
    }

    void stop() noexcept override { directory_.shutdown(); }

private:
    tidings::postback::PostbackDirectory directory_;
};

}  // namespace

TIDINGS_PLUGIN(PostbackPlugin, "messenger", "messenger-postback", "1.0.0",
               "HTTP postback messengers (listmonk's messengers settings): JSON over pooled keep-alive connections")
