// One storage plugin .so loaded the way the kernel loads it (Boost.DLL section aliases), attached
// to its own FakeHost. Harnesses and store-specific tests create as many as they need.
#pragma once

#include <map>
#include <string>

#include <boost/dll/shared_library.hpp>

#include <tidings/sdk/v1/plugin.hpp>

#include "fake_host.hpp"

namespace tidings::conformance {

namespace sdk = ::tidings::sdk::v1;

class LoadedStoragePlugin {
public:
    /// Loads `<TIDINGS_PLUGIN_DIR>/<name>.so`, sets `config` on its host and attaches; start()
    /// opens the database. Throws std::runtime_error naming the step that failed.
    LoadedStoragePlugin(const std::string& name, const std::map<std::string, std::string>& config);
    ~LoadedStoragePlugin();
    LoadedStoragePlugin(const LoadedStoragePlugin&) = delete;
    LoadedStoragePlugin& operator=(const LoadedStoragePlugin&) = delete;

    sdk::Status start() { return plugin_->start(); }
    sdk::Storage& storage() { return *registrar_.storage(); }
    ::tidings::sdk::testing::FakeHost& host() { return host_; }
    ::tidings::sdk::testing::FakeRegistrar& registrar() { return registrar_; }
    const sdk::Manifest& manifest() const { return *manifest_; }

private:
    boost::dll::shared_library library_;
    ::tidings::sdk::testing::FakeHost host_;
    ::tidings::sdk::testing::FakeRegistrar registrar_{host_};
    const sdk::Manifest* manifest_ = nullptr;
    sdk::DestroyFn* destroy_ = nullptr;
    sdk::Plugin* plugin_ = nullptr;
};

}  // namespace tidings::conformance
