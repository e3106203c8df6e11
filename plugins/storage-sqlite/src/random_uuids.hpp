// Random (version 4) UUIDs for bulk inserts. newUuid() costs a system call per UUID, which would
// dominate an import batch; this draws the kernel's randomness in blocks instead. UUIDs are
// capabilities (manage and unsubscribe links), so they come from the kernel's CSPRNG, never from
// a seeded PRNG.
#pragma once

#include <array>
#include <cstddef>
#include <string>

namespace tidings::storage_sqlite {

class UuidSource {
public:
    /// A new lower-case UUID. Throws std::system_error when the kernel gives no randomness.
    std::string next();

private:
    void refill();

    std::array<unsigned char, 4096> pool_{};
    std::size_t used_ = pool_.size();
};

}  // namespace tidings::storage_sqlite
