// Tidings plugin SDK, version 1: what the kernel offers a plugin.
//
// `Host` is the plugin's view of the kernel: logging, configuration, runtime settings, events,
// shared state and bounce recording. `Registrar` is how a plugin tells the kernel what it provides,
// during attach(). Both are owned by the kernel and outlive every plugin.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "bounce.hpp"
#include "captcha.hpp"
#include "hooks.hpp"
#include "http.hpp"
#include "importer.hpp"
#include "messenger.hpp"
#include "status.hpp"
#include "storage.hpp"
#include "version.hpp"

namespace tidings::sdk::v1 {

enum class LogLevel : std::uint8_t { Debug = 0, Info = 1, Warning = 2, Error = 3 };

/// The type of a configuration key a plugin declares.
enum class ConfigType : std::uint8_t { String = 0, Integer = 1, Boolean = 2, Duration = 3 };

/// One configuration key a plugin reads, declared in attach() so that the kernel can validate
/// the INI file, list the key in `tidings --help-config` and mask secrets in logs.
struct ConfigKey {
    std::string key;            ///< "section.name", e.g. "db.url" or "smtp.host".
    ConfigType type = ConfigType::String;
    std::string default_value;  ///< Used when neither the INI file nor the environment sets it.
    bool secret = false;        ///< Never logged or shown.
    std::string description;
};

/// Services the kernel provides to plugins. Every method is thread-safe.
class Host {
public:
    /// The kernel's SDK version. A plugin built against an older minor may rely on it being at
    /// least its own.
    virtual AbiVersion abiVersion() const noexcept = 0;

    /// Writes one line to the kernel's log, prefixed with the plugin's name.
    virtual void log(LogLevel level, std::string_view message) noexcept = 0;

    /// The value of an operator configuration key ("db.url"): INI file, overridden by the
    /// TIDINGS_<SECTION>__<KEY> environment variable, else the declared default. nullopt when
    /// unset and undeclared.
    virtual std::optional<std::string> config(std::string_view key) const noexcept = 0;

    /// The current value of a runtime setting ("app.root_url", "smtp", ...) as JSON text, or
    /// nullopt when the key is unknown. Reflects changes made through /api/settings by any
    /// process within about a second; cheap enough to call per message.
    virtual std::optional<std::string> setting(std::string_view key) const noexcept = 0;

    /// Publishes an event to hook handlers (see hooks.hpp). Returns at once.
    virtual void publish(std::string_view event, std::string payload_json) noexcept = 0;

    // Shared state in storage (see StateStore), namespaced per plugin: the kernel prefixes every
    // key with the plugin's manifest name and ':', so keys cannot collide with another plugin's
    // (and a renamed plugin starts with empty state). All three return Unavailable until the
    // storage plugin has started: call them from start() on, not from attach(). Thread-safe.

    /// The value of a live key, or nullopt in `value` when absent or expired.
    virtual Status getState(std::string_view key, std::optional<std::string>& value) noexcept = 0;

    /// Sets a key; a `ttl` of zero means it never expires.
    virtual Status putState(std::string_view key, std::string_view value, std::chrono::seconds ttl) noexcept = 0;

    /// Atomically sets a key only when it is absent or expired (zero `ttl`: never expires);
    /// `inserted` tells whether this call set it. Every process on the database agrees.
    virtual Status insertStateIfAbsent(std::string_view key, std::string_view value, std::chrono::seconds ttl,
                                       bool& inserted) noexcept = 0;

    // Since ABI 1.1.

    /// Records one bounce exactly as the kernel records a bounce provider's webhook events: the
    /// subscriber is found by `subscriber_uuid`, else by `email`; the `bounce.actions` rule for
    /// the type is applied with the record; `bounce.recorded` is published. For plugins that find
    /// bounces themselves, such as a mailbox scanner, rather than receive them on a route. An
    /// empty `event.source` is recorded as the plugin's name. `outcome.recorded` is false when no
    /// subscriber matches (not an error: nothing to do). Errors: Unavailable while
    /// `bounce.enabled` is off or storage has not started (try again later); Invalid when the
    /// event names no subscriber; the store's error otherwise. Thread-safe; call from start() on.
    virtual Status recordBounce(const BounceEvent& event, BounceOutcome& outcome) noexcept = 0;

    /// The storage's durable outbound job queue (outbox.hpp), shared by every process on the
    /// database; nullptr until the storage plugin has started (call it from start() on, not from
    /// attach()) and when the storage plugin predates ABI 1.1. Not namespaced per plugin: pass
    /// the plugin's name as the channel. The pointer stays valid until the plugin's stop() returns.
    virtual OutboxStore* outbox() noexcept = 0;

protected:
    ~Host() = default;
};

/// Registration of a plugin's capabilities. Valid only during attach(); the plugin must not
/// keep it. Every capability object passed in stays owned by the plugin and must stay alive until
/// the plugin's stop() returns. Registration fails with Conflict when the name is taken (one
/// storage in all; one messenger, captcha, bounce provider or importer per name; one handler per
/// method and route pattern) and with Invalid for malformed input.
class Registrar {
public:
    /// Declares a configuration key the plugin reads through Host::config.
    virtual Status declareConfig(const ConfigKey& key) noexcept = 0;

    /// Provides the storage backend. At most one plugin may do so.
    virtual Status provideStorage(Storage& storage) noexcept = 0;

    /// Provides a messenger, selectable by its name().
    virtual Status provideMessenger(Messenger& messenger) noexcept = 0;

    /// Provides a bounce provider, mounted at /webhooks/service/<name>.
    virtual Status provideBounceProvider(BounceProvider& provider) noexcept = 0;

    /// Provides a CAPTCHA provider.
    virtual Status provideCaptcha(CaptchaProvider& provider) noexcept = 0;

    /// Provides an importer.
    virtual Status provideImporter(Importer& importer) noexcept = 0;

    /// Adds an HTTP route with the kernel's middleware applied.
    virtual Status route(const RouteSpec& spec, RouteHandler handler) noexcept = 0;

    /// Subscribes to an event by name (see hooks.hpp).
    virtual Status onHook(std::string_view event, HookHandler handler) noexcept = 0;

    /// Provides messengers whose names come and go at run time. A name registered through
    /// provideMessenger wins over the same name in a directory; directories are asked in the
    /// order they were provided.
    virtual Status provideMessengerDirectory(MessengerDirectory& directory) noexcept = 0;

protected:
    ~Registrar() = default;
};

}  // namespace tidings::sdk::v1
