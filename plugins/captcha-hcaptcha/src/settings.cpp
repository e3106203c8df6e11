#include "settings.hpp"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

namespace tidings::hcaptcha {

HcaptchaSettings parseSettings(const std::optional<std::string>& captcha_json) noexcept {
    HcaptchaSettings out;
    if (!captcha_json) return out;
    try {
        Poco::JSON::Parser parser;
        const Poco::Dynamic::Var root = parser.parse(*captcha_json);
        if (root.type() != typeid(Poco::JSON::Object::Ptr)) return out;
        const auto h = root.extract<Poco::JSON::Object::Ptr>()->getObject("hcaptcha");
        if (!h) return out;
        const Poco::Dynamic::Var enabled = h->get("enabled");
        out.enabled = enabled.isBoolean() && enabled.extract<bool>();
        if (const auto v = h->get("key"); v.isString()) out.key = v.extract<std::string>();
        if (const auto v = h->get("secret"); v.isString()) out.secret = v.extract<std::string>();
    } catch (...) {  // A broken setting must not break the request path; treat it as off.
        return HcaptchaSettings{};
    }
    return out;
}

}  // namespace tidings::hcaptcha
