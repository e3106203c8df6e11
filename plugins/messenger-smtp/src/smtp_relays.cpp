#include "smtp_relays.hpp"

#include <stdexcept>

#include <tidings/sdk/v1/host.hpp>

namespace tidings::smtp {

namespace sdk = ::tidings::sdk::v1;

SmtpRelays::SmtpRelays(sdk::Host& host) : host_(host), snapshot_(std::make_shared<const RelaySet>()) {}

SmtpRelays::~SmtpRelays() { shutdown(); }

std::shared_ptr<const RelaySet> SmtpRelays::snapshot() const noexcept {
    std::lock_guard lock(snapshot_mutex_);
    return snapshot_;
}

void SmtpRelays::refresh() noexcept {
    try {
        std::string text = host_.setting("smtp").value_or("");
        std::lock_guard lock(reload_mutex_);
        if (loaded_ && text == text_) return;
        std::vector<ServerConfig> configs;
        const bool blank = text.find_first_not_of(" \t\r\n") == std::string::npos;
        try {
            if (!blank) configs = parseServers(text);
            if (blank || (configs.empty() && text.find('{') == std::string::npos)) {
                // No `smtp` setting or an empty array: the relay from the INI file's smtp.* keys.
                configs.push_back(serverFromConfig(host_));
            }
        } catch (const std::exception& e) {
            host_.log(sdk::LogLevel::Error, std::string("smtp setting ignored, keeping the previous relays: ") + e.what());
            text_ = std::move(text);  // do not re-log the same broken text on every push
            loaded_ = true;
            return;
        }
        if (configs.empty()) host_.log(sdk::LogLevel::Warning, "smtp: no SMTP server is enabled; e-mail cannot be sent");
        apply(std::move(configs));
        text_ = std::move(text);
        loaded_ = true;
    } catch (const std::exception& e) {
        host_.log(sdk::LogLevel::Error, std::string("smtp: reloading settings failed: ") + e.what());
    }
}

void SmtpRelays::apply(std::vector<ServerConfig> configs) {
    const auto old = snapshot();
    auto next = std::make_shared<RelaySet>();
    std::vector<std::shared_ptr<SmtpPool>> kept;
    for (auto& c : configs) {
        auto config = std::make_shared<const ServerConfig>(std::move(c));
        std::shared_ptr<SmtpPool> pool;
        for (const auto& r : *old) {
            if (r.config->id == config->id && r.pool->config().sameConnection(*config)) {
                pool = r.pool;  // same relay, same sessions: keep them warm
                break;
            }
        }
        if (!pool) pool = std::make_shared<SmtpPool>(config);
        kept.push_back(pool);
        next->push_back({std::move(config), std::move(pool)});
    }
    {
        std::lock_guard lock(snapshot_mutex_);
        snapshot_ = std::move(next);
    }
    for (const auto& r : *old) {
        bool reused = false;
        for (const auto& p : kept) reused = reused || p == r.pool;
        if (!reused) r.pool->retire();
    }
    host_.log(sdk::LogLevel::Info, "smtp: " + std::to_string(configs.size()) + " relay(s) configured");
}

void SmtpRelays::sweepIdle() noexcept {
    for (const auto& r : *snapshot()) r.pool->sweepIdle();
}

void SmtpRelays::closeIdle() noexcept {
    for (const auto& r : *snapshot()) r.pool->closeIdle();
}

void SmtpRelays::shutdown() noexcept {
    for (const auto& r : *snapshot()) r.pool->retire();
}

}  // namespace tidings::smtp
