#include "kernel/plugins/plugin_loader.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <filesystem>

#include <dlfcn.h>

#include <boost/dll/library_info.hpp>
#include <boost/dll/shared_library.hpp>

#include "kernel/plugins/plugin_host.hpp"
#include "kernel/plugins/plugin_registrar.hpp"

namespace tidings::kernel {
namespace {

// The manifest as ABI 1.0 defines it; a plugin reporting less is from before any release.
constexpr std::uint32_t kMinManifestSize = sizeof(sdk::Manifest);
constexpr std::array kKinds{"storage", "messenger", "bounce", "captcha", "importer", "extension"};

std::string text(const char* s) { return s ? s : "(null)"; }

std::string version(std::uint32_t major, std::uint32_t minor) {
    return std::to_string(major) + "." + std::to_string(minor);
}

}  // namespace

std::optional<std::string> checkManifest(const sdk::Manifest& m, const std::string& expected_name) {
    const std::string kernel_abi = version(TIDINGS_SDK_ABI_MAJOR, TIDINGS_SDK_ABI_MINOR);
    if (m.struct_size < kMinManifestSize) {
        return "manifest is " + std::to_string(m.struct_size) + " bytes, this kernel needs at least " +
               std::to_string(kMinManifestSize) + " (built against an unreleased SDK?)";
    }
    if (m.abi_major != TIDINGS_SDK_ABI_MAJOR) {
        return "built for SDK ABI " + version(m.abi_major, m.abi_minor) + "; this kernel provides " + kernel_abi +
               " (a different major version is incompatible: rebuild the plugin against this SDK)";
    }
    if (m.abi_minor > TIDINGS_SDK_ABI_MINOR) {
        return "built for SDK ABI " + version(m.abi_major, m.abi_minor) + ", newer than this kernel's " + kernel_abi +
               " (upgrade the kernel or rebuild the plugin against this SDK)";
    }
    if (text(m.toolchain_family) != sdk::kToolchain.family || m.cxx11_abi != sdk::kToolchain.cxx11_abi) {
        return "built with toolchain " + text(m.toolchain_family) + " (" + text(m.compiler) + " " +
               std::to_string(m.compiler_major) + ", _GLIBCXX_USE_CXX11_ABI=" + std::to_string(m.cxx11_abi) +
               "); this kernel uses " + sdk::kToolchain.family + " (" + sdk::kToolchain.compiler + " " +
               std::to_string(sdk::kToolchain.compiler_major) + ", _GLIBCXX_USE_CXX11_ABI=" +
               std::to_string(sdk::kToolchain.cxx11_abi) + ")";
    }
    if (std::none_of(kKinds.begin(), kKinds.end(), [&](const char* k) { return text(m.kind) == k; })) {
        return "unknown plugin kind '" + text(m.kind) + "'";
    }
    if (text(m.name) != expected_name) {
        return "manifest names the plugin '" + text(m.name) + "' but the file is '" + expected_name + "'";
    }
    return std::nullopt;
}

struct PluginSet::Loaded {
    boost::dll::shared_library library;  // RTLD_NODELETE: never unmapped, see load()
    Info info;
    std::unique_ptr<PluginHost> host;
    sdk::DestroyFn* destroy = nullptr;
    sdk::Plugin* plugin = nullptr;
    bool started = false;

    ~Loaded() {
        if (plugin && destroy) destroy(plugin);
    }
};

PluginSet::PluginSet(Config& config, CapabilityRegistry& registry, Router& router, EventBus& events)
    : config_(config), registry_(registry), router_(router), events_(events),
      settings_(std::make_shared<SettingLookup>()),
      bounces_(std::make_shared<BounceRecorder>()) {}

PluginSet::~PluginSet() {
    stopAll();
    // Destroy plugins in reverse order of loading.
    while (!plugins_.empty()) plugins_.pop_back();
}

void PluginSet::load(const std::string& dir, const std::string& name) {
    namespace fs = std::filesystem;
    const std::string where = "plugin " + name;
    if (name.empty() || name.find('/') != std::string::npos || name.find("..") != std::string::npos) {
        throw PluginError(where + ": invalid plugin name");
    }
    fs::path path = fs::path(dir) / (name + ".so");
    if (!fs::exists(path)) throw PluginError(where + ": file " + path.string() + " not found");
    if (std::any_of(plugins_.begin(), plugins_.end(), [&](const auto& p) { return p->info.name == name; })) {
        throw PluginError(where + ": enabled twice");
    }

    // Inspect the ELF section before running any of the plugin's code (not even its static
    // constructors).
    try {
        boost::dll::library_info info(boost::dll::fs::path(path.string()));
        auto symbols = info.symbols(sdk::kSection);
        if (std::find(symbols.begin(), symbols.end(), sdk::kManifestSymbol) == symbols.end()) {
            throw PluginError(where + ": " + path.string() + " is not a Tidings plugin (no '" + sdk::kSection +
                              "' section with a manifest)");
        }
    } catch (const PluginError&) {
        throw;
    } catch (const std::exception& e) {
        throw PluginError(where + ": " + path.string() + " is not a Tidings plugin (" + e.what() + ")");
    }

    auto loaded = std::make_unique<Loaded>();
    try {
        loaded->library.load(path.string(), boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
    } catch (const std::exception& e) {
        throw PluginError(where + ": " + path.string() + " cannot be loaded: " + e.what());
    }
    // Mark the library RTLD_NODELETE: its code must outlive everything it handed out (route
    // handlers in the router, hook handlers in the event bus), whatever order those are
    // destroyed in, so it is never unmapped. Boost.DLL has no flag for it; reopening with
    // RTLD_NOLOAD sets it on the already loaded object.
    if (void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL | RTLD_NOLOAD | RTLD_NODELETE)) ::dlclose(handle);
    auto& manifest_fn = loaded->library.get_alias<sdk::ManifestFn>(sdk::kManifestSymbol);
    const sdk::Manifest* manifest = manifest_fn();
    if (!manifest) throw PluginError(where + ": the manifest function returned nothing");
    if (auto refusal = checkManifest(*manifest, name)) throw PluginError(where + " (" + path.string() + ") refused: " + *refusal);

    loaded->info = Info{name, text(manifest->kind), text(manifest->version), path.string()};
    auto& create = loaded->library.get_alias<sdk::CreateFn>(sdk::kCreateSymbol);
    loaded->destroy = &loaded->library.get_alias<sdk::DestroyFn>(sdk::kDestroySymbol);
    loaded->host = std::make_unique<PluginHost>(name, config_, registry_, events_, settings_, bounces_);
    loaded->plugin = create(loaded->host.get());
    if (!loaded->plugin) throw PluginError(where + ": creating the plugin failed (see the log above)");

    PluginRegistrar registrar(name, manifest->abi_minor, config_, registry_, router_, events_);
    auto status = loaded->plugin->attach(registrar);
    if (!status.ok()) throw PluginError(where + ": attach failed: " + status.message());
    plugins_.push_back(std::move(loaded));
}

void PluginSet::setSettingLookup(SettingLookup lookup) { *settings_ = std::move(lookup); }

void PluginSet::setBounceRecorder(BounceRecorder recorder) { *bounces_ = std::move(recorder); }

void PluginSet::startKind(const std::string& kind) {
    for (auto& p : plugins_) {
        if (p->started || p->info.kind != kind) continue;
        auto status = p->plugin->start();
        if (!status.ok()) throw PluginError("plugin " + p->info.name + ": start failed: " + status.message());
        p->started = true;
    }
}

void PluginSet::startAll() {
    for (auto& p : plugins_) {
        if (p->started) continue;
        auto status = p->plugin->start();
        if (!status.ok()) throw PluginError("plugin " + p->info.name + ": start failed: " + status.message());
        p->started = true;
    }
    started_ = true;
}

void PluginSet::stopAll() {
    for (auto it = plugins_.rbegin(); it != plugins_.rend(); ++it) {
        if (!(*it)->started) continue;
        (*it)->plugin->stop();
        (*it)->started = false;
    }
    started_ = false;
}

std::vector<PluginSet::Info> PluginSet::loaded() const {
    std::vector<Info> out;
    for (const auto& p : plugins_) out.push_back(p->info);
    return out;
}

}  // namespace tidings::kernel
