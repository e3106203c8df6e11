#include "random_uuids.hpp"

#include <cerrno>
#include <system_error>

#include <sys/random.h>

namespace tidings::storage_sqlite {

void UuidSource::refill() {
    std::size_t filled = 0;
    while (filled < pool_.size()) {
        // Requests above 256 bytes may return short when a signal arrives: keep reading.
        const ssize_t n = ::getrandom(pool_.data() + filled, pool_.size() - filled, 0);
        if (n < 0) {
            if (errno == EINTR) continue;
            throw std::system_error(errno, std::generic_category(), "getrandom");
        }
        filled += static_cast<std::size_t>(n);
    }
    used_ = 0;
}

std::string UuidSource::next() {
    if (used_ + 16 > pool_.size()) refill();
    unsigned char b[16];
    for (auto& byte : b) byte = pool_[used_++];
    b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40);  // version 4
    b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);  // RFC 4122 variant
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    out.reserve(36);
    for (int i = 0; i < 16; ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
        out.push_back(kHex[b[i] >> 4]);
        out.push_back(kHex[b[i] & 0x0f]);
    }
    return out;
}

}  // namespace tidings::storage_sqlite
