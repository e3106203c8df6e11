#include "settings.hpp"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

namespace tidings::altcha {

AltchaSettings parseSettings(const std::optional<std::string>& captcha_json) noexcept {
    AltchaSettings out;
    if (!captcha_json) return out;
    try {
        Poco::JSON::Parser parser;
        const Poco::Dynamic::Var root = parser.parse(*captcha_json);
        if (root.type() != typeid(Poco::JSON::Object::Ptr)) return out;
        const auto captcha = root.extract<Poco::JSON::Object::Ptr>();
        const auto altcha = captcha->getObject("altcha");
        if (!altcha) return out;

        const Poco::Dynamic::Var enabled = altcha->get("enabled");
        out.enabled = enabled.isBoolean() && enabled.extract<bool>();

        const Poco::Dynamic::Var complexity = altcha->get("complexity");
        if (complexity.isNumeric()) {
            const double n = complexity.convert<double>();
            if (n >= 1) {
                out.complexity = n > static_cast<double>(kMaxComplexity)
                                     ? kMaxComplexity
                                     : static_cast<std::uint64_t>(n);
            }
        }
    } catch (...) {  // A broken setting must not break the request path; treat it as off.
        return AltchaSettings{};
    }
    return out;
}

}  // namespace tidings::altcha
