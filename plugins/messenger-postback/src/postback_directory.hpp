// The postback messengers named in the `messengers` runtime setting, as an
// sdk::MessengerDirectory: the kernel asks it for names it has no static messenger for.
//
// Names come and go with the setting, but a PostbackMessenger, once created for a name, lives
// until the plugin is destroyed: the kernel and running campaigns may hold its pointer. A name
// that is disabled or removed keeps its object with no endpoint, so find() no longer answers for
// it and a send already holding it fails as Unavailable. refresh() is cheap when the setting is
// unchanged (one string compare), so it runs on every lookup and push: changes apply at once.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <tidings/sdk/v1/messenger.hpp>

#include "postback_messenger.hpp"

namespace tidings::sdk::v1 {
class Host;
}

namespace tidings::postback {

class PostbackDirectory final : public tidings::sdk::v1::MessengerDirectory {
public:
    explicit PostbackDirectory(tidings::sdk::v1::Host& host);
    ~PostbackDirectory();

    tidings::sdk::v1::Messenger* find(std::string_view name) noexcept override;
    std::vector<std::string> names() noexcept override;

    /// Re-reads the `messengers` setting if its text changed. A malformed setting is logged once
    /// and the previous messengers stay as they were. Never throws.
    void refresh() noexcept;

    /// Closes every pool's sessions (plugin stop). Messengers stay; a later push reopens.
    void shutdown() noexcept;

private:
    void apply(std::vector<EndpointConfig> configs);

    tidings::sdk::v1::Host& host_;
    std::mutex reload_mutex_;  // serialises refresh(); held while parsing, never while sending
    std::string text_;
    bool loaded_ = false;
    mutable std::mutex map_mutex_;
    std::map<std::string, std::unique_ptr<PostbackMessenger>, std::less<>> messengers_;
};

}  // namespace tidings::postback
