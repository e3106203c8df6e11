#include "kernel/campaign/delivery_buffer.hpp"

namespace tidings::kernel {

void DeliveryBuffer::add(sdk::Delivery delivery) {
    if (pending_.empty()) oldest_ = std::chrono::steady_clock::now();
    pending_.push_back(std::move(delivery));
    if (pending_.size() >= kMaxPending || std::chrono::steady_clock::now() - oldest_ >= kMaxAge) {
        // A failed write is retried with the next add or the batch's final flush.
        (void)flush();
    }
}

sdk::Status DeliveryBuffer::flush() {
    if (pending_.empty()) return {};
    sdk::Status st = store_.record(campaign_id_, pending_);
    if (st) pending_.clear();
    return st;
}

}  // namespace tidings::kernel
