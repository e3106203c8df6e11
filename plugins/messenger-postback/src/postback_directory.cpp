#include "postback_directory.hpp"

#include <algorithm>
#include <stdexcept>

#include <tidings/sdk/v1/host.hpp>

namespace tidings::postback {

namespace sdk = ::tidings::sdk::v1;

PostbackDirectory::PostbackDirectory(sdk::Host& host) : host_(host) {}

PostbackDirectory::~PostbackDirectory() { shutdown(); }

sdk::Messenger* PostbackDirectory::find(std::string_view name) noexcept {
    refresh();
    std::lock_guard lock(map_mutex_);
    auto it = messengers_.find(name);
    if (it == messengers_.end() || !it->second->endpoint()) return nullptr;
    return it->second.get();
}

std::vector<std::string> PostbackDirectory::names() noexcept {
    refresh();
    std::vector<std::string> out;
    try {
        std::lock_guard lock(map_mutex_);
        for (const auto& [name, m] : messengers_)
            if (m->endpoint()) out.push_back(name);
    } catch (...) {
        out.clear();
    }
    return out;
}

void PostbackDirectory::refresh() noexcept {
    try {
        std::string text = host_.setting("messengers").value_or("");
        std::lock_guard lock(reload_mutex_);
        if (loaded_ && text == text_) return;
        std::vector<EndpointConfig> configs;
        try {
            configs = parseEndpoints(text);
        } catch (const std::exception& e) {
            host_.log(sdk::LogLevel::Error, std::string("messengers setting ignored, keeping the previous messengers: ") + e.what());
            text_ = std::move(text);  // log the same broken text once, not on every push
            loaded_ = true;
            return;
        }
        apply(std::move(configs));
        text_ = std::move(text);
        loaded_ = true;
    } catch (const std::exception& e) {
        host_.log(sdk::LogLevel::Error, std::string("postback: reloading the messengers setting failed: ") + e.what());
    }
}

void PostbackDirectory::apply(std::vector<EndpointConfig> configs) {
    std::string enabled;
    std::lock_guard lock(map_mutex_);
    for (auto& [name, m] : messengers_) {
        const bool listed = std::any_of(configs.begin(), configs.end(),
                                        [&](const EndpointConfig& c) { return c.name == name && c.enabled; });
        if (!listed) m->setEndpoint(nullptr);
    }
    for (auto& c : configs) {
        if (!c.enabled) continue;
        auto it = messengers_.find(c.name);
        if (it == messengers_.end()) {
            // The refresh callback lets a campaign holding this messenger see later changes.
            auto m = std::make_unique<PostbackMessenger>(c.name, [this] { refresh(); });
            it = messengers_.emplace(c.name, std::move(m)).first;
        }
        enabled += (enabled.empty() ? "" : ", ") + c.name;
        const auto previous = it->second->endpoint();
        it->second->setEndpoint(makeEndpoint(std::move(c), previous.get()));
    }
    host_.log(sdk::LogLevel::Info, "postback messengers: " + (enabled.empty() ? std::string("none enabled") : enabled));
}

void PostbackDirectory::shutdown() noexcept {
    std::lock_guard lock(map_mutex_);
    for (auto& [name, m] : messengers_)
        if (const auto ep = m->endpoint()) ep->pool->closeIdle();
}

}  // namespace tidings::postback
