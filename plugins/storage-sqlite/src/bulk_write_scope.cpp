#include "bulk_write_scope.hpp"

#include <string>

namespace tidings::storage_sqlite {
namespace {

std::int64_t pragmaValue(Connection& c, const char* sql) {
    auto st = c.prepareOnce(sql);
    return st.step() ? st.int64(0) : 0;
}

// 64 MiB (negative: KiB), enough for the index pages a batch of 10,000 rows dirties.
constexpr const char* kBulkCacheSize = "PRAGMA cache_size = -65536";

}  // namespace

BulkWriteScope::BulkWriteScope(Connection& c)
    : c_(c), temp_store_(pragmaValue(c, "PRAGMA temp_store")), cache_size_(pragmaValue(c, "PRAGMA cache_size")) {
    c_.exec("PRAGMA temp_store = MEMORY");
    c_.exec(kBulkCacheSize);
}

BulkWriteScope::~BulkWriteScope() {
    try {
        // A transaction left open by a failure is rolled back first: temp_store cannot change
        // inside one (the lease would roll it back anyway when the connection is returned).
        if (c_.inTransaction()) c_.exec("ROLLBACK");
        c_.exec(("PRAGMA temp_store = " + std::to_string(temp_store_)).c_str());
        c_.exec(("PRAGMA cache_size = " + std::to_string(cache_size_)).c_str());
    } catch (...) {
        // The settings only tune performance; a connection left with them still works.
    }
}

}  // namespace tidings::storage_sqlite
