#include "kernel/core/json_value.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

namespace tidings::kernel {

Poco::Dynamic::Var parseJsonValue(const std::string& text) {
    Poco::JSON::Parser parser;
    Poco::Dynamic::Var wrapped = parser.parse("[" + text + "\n]");
    auto array = wrapped.extract<Poco::JSON::Array::Ptr>();
    if (array->size() != 1) throw Poco::JSON::JSONException("expected exactly one JSON value");
    return array->get(0);
}

}  // namespace tidings::kernel
