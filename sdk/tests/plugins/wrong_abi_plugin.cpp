// A plugin built against a future, incompatible SDK major version: the kernel must refuse it
// before running any of its code.
#define TIDINGS_SDK_ABI_MAJOR 99
#define TIDINGS_SDK_ABI_MINOR 3
#include <tidings/sdk/v1/plugin.hpp>

namespace sdk = tidings::sdk::v1;

namespace {

class WrongAbiPlugin final : public sdk::Plugin {
public:
    explicit WrongAbiPlugin(sdk::Host&) {}
    sdk::Status attach(sdk::Registrar&) noexcept override { return sdk::Status::internal("must never run"); }
    sdk::Status start() noexcept override { return {}; }
    void stop() noexcept override {}
};

}  // namespace

TIDINGS_PLUGIN(WrongAbiPlugin, "extension", "extension-wrong-abi", "1.0.0", "Built for SDK ABI 99")
