// Compile-time checks of the SDK's ABI: the layout of the manifest, read by the kernel before any
// plugin code runs, must never change within ABI major 1.
#include <cstddef>

#include <tidings/sdk/v1/plugin.hpp>

namespace sdk = tidings::sdk::v1;

static_assert(offsetof(sdk::Manifest, struct_size) == 0, "struct_size must stay first");
static_assert(offsetof(sdk::Manifest, abi_major) == 4);
static_assert(offsetof(sdk::Manifest, abi_minor) == 8);
static_assert(offsetof(sdk::Manifest, kind) == 16);
static_assert(offsetof(sdk::Manifest, name) == 24);
static_assert(offsetof(sdk::Manifest, version) == 32);
static_assert(offsetof(sdk::Manifest, description) == 40);
static_assert(offsetof(sdk::Manifest, toolchain_family) == 48);
static_assert(offsetof(sdk::Manifest, compiler) == 56);
static_assert(offsetof(sdk::Manifest, compiler_major) == 64);
static_assert(offsetof(sdk::Manifest, cxx11_abi) == 68);
static_assert(sizeof(sdk::Manifest) == 72, "new manifest fields go at the end, with a minor bump");
static_assert(static_cast<int>(sdk::StatusCode::Internal) == 6, "status codes are never renumbered");
static_assert(static_cast<int>(sdk::StatusCode::Unconfirmed) == 7, "appended in 1.2");
static_assert(static_cast<int>(sdk::DeliveryStatus::Failed) == 1);
static_assert(static_cast<int>(sdk::DeliveryStatus::Unconfirmed) == 2, "appended in 1.2");
static_assert(static_cast<int>(sdk::SubscriptionStatus::Unsubscribed) == 2);
static_assert(static_cast<int>(sdk::SubscriptionAction::Confirm) == 3);

int main() { return 0; }
