// A minimal extension plugin: registers one authenticated route. Used by the loading tests and
// as the smallest example of the SDK.
#include <tidings/sdk/v1/plugin.hpp>

namespace sdk = tidings::sdk::v1;

namespace {

class HelloPlugin final : public sdk::Plugin {
public:
    explicit HelloPlugin(sdk::Host& host) : host_(host) {}

    sdk::Status attach(sdk::Registrar& registrar) noexcept override {
        sdk::RouteSpec spec;
        spec.method = "GET";
        spec.pattern = "/api/hello-plugin";
        spec.access = sdk::Access::Authenticated;
        return registrar.route(spec, [](const sdk::Request&, sdk::Response& response) {
            response.json(200, R"({"data":"hello"})");
        });
    }
    sdk::Status start() noexcept override {
        host_.log(sdk::LogLevel::Info, "hello");
        return {};
    }
    void stop() noexcept override {}

private:
    sdk::Host& host_;
};

}  // namespace

TIDINGS_PLUGIN(HelloPlugin, "extension", "extension-hello", "1.0.0", "Answers GET /api/hello-plugin")
