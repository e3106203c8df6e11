#include "tidings/bounce_support/json_fields.hpp"

#include <sstream>

#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include "tidings/bounce_support/encoding.hpp"
#include "tidings/bounce_support/timestamps.hpp"

namespace tidings::bounce_support {

Poco::JSON::Object::Ptr parseObject(std::string_view text) noexcept {
    try {
        const Poco::Dynamic::Var v = Poco::JSON::Parser().parse(std::string(text));
        if (v.type() == typeid(Poco::JSON::Object::Ptr)) return v.extract<Poco::JSON::Object::Ptr>();
    } catch (...) {
    }
    return nullptr;
}

Poco::JSON::Array::Ptr parseArray(std::string_view text) noexcept {
    try {
        const Poco::Dynamic::Var v = Poco::JSON::Parser().parse(std::string(text));
        if (v.type() == typeid(Poco::JSON::Array::Ptr)) return v.extract<Poco::JSON::Array::Ptr>();
    } catch (...) {
    }
    return nullptr;
}

std::optional<std::string> stringMember(const Poco::JSON::Object& object, const std::string& name) noexcept {
    try {
        const Poco::Dynamic::Var v = object.get(name);
        if (v.isString()) return v.extract<std::string>();
    } catch (...) {
    }
    return std::nullopt;
}

bool trueMember(const Poco::JSON::Object& object, const std::string& name) noexcept {
    try {
        const Poco::Dynamic::Var v = object.get(name);
        return v.isBoolean() && v.extract<bool>();
    } catch (...) {
        return false;
    }
}

std::optional<std::int64_t> integerMember(const Poco::JSON::Object& object, const std::string& name) noexcept {
    try {
        const Poco::Dynamic::Var v = object.get(name);
        if (v.isInteger()) return v.convert<std::int64_t>();
        if (v.isString()) return parseInteger(v.extract<std::string>());
    } catch (...) {
    }
    return std::nullopt;
}

std::optional<std::string> firstStringMemberNoCase(const Poco::JSON::Object& object,
                                                   std::span<const std::string_view> names) noexcept {
    try {
        for (const std::string_view wanted : names) {
            const std::string lower = lowerAscii(wanted);
            for (const auto& [key, value] : object) {
                if (lowerAscii(key) != lower || !value.isString()) continue;
                std::string text = value.extract<std::string>();
                if (!text.empty()) return text;
            }
        }
    } catch (...) {
    }
    return std::nullopt;
}

std::string stringify(const Poco::Dynamic::Var& value) {
    std::ostringstream out;
    Poco::JSON::Stringifier::stringify(value, out);
    return out.str();
}

}  // namespace tidings::bounce_support
