#include "loaded_plugin.hpp"

#include <stdexcept>

namespace tidings::conformance {

LoadedStoragePlugin::LoadedStoragePlugin(const std::string& name, const std::map<std::string, std::string>& config)
    : library_(std::string(TIDINGS_PLUGIN_DIR) + "/" + name + ".so",
               boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local) {
    manifest_ = library_.get_alias<sdk::ManifestFn>(sdk::kManifestSymbol)();
    auto& create = library_.get_alias<sdk::CreateFn>(sdk::kCreateSymbol);
    destroy_ = &library_.get_alias<sdk::DestroyFn>(sdk::kDestroySymbol);
    for (const auto& [key, value] : config) host_.setConfig(key, value);
    plugin_ = create(&host_);
    if (!plugin_) throw std::runtime_error(name + ": create returned null");
    if (auto st = plugin_->attach(registrar_); !st) throw std::runtime_error(name + " attach failed: " + st.message());
    if (!registrar_.storage()) throw std::runtime_error(name + " provided no storage");
}

LoadedStoragePlugin::~LoadedStoragePlugin() {
    if (plugin_) {
        plugin_->stop();
        destroy_(plugin_);
    }
}

}  // namespace tidings::conformance
