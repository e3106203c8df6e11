// A plugin whose attach() fails: start-up must stop with the plugin's message.
#include <tidings/sdk/v1/plugin.hpp>

namespace sdk = tidings::sdk::v1;

namespace {

class FailingPlugin final : public sdk::Plugin {
public:
    explicit FailingPlugin(sdk::Host&) {}
    sdk::Status attach(sdk::Registrar&) noexcept override {
        return sdk::Status::invalid("example.key is required");
    }
    sdk::Status start() noexcept override { return {}; }
    void stop() noexcept override {}
};

}  // namespace

TIDINGS_PLUGIN(FailingPlugin, "extension", "extension-failing", "1.0.0", "Fails in attach")
