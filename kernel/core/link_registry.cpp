#include "kernel/core/link_registry.hpp"

#include <Poco/Logger.h>

namespace tidings::kernel {

std::string LinkRegistry::uuidFor(const std::string& url) {
    {
        std::lock_guard lock(mutex_);
        if (auto it = cache_.find(url); it != cache_.end()) return it->second;
    }
    std::string uuid;
    if (sdk::Status st = store_.registerLink(url, uuid); !st) {
        Poco::Logger::get("tidings.tracking").warning("registering tracked link failed, sending it untracked: %s",
                                                      st.message());
        return {};
    }
    std::lock_guard lock(mutex_);
    if (cache_.size() >= kMaxCached) cache_.clear();
    cache_.emplace(url, uuid);
    return uuid;
}

}  // namespace tidings::kernel
