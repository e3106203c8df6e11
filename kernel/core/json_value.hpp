// Parsing any JSON value (not just objects and arrays) with Poco.
#pragma once

#include <string>

#include <Poco/Dynamic/Var.h>

namespace tidings::kernel {

/// Parses one JSON value of any kind. Poco 1.11's parser accepts only objects and arrays at the
/// top level, so the text is parsed as the single element of an array. Throws
/// Poco::JSON::JSONException for invalid JSON.
Poco::Dynamic::Var parseJsonValue(const std::string& text);

}  // namespace tidings::kernel
