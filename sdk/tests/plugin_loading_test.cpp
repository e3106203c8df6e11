// Loads real plugin shared objects through the kernel's loader: a good one, one built for
// another ABI, one that fails in attach, a missing file and a file that is not a plugin.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "kernel/plugins/plugin_loader.hpp"

using namespace tidings::kernel;
namespace sdk = tidings::sdk::v1;

namespace {

struct Kernel {
    Config config;
    EventBus events;
    Router router;
    CapabilityRegistry registry;
    PluginSet plugins{config, registry, router, events};
};

std::string pluginDir() { return TIDINGS_SDK_TEST_PLUGIN_DIR; }

}  // namespace

TEST_CASE("a plugin built against this SDK loads and registers its route", "[sdk][abi]") {
    Kernel k;
    k.plugins.load(pluginDir(), "extension-hello");
    auto match = k.router.match("GET", "/api/hello-plugin");
    REQUIRE(match.route);
    CHECK(match.route->owner == "extension-hello");
    sdk::Request rq;
    sdk::Response rs;
    match.route->handler(rq, rs);
    CHECK(rs.body == R"({"data":"hello"})");
    k.plugins.startAll();
    k.plugins.stopAll();
    REQUIRE(k.plugins.loaded().size() == 1);
    CHECK(k.plugins.loaded()[0].kind == "extension");
}

TEST_CASE("a plugin built for another ABI major is refused with both versions named", "[sdk][abi]") {
    Kernel k;
    try {
        k.plugins.load(pluginDir(), "extension-wrong-abi");
        FAIL("the plugin was accepted");
    } catch (const PluginError& e) {
        std::string message = e.what();
        CHECK_THAT(message, Catch::Contains("extension-wrong-abi"));
        CHECK_THAT(message, Catch::Contains("99.3"));
        CHECK_THAT(message, Catch::Contains("1." + std::to_string(TIDINGS_SDK_ABI_MINOR)));
    }
    CHECK(k.router.routes().empty());
}

TEST_CASE("a failing attach stops loading with the plugin's message", "[sdk]") {
    Kernel k;
    CHECK_THROWS_WITH(k.plugins.load(pluginDir(), "extension-failing"),
                      Catch::Contains("extension-failing") && Catch::Contains("example.key is required"));
}

TEST_CASE("missing files, duplicates and non-plugins are refused by name", "[sdk]") {
    Kernel k;
    CHECK_THROWS_WITH(k.plugins.load(pluginDir(), "extension-absent"), Catch::Contains("not found"));
    auto junk = std::filesystem::temp_directory_path() / "extension-junk.so";
    std::ofstream(junk) << "this is not an ELF file";
    CHECK_THROWS_WITH(k.plugins.load(junk.parent_path().string(), "extension-junk"),
                      Catch::Contains("not a Tidings plugin"));
    std::filesystem::remove(junk);
    k.plugins.load(pluginDir(), "extension-hello");
    CHECK_THROWS_WITH(k.plugins.load(pluginDir(), "extension-hello"), Catch::Contains("twice"));
    CHECK_THROWS_WITH(k.plugins.load(pluginDir(), "../etc/passwd"), Catch::Contains("invalid plugin name"));
}

// Hidden from the default run: out_of_tree_test.sh builds a plugin against the installed SDK and
// runs this case with the directory it built into.
TEST_CASE("a plugin built out of tree against the installed SDK loads", "[.oot]") {
    const char* dir = std::getenv("TIDINGS_OOT_PLUGIN_DIR");
    REQUIRE(dir != nullptr);
    Kernel k;
    k.plugins.load(dir, "extension-example");
    CHECK(k.router.match("GET", "/api/example").route);
}
