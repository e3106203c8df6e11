// Markdown campaign bodies to HTML, with GitHub's extensions (tables, strikethrough, autolinks,
// task lists) and raw HTML kept, as listmonk's Markdown bodies behave.
#pragma once

#include <string>
#include <string_view>

namespace tidings::kernel {

/// Converts CommonMark + GFM to HTML. Template actions (`{{ ... }}`) pass through as text, so
/// the result can be compiled as a template afterwards.
std::string markdownToHtml(std::string_view markdown);

}  // namespace tidings::kernel
