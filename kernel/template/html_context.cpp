#include "kernel/template/html_context.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include "kernel/template/template_error.hpp"

namespace tidings::kernel::tmpl {

namespace {

bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }
bool isIdent(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$' || static_cast<unsigned char>(c) >= 0x80;
}
std::string lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

AttrKind attrKind(std::string_view rawName) {
    std::string name = lower(rawName);
    if (name.rfind("data-", 0) == 0) name = name.substr(5);
    else if (name.rfind("xmlns:", 0) == 0) return AttrKind::Url;
    if (name.rfind("on", 0) == 0) return AttrKind::Script;
    if (name == "style") return AttrKind::Style;
    if (name == "srcset") return AttrKind::Srcset;
    static constexpr std::array<std::string_view, 17> urls = {
        "action", "archive", "background", "cite", "classid", "codebase", "data", "formaction", "href",
        "icon", "longdesc", "manifest", "poster", "profile", "src", "usemap", "xmlns"};
    if (std::find(urls.begin(), urls.end(), name) != urls.end()) return AttrKind::Url;
    if (name.find("src") != std::string::npos || name.find("uri") != std::string::npos ||
        name.find("url") != std::string::npos) {
        return AttrKind::Url;
    }
    return AttrKind::None;
}

Element elementOf(std::string_view tag) {
    std::string t = lower(tag);
    if (t == "script") return Element::Script;
    if (t == "style") return Element::Style;
    if (t == "textarea") return Element::Textarea;
    if (t == "title") return Element::Title;
    return Element::None;
}

// The state a tag's content starts in after its `>`.
State contentState(Element e) {
    switch (e) {
    case Element::Script: return State::Js;
    case Element::Style: return State::Css;
    case Element::Textarea:
    case Element::Title: return State::Rcdata;
    default: return State::Text;
    }
}

const char* elementName(Element e) {
    switch (e) {
    case Element::Script: return "script";
    case Element::Style: return "style";
    case Element::Textarea: return "textarea";
    case Element::Title: return "title";
    default: return "";
    }
}

// Whether a `/` after `code` starts a regexp (true) or is a division (false).
JsCtx jsCtxAfter(std::string_view code, JsCtx previous) {
    std::size_t end = code.size();
    while (end > 0 && isSpace(code[end - 1])) --end;
    if (end == 0) return previous;
    char last = code[end - 1];
    if (last == ')' || last == ']') return JsCtx::DivOp;
    if (isIdent(last)) {
        std::size_t start = end;
        while (start > 0 && isIdent(code[start - 1])) --start;
        static constexpr std::array<std::string_view, 11> keywords = {
            "break", "case", "continue", "delete", "do", "else", "in", "instanceof", "return", "throw", "typeof"};
        std::string_view word = code.substr(start, end - start);
        if (std::find(keywords.begin(), keywords.end(), word) != keywords.end()) return JsCtx::Regexp;
        return JsCtx::DivOp;
    }
    if ((last == '+' || last == '-') && end >= 2 && code[end - 2] == last) return JsCtx::DivOp;
    return JsCtx::Regexp;
}

void urlPartAfter(Context& c, std::string_view s) {
    if (s.find_first_of("#?") != std::string_view::npos) {
        c.urlPart = UrlPart::QueryOrFrag;
    } else if (c.urlPart == UrlPart::None && std::any_of(s.begin(), s.end(), [](char ch) { return !isSpace(ch); })) {
        c.urlPart = UrlPart::PreQuery;
    }
}

// Finds the end of a quoted run: the first unescaped `quote` (backslash escapes).
std::size_t findUnescaped(std::string_view s, std::size_t from, char quote) {
    for (std::size_t i = from; i < s.size(); ++i) {
        if (s[i] == '\\') {
            ++i;
        } else if (s[i] == quote) {
            return i;
        }
    }
    return std::string_view::npos;
}

// Processes text that lies wholly inside content states (no element or attribute end in it).
// `elide` drops comments (true inside <script>/<style>, false inside attributes).
Context content(Context c, std::string_view s, std::string& out, bool elide) {
    std::size_t i = 0;
    while (i < s.size()) {
        switch (c.state) {
        case State::Js: {
            std::size_t j = s.find_first_of("\"'`/", i);
            std::string_view code = s.substr(i, j == std::string_view::npos ? std::string_view::npos : j - i);
            c.jsCtx = jsCtxAfter(code, c.jsCtx);
            out += code;
            if (j == std::string_view::npos) return c;
            char ch = s[j];
            i = j + 1;
            if (ch == '"') c.state = State::JsDqStr;
            else if (ch == '\'') c.state = State::JsSqStr;
            else if (ch == '`') c.state = State::JsTmplLit;
            else if (i < s.size() && s[i] == '*') {
                c.state = State::JsBlockCmt;
                ++i;
                if (!elide) out += "/*";
                continue;
            } else if (i < s.size() && s[i] == '/') {
                c.state = State::JsLineCmt;
                ++i;
                if (!elide) out += "//";
                continue;
            } else if (c.jsCtx == JsCtx::DivOp) {
                c.jsCtx = JsCtx::Regexp;
            } else {
                c.state = State::JsRegexp;
            }
            out += ch;
            break;
        }
        case State::JsDqStr:
        case State::JsSqStr:
        case State::JsTmplLit:
        case State::CssDqStr:
        case State::CssSqStr:
        case State::CssDqUrl:
        case State::CssSqUrl: {
            char quote = c.state == State::JsDqStr || c.state == State::CssDqStr || c.state == State::CssDqUrl ? '"'
                         : c.state == State::JsTmplLit ? '`' : '\'';
            std::size_t j = findUnescaped(s, i, quote);
            std::string_view body = s.substr(i, j == std::string_view::npos ? std::string_view::npos : j - i);
            if (c.state == State::CssDqUrl || c.state == State::CssSqUrl) urlPartAfter(c, body);
            out += body;
            if (j == std::string_view::npos) return c;
            out += quote;
            i = j + 1;
            bool js = c.state == State::JsDqStr || c.state == State::JsSqStr || c.state == State::JsTmplLit;
            c.state = js ? State::Js : State::Css;
            c.jsCtx = JsCtx::DivOp;
            c.urlPart = UrlPart::None;
            break;
        }
        case State::JsRegexp: {
            bool inClass = false;
            std::size_t j = i;
            for (; j < s.size(); ++j) {
                if (s[j] == '\\') ++j;
                else if (s[j] == '[') inClass = true;
                else if (s[j] == ']') inClass = false;
                else if (s[j] == '/' && !inClass) break;
            }
            out += s.substr(i, j - i);
            if (j >= s.size()) return c;
            out += '/';
            i = j + 1;
            c.state = State::Js;
            c.jsCtx = JsCtx::DivOp;
            break;
        }
        case State::JsBlockCmt:
        case State::CssBlockCmt: {
            std::size_t j = s.find("*/", i);
            std::string_view body = s.substr(i, j == std::string_view::npos ? std::string_view::npos : j + 2 - i);
            if (!elide) out += body;
            if (j == std::string_view::npos) return c;
            i = j + 2;
            c.state = c.state == State::JsBlockCmt ? State::Js : State::Css;
            break;
        }
        case State::JsLineCmt:
        case State::CssLineCmt: {
            std::size_t j = s.find('\n', i);
            if (!elide) out += s.substr(i, j == std::string_view::npos ? std::string_view::npos : j - i);
            if (j == std::string_view::npos) return c;
            i = j;  // The newline itself is kept.
            c.state = c.state == State::JsLineCmt ? State::Js : State::Css;
            break;
        }
        case State::Css: {
            std::size_t j = s.find_first_of("\"'(/", i);
            out += s.substr(i, j == std::string_view::npos ? std::string_view::npos : j - i);
            if (j == std::string_view::npos) return c;
            char ch = s[j];
            i = j + 1;
            if (ch == '"') {
                c.state = State::CssDqStr;
            } else if (ch == '\'') {
                c.state = State::CssSqStr;
            } else if (ch == '/') {
                if (i < s.size() && (s[i] == '*' || s[i] == '/')) {
                    c.state = s[i] == '*' ? State::CssBlockCmt : State::CssLineCmt;
                    if (!elide) {
                        out += ch;
                        out += s[i];
                    }
                    ++i;
                    continue;
                }
            } else {  // '(' — `url(` opens a URL.
                std::size_t k = j;
                while (k > 0 && isSpace(s[k - 1])) --k;
                if (k >= 3 && lower(s.substr(k - 3, 3)) == "url") {
                    out += ch;
                    while (i < s.size() && isSpace(s[i])) out += s[i++];
                    c.urlPart = UrlPart::None;
                    if (i < s.size() && (s[i] == '"' || s[i] == '\'')) {
                        c.state = s[i] == '"' ? State::CssDqUrl : State::CssSqUrl;
                        out += s[i++];
                    } else {
                        c.state = State::CssUrl;
                    }
                    continue;
                }
            }
            out += ch;
            break;
        }
        case State::CssUrl: {
            std::size_t j = s.find(')', i);
            std::string_view body = s.substr(i, j == std::string_view::npos ? std::string_view::npos : j - i);
            urlPartAfter(c, body);
            out += body;
            if (j == std::string_view::npos) return c;
            out += ')';
            i = j + 1;
            c.state = State::Css;
            c.urlPart = UrlPart::None;
            break;
        }
        case State::Url:
            urlPartAfter(c, s.substr(i));
            out += s.substr(i);
            return c;
        default:  // Attr, Srcset, Rcdata: nothing inside changes the context.
            out += s.substr(i);
            return c;
        }
    }
    return c;
}

std::size_t findEndTag(std::string_view s, std::size_t from, Element e) {
    std::string_view name = elementName(e);
    for (std::size_t i = s.find("</", from); i != std::string_view::npos; i = s.find("</", i + 1)) {
        std::size_t k = i + 2;
        if (k + name.size() > s.size()) return std::string_view::npos;
        if (lower(s.substr(k, name.size())) != name) continue;
        k += name.size();
        if (k == s.size() || isSpace(s[k]) || s[k] == '>' || s[k] == '/') return i;
    }
    return std::string_view::npos;
}

}  // namespace

std::string Context::describe() const {
    static constexpr std::array<const char*, 25> states = {
        "Text", "Tag", "AttrName", "AfterName", "BeforeValue", "Attr", "URL", "Srcset",
        "JS", "JSDqStr", "JSSqStr", "JSTmplLit", "JSRegexp", "JSBlockCmt", "JSLineCmt",
        "CSS", "CSSDqStr", "CSSSqStr", "CSSDqURL", "CSSSqURL", "CSSURL", "CSSBlockCmt", "CSSLineCmt",
        "HTMLCmt", "RCDATA"};
    std::string s = states[static_cast<std::size_t>(state)];
    s += '_' + std::to_string(static_cast<int>(delim)) + std::to_string(static_cast<int>(urlPart)) +
         std::to_string(static_cast<int>(jsCtx)) + std::to_string(static_cast<int>(attr)) +
         std::to_string(static_cast<int>(element));
    return s;
}

Context advance(Context c, std::string_view s, std::string& out) {
    std::size_t i = 0;
    while (i < s.size()) {
        if (c.delim != Delim::None) {
            // Inside an attribute value: find where the value ends, process what is before it.
            std::size_t end = c.delim == Delim::DoubleQuote ? s.find('"', i)
                              : c.delim == Delim::SingleQuote ? s.find('\'', i)
                                                              : s.find_first_of(" \t\n\r\f>", i);
            std::string_view value = s.substr(i, end == std::string_view::npos ? std::string_view::npos : end - i);
            c = content(c, value, out, false);
            if (end == std::string_view::npos) return c;
            Element e = c.element;
            c = Context{};
            c.state = State::Tag;
            c.element = e;
            if (s[end] == '"' || s[end] == '\'') {
                out += s[end];
                i = end + 1;
            } else {
                i = end;
            }
            continue;
        }
        switch (c.state) {
        case State::Text: {
            std::size_t lt = s.find('<', i);
            if (lt == std::string_view::npos) {
                out += s.substr(i);
                return c;
            }
            out += s.substr(i, lt - i);
            if (s.substr(lt, 4) == "<!--") {
                c.state = State::HtmlCmt;
                i = lt + 4;
                continue;
            }
            bool endTag = lt + 1 < s.size() && s[lt + 1] == '/';
            std::size_t n = lt + (endTag ? 2 : 1);
            std::size_t nameEnd = n;
            while (nameEnd < s.size() && (std::isalnum(static_cast<unsigned char>(s[nameEnd])) || s[nameEnd] == ':' || s[nameEnd] == '-')) ++nameEnd;
            if (nameEnd == n || !std::isalpha(static_cast<unsigned char>(s[n]))) {
                out += '<';
                i = lt + 1;
                continue;
            }
            out += s.substr(lt, nameEnd - lt);
            c.state = State::Tag;
            c.element = endTag ? Element::None : elementOf(s.substr(n, nameEnd - n));
            i = nameEnd;
            break;
        }
        case State::HtmlCmt: {
            std::size_t end = s.find("-->", i);
            if (end == std::string_view::npos) return c;  // The comment text is elided.
            c.state = State::Text;
            i = end + 3;
            break;
        }
        case State::Tag:
        case State::AttrName:
        case State::AfterName: {
            bool sawSpace = false;
            while (i < s.size() && isSpace(s[i])) {
                out += s[i++];
                sawSpace = true;
            }
            if (sawSpace && c.state == State::AttrName) c.state = State::AfterName;
            if (i >= s.size()) return c;
            char ch = s[i];
            if (ch == '>') {
                out += '>';
                ++i;
                Element e = c.element;
                c = Context{};
                c.state = contentState(e);
                c.element = c.state == State::Text ? Element::None : e;
                continue;
            }
            if (ch == '/') {
                out += ch;
                ++i;
                c.state = State::Tag;
                continue;
            }
            if (ch == '=' && c.state != State::Tag) {
                out += '=';
                ++i;
                c.state = State::BeforeValue;
                continue;
            }
            std::size_t nameEnd = i;
            while (nameEnd < s.size() && !isSpace(s[nameEnd]) && s[nameEnd] != '=' && s[nameEnd] != '>' && s[nameEnd] != '/') ++nameEnd;
            if (nameEnd == i) nameEnd = i + 1;  // A stray '=' with no name: skip it.
            // A name that continues one an action started keeps its (unknown, plain) kind.
            if (c.state != State::AttrName) c.attr = attrKind(s.substr(i, nameEnd - i));
            out += s.substr(i, nameEnd - i);
            i = nameEnd;
            c.state = i >= s.size() ? State::AttrName : State::AfterName;
            break;
        }
        case State::BeforeValue: {
            while (i < s.size() && isSpace(s[i])) out += s[i++];
            if (i >= s.size()) return c;
            if (s[i] == '>') {  // `<a href=>`: empty value.
                c.state = State::Tag;
                continue;
            }
            c.delim = Delim::SpaceOrTagEnd;
            if (s[i] == '"' || s[i] == '\'') {
                c.delim = s[i] == '"' ? Delim::DoubleQuote : Delim::SingleQuote;
                out += s[i++];
            }
            switch (c.attr) {
            case AttrKind::Url: c.state = State::Url; c.urlPart = UrlPart::None; break;
            case AttrKind::Script: c.state = State::Js; c.jsCtx = JsCtx::Regexp; break;
            case AttrKind::Style: c.state = State::Css; break;
            case AttrKind::Srcset: c.state = State::Srcset; break;
            case AttrKind::None: c.state = State::Attr; break;
            }
            break;
        }
        default: {
            // Inside <script>, <style>, <textarea> or <title>: up to the matching end tag.
            std::size_t end = c.element == Element::None ? std::string_view::npos : findEndTag(s, i, c.element);
            std::string_view body = s.substr(i, end == std::string_view::npos ? std::string_view::npos : end - i);
            c = content(c, body, out, c.state != State::Rcdata);
            if (end == std::string_view::npos) return c;
            c = Context{};
            i = end;  // The Text state reads the end tag.
            break;
        }
        }
    }
    return c;
}

Context nudge(Context c) {
    switch (c.state) {
    case State::Tag:
    case State::AfterName:
        c.state = State::AttrName;
        c.attr = AttrKind::None;
        break;
    case State::BeforeValue:
        c.delim = Delim::SpaceOrTagEnd;
        switch (c.attr) {
        case AttrKind::Url: c.state = State::Url; c.urlPart = UrlPart::None; break;
        case AttrKind::Script: c.state = State::Js; c.jsCtx = JsCtx::Regexp; break;
        case AttrKind::Style: c.state = State::Css; break;
        case AttrKind::Srcset: c.state = State::Srcset; break;
        case AttrKind::None: c.state = State::Attr; break;
        }
        break;
    default: break;
    }
    return c;
}

std::vector<Escaper> escapersFor(Context& c) {
    std::vector<Escaper> e;
    switch (c.state) {
    case State::Url:
    case State::CssDqStr:
    case State::CssSqStr:
    case State::CssDqUrl:
    case State::CssSqUrl:
    case State::CssUrl:
        switch (c.urlPart) {
        case UrlPart::None:
            e.push_back(Escaper::UrlFilter);
            [[fallthrough]];
        case UrlPart::PreQuery:
            e.push_back(c.state == State::CssDqStr || c.state == State::CssSqStr ? Escaper::CssString : Escaper::UrlNormalizer);
            break;
        case UrlPart::QueryOrFrag: e.push_back(Escaper::UrlEscaper); break;
        case UrlPart::Unknown: throw TemplateError("action appears in an ambiguous context within a URL");
        }
        break;
    case State::Js:
        e.push_back(Escaper::JsValue);
        c.jsCtx = JsCtx::DivOp;  // A slash after a value divides.
        break;
    case State::JsDqStr:
    case State::JsSqStr: e.push_back(Escaper::JsString); break;
    case State::JsTmplLit: e.push_back(Escaper::JsTemplate); break;
    case State::JsRegexp: e.push_back(Escaper::JsRegexp); break;
    case State::Css: e.push_back(Escaper::CssValue); break;
    case State::Text: e.push_back(Escaper::Html); break;
    case State::Rcdata: e.push_back(Escaper::Rcdata); break;
    case State::Attr: break;  // The delimiter escaper below does it.
    case State::AttrName:
    case State::Tag:
        c.state = State::AttrName;
        e.push_back(Escaper::HtmlName);
        break;
    case State::Srcset: e.push_back(Escaper::Srcset); break;
    case State::HtmlCmt:
    case State::JsBlockCmt:
    case State::JsLineCmt:
    case State::CssBlockCmt:
    case State::CssLineCmt:
        return {Escaper::Comment};
    case State::AfterName:
    case State::BeforeValue: throw TemplateError("action in an unexpected attribute context");
    }
    if (c.delim == Delim::SpaceOrTagEnd) e.push_back(Escaper::NoSpace);
    else if (c.delim != Delim::None) e.push_back(Escaper::Attr);
    return e;
}

bool join(const Context& a, const Context& b, Context& joined) {
    if (a == b) {
        joined = a;
        return true;
    }
    Context x = a, y = b;
    x.urlPart = y.urlPart = UrlPart::None;
    if (x == y) {
        joined = a;
        joined.urlPart = UrlPart::Unknown;
        return true;
    }
    x = a;
    y = b;
    x.jsCtx = y.jsCtx = JsCtx::Regexp;
    if (x == y) {
        joined = a;
        joined.jsCtx = JsCtx::Unknown;
        return true;
    }
    // An action-free branch that ends right where the tag's attributes are read is equivalent
    // to the other branch's attribute-name state.
    x = nudge(a);
    y = nudge(b);
    if (x == y) {
        joined = x;
        return true;
    }
    return false;
}

}  // namespace tidings::kernel::tmpl
