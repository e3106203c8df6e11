// Finds, checks and loads plugin shared objects, and runs their lifecycle.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <tidings/sdk/v1/plugin.hpp>

#include "kernel/config/config.hpp"
#include "kernel/hooks/event_bus.hpp"
#include "kernel/http/router.hpp"
#include "kernel/plugins/capability_registry.hpp"

namespace tidings::kernel {

namespace sdk = tidings::sdk::v1;

/// A plugin that cannot be used; the message names the plugin (and file) and the reason.
class PluginError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Why a manifest is refused, naming both sides' values; nullopt when it is acceptable.
/// `expected_name` is the name the operator enabled (the file's base name).
std::optional<std::string> checkManifest(const sdk::Manifest& manifest, const std::string& expected_name);

/// Looks up a runtime setting's JSON text (provided by the settings service once storage is up).
using SettingLookup = std::function<std::optional<std::string>(std::string_view key)>;

/// Records a bounce a plugin found itself (Host::recordBounce), through the kernel's bounce
/// service once storage is up; an unset recorder answers Unavailable.
using BounceRecorder = std::function<sdk::Status(sdk::BounceEvent event, sdk::BounceOutcome& outcome)>;

/// Owns every loaded plugin. Destruction stops (if started) and destroys plugins in reverse
/// order of loading. The libraries themselves are never unmapped (RTLD_NODELETE), so nothing a
/// plugin handed out, such as route or hook handlers, can outlive its code.
class PluginSet {
public:
    PluginSet(Config& config, CapabilityRegistry& registry, Router& router, EventBus& events);
    ~PluginSet();
    PluginSet(const PluginSet&) = delete;
    PluginSet& operator=(const PluginSet&) = delete;

    /// Loads `<dir>/<name>.so`: inspects the `tidings` section without running plugin code,
    /// loads with RTLD_NOW | RTLD_LOCAL, checks the manifest (checkManifest), refuses duplicate
    /// names, creates the plugin and calls attach(). Throws PluginError on any failure, naming
    /// the plugin: missing file, no manifest, wrong ABI or toolchain, failed create/attach.
    void load(const std::string& dir, const std::string& name);

    /// Supplies the settings lookup plugins' Host::setting uses (set once storage is ready).
    void setSettingLookup(SettingLookup lookup);

    /// Installs what Host::recordBounce calls, for every plugin, loaded or not.
    void setBounceRecorder(BounceRecorder recorder);

    /// Calls start() on the plugins of one kind ("storage") that have not started yet, so the
    /// kernel can migrate storage before other plugins use it. Throws PluginError on failure.
    void startKind(const std::string& kind);

    /// Calls start() on every plugin not started yet, in load order. Throws PluginError naming
    /// the first failure.
    void startAll();

    /// Calls stop() on started plugins in reverse order. Idempotent.
    void stopAll();

    struct Info {
        std::string name, kind, version, path;
    };
    std::vector<Info> loaded() const;

private:
    struct Loaded;
    Config& config_;
    CapabilityRegistry& registry_;
    Router& router_;
    EventBus& events_;
    std::shared_ptr<SettingLookup> settings_;
    std::shared_ptr<BounceRecorder> bounces_;
    std::vector<std::unique_ptr<Loaded>> plugins_;
    bool started_ = false;
};

}  // namespace tidings::kernel
