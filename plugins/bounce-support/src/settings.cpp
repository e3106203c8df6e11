#include "tidings/bounce_support/settings.hpp"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

namespace tidings::bounce_support {

SettingView SettingView::read(const sdk::Host& host, std::string_view key) noexcept {
    SettingView view;
    try {
        if (const auto text = host.setting(key)) view.value_ = Poco::JSON::Parser().parse(*text);
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
