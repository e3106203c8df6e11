#include "kernel/template/message_i18n.hpp"

#include <chrono>
#include <map>
#include <string>

#include "kernel/template/time_format.hpp"

namespace tidings::kernel {

using tmpl::Value;
using Args = std::span<const Value>;

namespace {

// English texts of the listmonk language keys that e-mail templates use.
const std::map<std::string, std::string, std::less<>>& englishTexts() {
    static const std::map<std::string, std::string, std::less<>> texts{
        {"email.unsub", "Unsubscribe"},
        {"email.unsubHelp", "Don't want to receive these e-mails?"},
        {"email.viewInBrowser", "View in browser"},
        {"email.optin.confirmSub", "Confirm subscription"},
        {"email.optin.confirmSubTitle", "Confirm subscription"},
        {"email.optin.confirmSubInfo", "You have been added to the following lists:"},
        {"email.optin.confirmSubHelp", "Confirm your subscription by clicking the button below."},
        {"email.optin.confirmSubWelcome", "Hi"},
        {"email.optin.privateList", "Private list"},
        {"email.subscriber.data", "Your data"},
        {"globals.terms.lists", "Lists"},
        {"public.unsubTitle", "Unsubscribe"},
    };
    return texts;
}

std::string translate(const std::string& key) {
    const auto& texts = englishTexts();
    auto it = texts.find(key);
    return it == texts.end() ? key : it->second;
}

// Replaces "{param}" placeholders, as listmonk's L.Ts does.
std::string substitute(std::string text, Args params) {
    for (std::size_t i = 0; i + 1 < params.size(); i += 2) {
        const std::string token = "{" + tmpl::toText(params[i]) + "}";
        const std::string value = tmpl::toText(params[i + 1]);
        for (std::size_t at = text.find(token); at != std::string::npos; at = text.find(token, at + value.size())) {
            text.replace(at, token.size(), value);
        }
    }
    return text;
}

Value i18n() {
    static const Value value = Value::map({
        {"T", Value::function([](Args a) {
             tmpl::requireArgs("T", a, 1, 1);
             return Value(translate(tmpl::toText(a[0])));
         })},
        {"Ts", Value::function([](Args a) {
             tmpl::requireArgs("Ts", a, 1, 99);
             return Value(substitute(translate(tmpl::toText(a[0])), a.subspan(1)));
         })},
        {"Tc", Value::function([](Args a) {
             tmpl::requireArgs("Tc", a, 2, 2);
             // listmonk's plural texts are "singular | plural"; pick by the count.
             std::string text = translate(tmpl::toText(a[0]));
             const auto bar = text.find(" | ");
             if (bar == std::string::npos) return Value(text);
             return Value(tmpl::toInt(a[1]) == 1 ? text.substr(0, bar) : text.substr(bar + 3));
         })},
    });
    return value;
}

}  // namespace

void addMessageFunctions(tmpl::FunctionTable& table) {
    table.add("Date", [](Args a) {
        tmpl::requireArgs("Date", a, 1, 1);
        std::string layout = tmpl::toText(a[0]);
        if (layout.empty()) layout = "Mon Jan _2 15:04:05 2006";  // Go's time.ANSIC
        return Value(tmpl::formatGoTime(layout, std::chrono::system_clock::now()));
    });
    table.add("Safe", [](Args a) {
        tmpl::requireArgs("Safe", a, 1, 1);
        return Value::safeHtml(tmpl::toText(a[0]));
    });
    table.add("L", [](Args) { return i18n(); });
}

}  // namespace tidings::kernel
