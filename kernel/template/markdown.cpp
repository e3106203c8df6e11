#include "kernel/template/markdown.hpp"

#include <cstdlib>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>

namespace tidings::kernel {

namespace {

struct ParserFree {
    void operator()(cmark_parser* p) const { cmark_parser_free(p); }
};
struct NodeFree {
    void operator()(cmark_node* n) const { cmark_node_free(n); }
};
struct CharFree {
    void operator()(char* s) const { std::free(s); }
};

void attach(cmark_parser* parser, const char* name) {
    if (cmark_syntax_extension* ext = cmark_find_syntax_extension(name)) {
        cmark_parser_attach_syntax_extension(parser, ext);
    }
}

// Template actions are swapped for inert placeholders while Markdown is rendered: the renderer
// would otherwise escape their quotes (`{{ TrackLink &quot;...` no longer parses) or read `_`
// and `*` inside them as emphasis.
class ProtectedActions {
public:
    explicit ProtectedActions(std::string_view source) {
        std::size_t pos = 0;
        while (pos < source.size()) {
            std::size_t open = source.find("{{", pos);
            std::size_t close = open == std::string_view::npos ? open : source.find("}}", open + 2);
            if (close == std::string_view::npos) {
                text_.append(source.substr(pos));
                break;
            }
            text_.append(source.substr(pos, open - pos));
            text_ += placeholder(actions_.size());
            actions_.emplace_back(source.substr(open, close + 2 - open));
            pos = close + 2;
        }
    }

    const std::string& text() const { return text_; }

    std::string restore(std::string_view html) const {
        std::string out;
        out.reserve(html.size());
        std::size_t pos = 0;
        while (pos < html.size()) {
            std::size_t at = html.find(kMark, pos);
            if (at == std::string_view::npos) {
                out.append(html.substr(pos));
                break;
            }
            out.append(html.substr(pos, at - pos));
            std::size_t digits = at + kMark.size(), end = digits;
            while (end < html.size() && html[end] >= '0' && html[end] <= '9') ++end;
            std::size_t index = end > digits ? std::stoul(std::string(html.substr(digits, end - digits))) : actions_.size();
            if (index < actions_.size() && end < html.size() && html[end] == 'X') {
                out += actions_[index];
                pos = end + 1;
            } else {
                out.append(kMark);
                pos = digits;
            }
        }
        return out;
    }

private:
    static constexpr std::string_view kMark = "TIDINGSTPLACTION";
    static std::string placeholder(std::size_t i) { return std::string(kMark) + std::to_string(i) + "X"; }

    std::string text_;
    std::vector<std::string> actions_;
};

}  // namespace

std::string markdownToHtml(std::string_view markdown) {
    // The extension registry is process-wide and not safe to populate concurrently.
    static std::once_flag registered;
    std::call_once(registered, [] { cmark_gfm_core_extensions_ensure_registered(); });

    // UNSAFE keeps raw HTML, as campaign authors mix HTML into Markdown; the result is their own
    // content, and subscriber data is escaped later by the template engine. No SMART: quotes
    // stay straight, as listmonk's renderer leaves them.
    const int options = CMARK_OPT_UNSAFE;
    std::unique_ptr<cmark_parser, ParserFree> parser(cmark_parser_new(options));
    if (!parser) throw std::bad_alloc();
    for (const char* name : {"table", "strikethrough", "autolink", "tasklist"}) {
        attach(parser.get(), name);
    }
    ProtectedActions actions(markdown);
    cmark_parser_feed(parser.get(), actions.text().data(), actions.text().size());
    std::unique_ptr<cmark_node, NodeFree> doc(cmark_parser_finish(parser.get()));
    if (!doc) throw std::bad_alloc();
    std::unique_ptr<char, CharFree> html(
        cmark_render_html(doc.get(), options, cmark_parser_get_syntax_extensions(parser.get())));
    if (!html) throw std::bad_alloc();
    return actions.restore(html.get());
}

}  // namespace tidings::kernel
