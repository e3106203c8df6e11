#include "kernel/core/settings_service.hpp"

#include <sstream>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>
#include <Poco/Logger.h>

#include "kernel/core/json_path.hpp"
#include "kernel/core/json_value.hpp"
#include "kernel/core/settings_defaults.hpp"
#include "kernel/core/settings_ranges.hpp"
#include "kernel/core/status_error.hpp"
#include "kernel/core/webhook_settings_check.hpp"

namespace tidings::kernel {
namespace {

using Poco::Dynamic::Var;
using Poco::JSON::Array;
using Poco::JSON::Object;

constexpr std::string_view kBullet = "\xE2\x80\xA2";  // U+2022, what listmonk masks with

Var parse(const std::string& text) { return parseJsonValue(text); }

std::string stringify(const Var& value) {
    std::ostringstream out;
    Poco::JSON::Stringifier::stringify(value, out);
    return out.str();
}

bool isMasked(const std::string& s) {
    if (s.empty()) return true;
    for (std::size_t i = 0; i < s.size(); i += kBullet.size()) {
        if (s.compare(i, kBullet.size(), kBullet) != 0) return false;
    }
    return true;
}

std::string bullets(const std::string& secret) {
    std::string out;
    for (std::size_t i = 0; i < std::min<std::size_t>(secret.size(), 16); ++i) out += kBullet;
    return out;
}

enum class JsonKind { Null, Bool, Number, String, Array, Object };

JsonKind kindOf(const Var& v) {
    if (v.isEmpty()) return JsonKind::Null;
    if (v.type() == typeid(Object::Ptr)) return JsonKind::Object;
    if (v.type() == typeid(Array::Ptr)) return JsonKind::Array;
    if (v.type() == typeid(bool)) return JsonKind::Bool;
    if (v.isString()) return JsonKind::String;
    if (v.isNumeric()) return JsonKind::Number;
    return JsonKind::Null;
}

const char* kindName(JsonKind k) {
    switch (k) {
    case JsonKind::Null: return "null";
    case JsonKind::Bool: return "a boolean";
    case JsonKind::Number: return "a number";
    case JsonKind::String: return "a string";
    case JsonKind::Array: return "an array";
    case JsonKind::Object: return "an object";
    }
    return "null";
}

// Calls `fn(secret, previous_secret)` on each string at `path` in `value` (see json_path.hpp),
// replacing it with what `fn` returns, if anything.
template <typename Fn>
void forEachSecret(Var& value, const Var* previous, std::string_view path, Fn&& fn) {
    forEachAtPath(value, previous, path, {}, [&](Var& leaf, const Var* prev_leaf, const std::string&) {
        if (!leaf.isString()) return;
        std::optional<std::string> prev;
        if (prev_leaf && prev_leaf->isString()) prev = prev_leaf->extract<std::string>();
        if (auto replaced = fn(leaf.extract<std::string>(), prev)) leaf = *replaced;
    });
}

const std::map<std::string, std::string, std::less<>>& defaults() {
    static const auto values = [] {
        std::map<std::string, std::string, std::less<>> out;
        auto obj = parse(std::string(defaultSettingsJson())).extract<Object::Ptr>();
        for (const auto& [key, value] : *obj) out.emplace(key, stringify(value));
        return out;
    }();
    return values;
}

// A stored value as the effective settings hold it, or nullopt (the default applies) when it
// cannot be used: not JSON, of another type than the default, or out of range. Storage is
// written only through update(), which refuses such values, so this catches rows written by
// hand or by an older version; it is logged on every reload until the row is fixed.
std::optional<std::string> readBack(const std::string& key, const std::string& text) {
    try {
        Var value = parse(text);
        const JsonKind want = kindOf(parse(defaults().at(key)));
        if (want != JsonKind::Null && kindOf(value) != want) invalid("settings: '" + key + "' must be " + kindName(want));
        checkNumericRanges(key, value);
        return stringify(value);
    } catch (const std::exception& e) {
        Poco::Logger::get("tidings.settings")
            .warning("stored setting %s is unusable (%s); using the default instead", key, std::string(e.what()));
        return std::nullopt;
    }
}

}  // namespace

SettingsService::SettingsService(sdk::SettingsStore& store, std::map<std::string, std::string> initial)
    : store_(store), initial_(std::move(initial)) {}

SettingsService::~SettingsService() { stopPolling(); }

void SettingsService::load() {
    std::int64_t revision = 0;
    check(store_.revision(revision));
    reload(revision);
}

void SettingsService::reload(std::int64_t revision) {
    std::vector<sdk::Setting> stored;
    check(store_.getAll(stored));
    auto next = std::make_shared<Snapshot>();
    next->values = defaults();
    for (const auto& [key, value] : initial_) {
        auto it = next->values.find(key);
        if (it == next->values.end()) continue;
        if (auto usable = readBack(key, value)) it->second = std::move(*usable);
    }
    for (auto& s : stored) {
        // Keys Tidings does not know (written by a newer version, or internal) are kept out of
        // the effective settings but left untouched in storage.
        auto it = next->values.find(s.key);
        if (it == next->values.end()) continue;
        if (auto usable = readBack(s.key, s.value_json)) it->second = std::move(*usable);
    }
    next->revision = revision;
    std::lock_guard lock(mutex_);
    snapshot_ = std::move(next);
}

std::shared_ptr<const SettingsService::Snapshot> SettingsService::snapshot() const {
    std::lock_guard lock(mutex_);
    return snapshot_;
}

bool SettingsService::refreshIfChanged() {
    std::int64_t revision = 0;
    if (!store_.revision(revision).ok()) return false;
    auto current = snapshot();
    if (current && current->revision == revision) return false;
    reload(revision);
    return true;
}

void SettingsService::startPolling(int interval_ms) {
    std::lock_guard lock(poll_mutex_);
    if (polling_) return;
    polling_ = true;
    poller_ = std::thread([this, interval_ms] { pollLoop(interval_ms); });
}

void SettingsService::stopPolling() {
    {
        std::lock_guard lock(poll_mutex_);
        if (!polling_) return;
        polling_ = false;
    }
    poll_wake_.notify_all();
    if (poller_.joinable()) poller_.join();
}

void SettingsService::pollLoop(int interval_ms) {
    std::unique_lock lock(poll_mutex_);
    while (polling_) {
        poll_wake_.wait_for(lock, std::chrono::milliseconds(interval_ms), [this] { return !polling_; });
        if (!polling_) break;
        lock.unlock();
        try {
            refreshIfChanged();
        } catch (const std::exception& e) {
            Poco::Logger::get("tidings.settings").warning("settings refresh failed: %s", std::string(e.what()));
        }
        lock.lock();
    }
}

std::optional<std::string> SettingsService::json(std::string_view key) const {
    auto snap = snapshot();
    if (!snap) return std::nullopt;
    auto it = snap->values.find(key);
    if (it == snap->values.end()) return std::nullopt;
    return it->second;
}

bool SettingsService::flag(std::string_view key) const {
    auto text = json(key);
    return text && *text == "true";
}

std::int64_t SettingsService::integer(std::string_view key) const {
    auto text = json(key);
    if (!text) return 0;
    Var v = parse(*text);
    return v.isNumeric() ? v.convert<std::int64_t>() : 0;
}

std::string SettingsService::text(std::string_view key) const {
    auto text = json(key);
    if (!text) return {};
    Var v = parse(*text);
    return v.isString() ? v.extract<std::string>() : std::string{};
}

std::vector<std::string> SettingsService::strings(std::string_view key) const {
    std::vector<std::string> out;
    auto text = json(key);
    if (!text) return out;
    Var v = parse(*text);
    if (v.type() != typeid(Array::Ptr)) return out;
    for (const auto& item : *v.extract<Array::Ptr>()) {
        if (item.isString()) out.push_back(item.extract<std::string>());
    }
    return out;
}

std::string SettingsService::rootUrl() const {
    std::string root = text("app.root_url");
    while (!root.empty() && root.back() == '/') root.pop_back();
    return root;
}

std::string SettingsService::maskedJson() const {
    auto snap = snapshot();
    Object result(Poco::JSON_PRESERVE_KEY_ORDER);
    for (const auto& [key, text] : snap->values) {
        Var value = parse(text);
        for (const auto& secret : secretSettingFields()) {
            if (secret.key != key) continue;
            forEachSecret(value, nullptr, secret.path,
                          [](const std::string& s, const std::optional<std::string>&) -> std::optional<std::string> {
                              return s.empty() ? std::nullopt : std::optional<std::string>(bullets(s));
                          });
        }
        result.set(key, value);
    }
    std::ostringstream out;
    result.stringify(out);
    return out.str();
}

void SettingsService::update(const Object& changes) {
    auto snap = snapshot();
    std::vector<sdk::Setting> rows;
    for (const auto& [key, incoming] : changes) {
        auto def = defaults().find(key);
        if (def == defaults().end()) invalid("settings: unknown key '" + key + "'");
        Var expected = parse(def->second);
        JsonKind want = kindOf(expected);
        JsonKind got = kindOf(incoming);
        bool nullable = want == JsonKind::Null;
        if (!nullable && got != want) {
            invalid("settings: '" + key + "' must be " + kindName(want) + ", got " + kindName(got));
        }
        // Round-trip through text so the secret merge below edits our own copy.
        Var value = parse(stringify(incoming));
        Var previous = parse(snap->values.at(key));
        for (const auto& secret : secretSettingFields()) {
            if (secret.key != key) continue;
            forEachSecret(value, &previous, secret.path,
                          [](const std::string& s, const std::optional<std::string>& prev) -> std::optional<std::string> {
                              if (isMasked(s) && prev) return *prev;
                              return std::nullopt;
                          });
        }
        // Checked after the merge above, so a masked secret sent back counts as the stored one.
        if (key == "webhooks") checkWebhooksSetting(value);
        checkNumericRanges(key, value);
        rows.push_back({key, stringify(value)});
    }
    if (rows.empty()) return;
    check(store_.put(rows));
    std::int64_t revision = 0;
    check(store_.revision(revision));
    reload(revision);
}

}  // namespace tidings::kernel
