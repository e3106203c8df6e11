// Tidings plugin SDK, version 1: the plugin entry points and the macro that exports them.
//
// A plugin is a shared object exporting three symbols in the `tidings` ELF section, placed there
// by TIDINGS_PLUGIN (Boost.DLL section aliases):
//
//   tidings_plugin_manifest_v1  -> const Manifest* ()   plain data, safe to call before checks
//   tidings_plugin_create_v1    -> Plugin* (Host*)      creates the plugin object
//   tidings_plugin_destroy_v1   -> void (Plugin*)       destroys it
//
// The kernel finds the section with boost::dll::library_info without running plugin code, loads
// the library with RTLD_NOW | RTLD_LOCAL, reads the manifest, refuses a wrong ABI or toolchain
// with a message naming both sides, and only then calls create. It never unloads a library while
// anything the plugin created is alive. Lifecycle, all on the kernel's main thread:
//
//   create(host) -> attach(registrar) -> start() -> ... -> stop() -> destroy()
//
// Build plugins with -fvisibility=hidden (the CMake package's tidings_add_plugin does).
#pragma once

#include <cstdint>
#include <exception>
#include <memory>

#include <boost/dll/alias.hpp>

#include "host.hpp"
#include "status.hpp"
#include "version.hpp"

namespace tidings::sdk::v1 {

/// A loaded plugin. Implementations override all three methods.
class Plugin {
public:
    /// Registers capabilities, routes, hooks and config keys. Must not start threads or open
    /// connections yet. A failure aborts kernel start-up with the status's message.
    virtual Status attach(Registrar& registrar) noexcept = 0;

    /// Starts work: open pools, spawn threads. Called after every plugin attached.
    virtual Status start() noexcept = 0;

    /// Stops work and joins threads. After it returns, the kernel no longer calls any
    /// capability the plugin provided.
    virtual void stop() noexcept = 0;

protected:
    ~Plugin() = default;  // Destroyed only through the plugin's own destroy entry point.
};

/// The plugin manifest: plain data read by the kernel before any plugin code runs. New fields are
/// appended and `struct_size` tells the kernel which ones a plugin has.
struct Manifest {
    std::uint32_t struct_size;  ///< sizeof(Manifest) as the plugin saw it.
    std::uint32_t abi_major;
    std::uint32_t abi_minor;
    const char* kind;     ///< "storage", "messenger", "bounce", "captcha", "importer" or "extension".
    const char* name;     ///< Unique, e.g. "storage-postgres"; matches the file name.
    const char* version;  ///< The plugin's own version, e.g. "1.0.0".
    const char* description;
    const char* toolchain_family;  ///< TIDINGS_SDK_COMPILER_FAMILY.
    const char* compiler;          ///< TIDINGS_SDK_COMPILER_NAME.
    std::int32_t compiler_major;   ///< TIDINGS_SDK_COMPILER_MAJOR.
    std::int32_t cxx11_abi;        ///< _GLIBCXX_USE_CXX11_ABI, or -1.
};

using ManifestFn = const Manifest* ();
using CreateFn = Plugin* (Host*);
using DestroyFn = void(Plugin*);

/// The names of the exported symbols, and the section that holds them.
inline constexpr const char* kManifestSymbol = "tidings_plugin_manifest_v1";
inline constexpr const char* kCreateSymbol = "tidings_plugin_create_v1";
inline constexpr const char* kDestroySymbol = "tidings_plugin_destroy_v1";
inline constexpr const char* kSection = "tidings";

}  // namespace tidings::sdk::v1

/// Exports a plugin. `PluginClass` derives from tidings::sdk::v1::Plugin and is constructible
/// from `tidings::sdk::v1::Host&`. KIND, NAME, VERSION and DESCRIPTION are string literals.
/// Use once, in one source file of the plugin, at global namespace scope.
///
/// The generated create function catches every exception (logging it through the host) and
/// returns null, which the kernel reports as a start-up error naming the plugin.
#define TIDINGS_PLUGIN(PluginClass, KIND, NAME, VERSION, DESCRIPTION)                              \
    namespace tidings_plugin_entry {                                                               \
    const ::tidings::sdk::v1::Manifest* manifest() noexcept {                                     \
        static const ::tidings::sdk::v1::Manifest m{                                               \
            sizeof(::tidings::sdk::v1::Manifest), TIDINGS_SDK_ABI_MAJOR, TIDINGS_SDK_ABI_MINOR,    \
            KIND, NAME, VERSION, DESCRIPTION, TIDINGS_SDK_COMPILER_FAMILY,                          \
            TIDINGS_SDK_COMPILER_NAME, TIDINGS_SDK_COMPILER_MAJOR, TIDINGS_SDK_CXX11_ABI};          \
        return &m;                                                                                 \
    }                                                                                              \
    ::tidings::sdk::v1::Plugin* create(::tidings::sdk::v1::Host* host) noexcept {                  \
        try {                                                                                      \
            return std::make_unique<PluginClass>(*host).release();                                 \
        } catch (const std::exception& e) {                                                        \
            host->log(::tidings::sdk::v1::LogLevel::Error, e.what());                              \
        } catch (...) {                                                                            \
            host->log(::tidings::sdk::v1::LogLevel::Error, "unknown exception in constructor");    \
        }                                                                                          \
        return nullptr;                                                                            \
    }                                                                                              \
    void destroy(::tidings::sdk::v1::Plugin* plugin) noexcept {                                    \
        std::unique_ptr<PluginClass>(static_cast<PluginClass*>(plugin)).reset();                   \
    }                                                                                              \
    }                                                                                              \
    BOOST_DLL_ALIAS_SECTIONED(tidings_plugin_entry::manifest, tidings_plugin_manifest_v1, tidings) \
    BOOST_DLL_ALIAS_SECTIONED(tidings_plugin_entry::create, tidings_plugin_create_v1, tidings)     \
    BOOST_DLL_ALIAS_SECTIONED(tidings_plugin_entry::destroy, tidings_plugin_destroy_v1, tidings)
