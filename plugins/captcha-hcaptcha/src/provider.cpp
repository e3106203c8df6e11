#include "provider.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <chrono>

#include "settings.hpp"
#include "siteverify.hpp"

namespace tidings::hcaptcha {
namespace {

// As listmonk: a form submission should not hang on a slow third party.
constexpr std::chrono::milliseconds kTimeout{5000};
// Real tokens are a few kilobytes; a far larger one is not worth sending anywhere.
constexpr std::size_t kMaxTokenSize = 32 * 1024;

const sdk::Status kUnreachable = sdk::Status::unavailable("captcha: verification service unreachable");

std::string errorCodes(const Poco::JSON::Object& answer) {
    std::string out;
    if (const auto codes = answer.getArray("error-codes")) {
        for (std::size_t i = 0; i < codes->size(); ++i) {
            if (!out.empty()) out += ",";
            out += codes->get(static_cast<unsigned>(i)).toString();
        }
    }
    return out.empty() ? "none given" : out;
}

}  // namespace

bool HcaptchaProvider::enabled() const noexcept {
    return parseSettings(host_.setting("security.captcha")).enabled;
}

sdk::Status HcaptchaProvider::verify(std::string_view solution, std::string_view remote_address) noexcept {
    try {
        // No token means the widget never ran: refuse without spending a round trip.
        if (solution.empty()) return sdk::Status::forbidden("captcha: solution missing");
        if (solution.size() > kMaxTokenSize) return sdk::Status::forbidden("captcha: malformed solution");

        const HcaptchaSettings settings = parseSettings(host_.setting("security.captcha"));
        const std::string url = host_.config(kVerifyUrlKey).value_or(std::string(kDefaultVerifyUrl));

        std::vector<std::pair<std::string, std::string>> form{
            {"secret", settings.secret},
            {"response", std::string(solution)},
        };
        if (!remote_address.empty()) form.emplace_back("remoteip", std::string(remote_address));
        if (!settings.key.empty()) form.emplace_back("sitekey", settings.key);

        const HttpAnswer answer = postForm(url, formEncode(form), kTimeout);
        if (!answer.reached) {
            host_.log(sdk::LogLevel::Warning, "hcaptcha: " + url + " unreachable: " + answer.error);
            return kUnreachable;
        }
        if (answer.status >= 500) {  // their outage, not the visitor's mistake; a retry may pass
            host_.log(sdk::LogLevel::Warning,
                      "hcaptcha: " + url + " answered HTTP " + std::to_string(answer.status));
            return kUnreachable;
        }

        Poco::JSON::Object::Ptr result;
        try {
            Poco::JSON::Parser parser;
            const Poco::Dynamic::Var root = parser.parse(answer.body);
            if (root.type() == typeid(Poco::JSON::Object::Ptr)) result = root.extract<Poco::JSON::Object::Ptr>();
        } catch (...) {
        }
        if (!result) {
            // listmonk lets such a request through; an answer we cannot read proves nothing, so
            // Tidings refuses it (reference/decisions.md).
            host_.log(sdk::LogLevel::Warning, "hcaptcha: non-JSON answer (HTTP " +
                                                  std::to_string(answer.status) + ") from " + url);
            return sdk::Status::forbidden("captcha: invalid solution");
        }

        const Poco::Dynamic::Var success = result->get("success");
        if (success.isBoolean() && success.extract<bool>()) return {};

        const std::string codes = errorCodes(*result);
        // A secret problem is the operator's to fix and fails every visitor: log it loudly.
        const bool operator_error = codes.find("secret") != std::string::npos ||
                                    codes.find("sitekey") != std::string::npos;
        host_.log(operator_error ? sdk::LogLevel::Error : sdk::LogLevel::Info,
                  "hcaptcha: token refused, error-codes: " + codes);
        return sdk::Status::forbidden("captcha: invalid solution");
    } catch (const std::exception& e) {
        return sdk::Status::internal(std::string("hcaptcha: ") + e.what());
    } catch (...) {
        return sdk::Status::internal("hcaptcha: unexpected failure");
    }
}

}  // namespace tidings::hcaptcha
