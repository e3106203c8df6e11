// application/x-www-form-urlencoded and query-string decoding.
#pragma once

#include <string_view>

#include <tidings/sdk/v1/http.hpp>

namespace tidings::kernel {

namespace sdk = tidings::sdk::v1;

/// Decodes "a=1&b=x+y&a=2" into pairs in order ('+' is a space, %XX escapes decoded; a
/// malformed escape is kept literally).
sdk::Pairs parseUrlEncoded(std::string_view text);

}  // namespace tidings::kernel
