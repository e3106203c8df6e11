#include "tidings/bounce_support/replay_guard.hpp"

#include <string>

#include "tidings/bounce_support/crypto.hpp"
#include "tidings/bounce_support/encoding.hpp"

namespace tidings::bounce_support {

sdk::Status claimOnce(sdk::Host& host, std::string_view kind, std::string_view id, std::chrono::seconds ttl) noexcept {
    try {
        // Hashing bounds the key's length whatever the provider sends, and keeps signatures and
        // addresses out of the state table.
        std::string key(kind);
        key += ':';
        key += toHex(sha256(id));
        bool inserted = false;
        if (auto st = host.insertStateIfAbsent(key, "1", ttl, inserted); !st) {
            host.log(sdk::LogLevel::Error, "replay check failed: " + st.message());
            return sdk::Status::unavailable("bounce: replay check unavailable, retry later");
        }
        if (!inserted) return sdk::Status::forbidden("bounce: replayed delivery (" + std::string(kind) + " seen before)");
        return {};
    } catch (const std::exception& e) {
        return sdk::Status::internal(std::string("replay check: ") + e.what());
    }
}

}  // namespace tidings::bounce_support
