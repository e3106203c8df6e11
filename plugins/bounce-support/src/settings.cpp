#include "tidings/bounce_support/settings.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

namespace tidings::bounce_support {

SettingView SettingView::read(const sdk::Host& host, std::string_view key) noexcept {
    SettingView view;
    try {
        // Wrapped in an array because Poco's parser does not take a bare scalar ("true", "\"key\"")
        // as a whole document, and several bounce settings are exactly that.
        if (const auto text = host.setting(key)) {
            const Poco::Dynamic::Var wrapped = Poco::JSON::Parser().parse("[" + *text + "]");
            const auto array = wrapped.extract<Poco::JSON::Array::Ptr>();
            if (array && array->size() == 1) view.value_ = array->get(0);
        }
    } catch (...) {  // unparsable: stays empty, which reads as off
    }
    return view;
}

Poco::Dynamic::Var SettingView::at(std::string_view field) const noexcept {
    try {
        if (field.empty()) return value_;
        if (value_.type() != typeid(Poco::JSON::Object::Ptr)) return {};
        const auto object = value_.extract<Poco::JSON::Object::Ptr>();
        return object ? object->get(std::string(field)) : Poco::Dynamic::Var{};
    } catch (...) {
        return {};
    }
}

bool SettingView::flag(std::string_view field) const noexcept {
    try {
        const Poco::Dynamic::Var v = at(field);
        return v.isBoolean() && v.extract<bool>();
    } catch (...) {
        return false;
    }
}

std::string SettingView::text(std::string_view field) const noexcept {
    try {
        const Poco::Dynamic::Var v = at(field);
        return v.isString() ? v.extract<std::string>() : std::string{};
    } catch (...) {
        return {};
    }
}

}  // namespace tidings::bounce_support
