#include "kernel/core/list_uuid_cache.hpp"

namespace tidings::kernel {

sdk::Status ListUuidCache::getByUuids(const std::vector<std::string>& uuids, std::vector<sdk::List>& out) {
    out.clear();
    std::vector<std::string> missing;
    const auto now = Clock::now();
    {
        std::lock_guard lock(mutex_);
        for (const auto& uuid : uuids) {
            auto it = entries_.find(uuid);
            if (it != entries_.end() && it->second.expires > now) {
                out.push_back(it->second.list);
            } else {
                missing.push_back(uuid);
            }
        }
    }
    if (missing.empty()) return {};
    std::vector<sdk::List> fetched;
    sdk::Status st = store_.getByUuids(missing, fetched);
    if (!st) return st;
    std::lock_guard lock(mutex_);
    // Expired entries are dropped on the way, so the map holds at most the lists used within
    // the last ttl.
    std::erase_if(entries_, [&](const auto& e) { return e.second.expires <= now; });
    for (auto& list : fetched) {
        entries_[list.uuid] = Entry{list, now + ttl_};
        out.push_back(std::move(list));
    }
    return {};
}

}  // namespace tidings::kernel
