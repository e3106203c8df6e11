// Tidings plugin SDK, version 1: ABI version and toolchain fingerprint.
//
// The kernel and every plugin compile this header. A plugin records the values it was built with
// in its manifest (see plugin.hpp); the kernel compares them with its own before it runs any
// plugin code. The rules, enforced by the kernel's loader:
//
//   * a different ABI major is refused: a major bump means a breaking change (new `v2/` headers);
//   * a plugin minor newer than the kernel's is refused: the plugin may call what the kernel lacks;
//   * an older plugin minor is accepted: minor versions only append interfaces, virtual methods
//     at the end of interfaces and fields at the end of structs, and the kernel never calls a
//     method newer than the minor a plugin declares;
//   * a different toolchain family is refused: standard-library types cross the boundary, so
//     both sides must agree on the C++ ABI (compiler family and `_GLIBCXX_USE_CXX11_ABI`).
#pragma once

#include <cstdint>

// The SDK's own tests predefine these to build deliberately incompatible plugins; nothing else
// should.
#ifndef TIDINGS_SDK_ABI_MAJOR
/// ABI major version. Bumped only together with a new `tidings/sdk/vN/` header directory.
#define TIDINGS_SDK_ABI_MAJOR 1
#endif
#ifndef TIDINGS_SDK_ABI_MINOR
/// ABI minor version. Bumped when something is appended to a v1 header.
#define TIDINGS_SDK_ABI_MINOR 2
#endif

// Compiler family and major version, part of the toolchain fingerprint. GCC and Clang share the
// Itanium C++ ABI and libstdc++ on Linux, so they form one family; the major version is recorded
// for diagnostics only.
#if defined(__clang__)
#define TIDINGS_SDK_COMPILER_FAMILY "itanium-libstdc++"
#define TIDINGS_SDK_COMPILER_NAME "clang"
#define TIDINGS_SDK_COMPILER_MAJOR __clang_major__
#elif defined(__GNUC__)
#define TIDINGS_SDK_COMPILER_FAMILY "itanium-libstdc++"
#define TIDINGS_SDK_COMPILER_NAME "gcc"
#define TIDINGS_SDK_COMPILER_MAJOR __GNUC__
#else
#define TIDINGS_SDK_COMPILER_FAMILY "unknown"
#define TIDINGS_SDK_COMPILER_NAME "unknown"
#define TIDINGS_SDK_COMPILER_MAJOR 0
#endif

// libstdc++ has two std::string layouts; a plugin built with the other one would corrupt every
// string it exchanges with the kernel.
#if defined(_GLIBCXX_USE_CXX11_ABI)
#define TIDINGS_SDK_CXX11_ABI _GLIBCXX_USE_CXX11_ABI
#else
#define TIDINGS_SDK_CXX11_ABI -1
#endif

namespace tidings::sdk::v1 {

/// The ABI version this translation unit was compiled against.
struct AbiVersion {
    std::uint32_t major;  ///< Must equal the kernel's.
    std::uint32_t minor;  ///< Must not exceed the kernel's.
};

/// The version of the headers being compiled.
inline constexpr AbiVersion kAbiVersion{TIDINGS_SDK_ABI_MAJOR, TIDINGS_SDK_ABI_MINOR};

/// The toolchain fingerprint of the headers being compiled. Only `family` and `cxx11_abi` must
/// match between kernel and plugin; `compiler` and `compiler_major` appear in refusal messages.
struct Toolchain {
    const char* family;
    const char* compiler;
    int compiler_major;
    int cxx11_abi;
};

inline constexpr Toolchain kToolchain{TIDINGS_SDK_COMPILER_FAMILY, TIDINGS_SDK_COMPILER_NAME,
                                      TIDINGS_SDK_COMPILER_MAJOR, TIDINGS_SDK_CXX11_ABI};

}  // namespace tidings::sdk::v1
