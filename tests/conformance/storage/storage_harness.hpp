// The seam between the storage conformance suite and one particular store.
//
// storage_conformance.cpp holds the store-independent tests; it only sees sdk::Storage through a
// StorageHarness. Each store provides one harness source (postgres_harness.cpp; later
// sqlite_harness.cpp) defining harness(), and the suite is linked once per store.
#pragma once

#include <string>

#include <tidings/sdk/v1/storage.hpp>

namespace tidings::conformance {

namespace sdk = ::tidings::sdk::v1;

class StorageHarness {
public:
    virtual ~StorageHarness() = default;

    /// The migrated, started store under test.
    virtual sdk::Storage& storage() = 0;

    /// Empties every table so each test starts from nothing (ids may restart).
    virtual void reset() = 0;

    /// Makes maintained counters absorb pending changes (PostgreSQL: runs the compaction).
    /// Counts must be exact before and after; tests check both.
    virtual void settleCounts() = 0;
};

/// The process-wide harness, created on first use. Throws (failing the test with the reason)
/// when the store cannot be set up, e.g. TIDINGS_TEST_PG_URL is missing: never skips silently.
StorageHarness& harness();

/// Base for TEST_CASE_METHOD: resets the store before each test.
struct StoreFixture {
    StoreFixture() : store(harness().storage()) { harness().reset(); }
    sdk::Storage& store;
};

}  // namespace tidings::conformance
