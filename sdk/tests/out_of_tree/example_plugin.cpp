// The smallest third-party plugin: one route, built against the installed SDK only.
#include <tidings/sdk/v1/plugin.hpp>

namespace sdk = tidings::sdk::v1;

namespace {

class ExamplePlugin final : public sdk::Plugin {
public:
    explicit ExamplePlugin(sdk::Host&) {}
    sdk::Status attach(sdk::Registrar& registrar) noexcept override {
        sdk::RouteSpec spec{"GET", "/api/example", sdk::Access::Authenticated, "settings:get"};
        return registrar.route(spec, [](const sdk::Request&, sdk::Response& rs) { rs.json(200, R"({"data":"example"})"); });
    }
    sdk::Status start() noexcept override { return {}; }
    void stop() noexcept override {}
};

}  // namespace

TIDINGS_PLUGIN(ExamplePlugin, "extension", "extension-example", "0.1.0", "Example third-party plugin")
