#include "kernel/core/auth_revision.hpp"

#include <Poco/UUIDGenerator.h>

#include "kernel/core/status_error.hpp"

namespace tidings::kernel {
namespace {

constexpr const char* kKey = "auth.revision";

}  // namespace

std::string AuthRevision::current() const {
    std::optional<std::string> value;
    check(state_.get(kKey, value));
    return value.value_or("");
}

void AuthRevision::bump() {
    // A random value rather than a counter: processes changing users at the same moment need no
    // read-modify-write, and any change still differs from what every cache recorded.
    check(state_.put(kKey, Poco::UUIDGenerator::defaultGenerator().createRandom().toString(), std::chrono::seconds{0}));
}

}  // namespace tidings::kernel
