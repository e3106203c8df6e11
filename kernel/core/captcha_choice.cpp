#include "kernel/core/captcha_choice.hpp"

#include <Poco/JSON/Parser.h>

namespace tidings::kernel {

CaptchaChoice chooseCaptcha(const CapabilityRegistry& registry, const SettingsService& settings) {
    CaptchaChoice choice;
    for (auto* candidate : registry.captchas()) {
        if (!candidate->enabled()) continue;
        if (!choice.provider || candidate->name() == "altcha") choice.provider = candidate;
    }
    if (!choice.provider) return choice;
    try {
        auto captcha = Poco::JSON::Parser()
                           .parse(settings.json("security.captcha").value_or("{}"))
                           .extract<Poco::JSON::Object::Ptr>();
        auto own = captcha ? captcha->getObject(std::string(choice.name())) : nullptr;
        if (own && choice.name() == "hcaptcha") choice.site_key = own->optValue<std::string>("key", "");
        if (own && choice.name() == "altcha") choice.complexity = own->optValue<std::int64_t>("complexity", 0);
    } catch (const Poco::Exception&) {
        // Settings are validated on write; a damaged value leaves the widget without its extras
        // rather than failing the page.
    }
    return choice;
}

}  // namespace tidings::kernel
