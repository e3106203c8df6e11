// The languages Tidings' pages and e-mail texts exist in. listmonk ships language packs
// (i18n/<code>.json) and lists them in GET /api/config; Tidings has none: its pages
// (web/templates), messages and the texts behind the templates' L function are written in
// English only, so English is the one language there is.
#pragma once

#include <array>
#include <string_view>

namespace tidings::kernel {

struct Language {
    std::string_view code;  ///< As listmonk names its packs, e.g. "en".
    std::string_view name;  ///< In the language itself, as listmonk's packs name themselves.
};

inline constexpr std::array<Language, 1> kInstalledLanguages{{{"en", "English"}}};

/// The language pages and mails are actually in for the `app.lang` setting `requested`: that
/// one when it is installed, else English, which is what every text falls back to.
constexpr std::string_view languageInUse(std::string_view requested) {
    for (const auto& language : kInstalledLanguages) {
        if (language.code == requested) return language.code;
    }
    return "en";
}

}  // namespace tidings::kernel
