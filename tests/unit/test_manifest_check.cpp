#include <catch2/catch.hpp>

#include "kernel/plugins/plugin_loader.hpp"

using namespace tidings::kernel;
namespace sdk = tidings::sdk::v1;

namespace {

sdk::Manifest good() {
    return sdk::Manifest{sizeof(sdk::Manifest), TIDINGS_SDK_ABI_MAJOR, TIDINGS_SDK_ABI_MINOR, "messenger",
                         "messenger-test", "1.0.0", "test", TIDINGS_SDK_COMPILER_FAMILY, TIDINGS_SDK_COMPILER_NAME,
                         TIDINGS_SDK_COMPILER_MAJOR, TIDINGS_SDK_CXX11_ABI};
}

}  // namespace

TEST_CASE("a matching manifest is accepted", "[plugins]") {
    CHECK_FALSE(checkManifest(good(), "messenger-test").has_value());
    auto older_minor = good();
    // An older minor is fine; the kernel only calls what that minor had.
    if (older_minor.abi_minor > 0) {
        older_minor.abi_minor -= 1;
        CHECK_FALSE(checkManifest(older_minor, "messenger-test").has_value());
    }
}

TEST_CASE("manifests that do not fit are refused with both sides' values", "[plugins]") {
    auto m = good();
    m.abi_major = 99;
    auto why = checkManifest(m, "messenger-test");
    REQUIRE(why);
    CHECK_THAT(*why, Catch::Contains("99.") && Catch::Contains("1." + std::to_string(TIDINGS_SDK_ABI_MINOR)));

    m = good();
    m.abi_minor = TIDINGS_SDK_ABI_MINOR + 1;
    REQUIRE(checkManifest(m, "messenger-test"));
    CHECK_THAT(*checkManifest(m, "messenger-test"), Catch::Contains("newer"));

    m = good();
    m.toolchain_family = "msvc";
    CHECK_THAT(*checkManifest(m, "messenger-test"), Catch::Contains("msvc") && Catch::Contains(TIDINGS_SDK_COMPILER_FAMILY));

    m = good();
    m.cxx11_abi = m.cxx11_abi == 1 ? 0 : 1;
    CHECK(checkManifest(m, "messenger-test"));

    m = good();
    m.kind = "teleporter";
    CHECK_THAT(*checkManifest(m, "messenger-test"), Catch::Contains("unknown plugin kind"));

    m = good();
    CHECK_THAT(*checkManifest(m, "messenger-other"), Catch::Contains("messenger-other"));

    m = good();
    m.struct_size = 8;
    CHECK(checkManifest(m, "messenger-test"));
}
