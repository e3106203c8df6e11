#include "kernel/template/parser.hpp"

#include <algorithm>
#include <charconv>
#include <cstdlib>

#include "kernel/template/template_error.hpp"

namespace tidings::kernel::tmpl {

namespace {

std::string describe(const Token& t) {
    switch (t.type) {
    case Tok::Eof: return "EOF";
    case Tok::Right: return "\"}}\"";
    case Tok::Left: return "\"{{\"";
    case Tok::Space: return "space";
    case Tok::Text: return "text";
    case Tok::String: return "quoted string";
    case Tok::Keyword: return "<" + t.text + ">";
    default: return "\"" + t.text + "\"";
    }
}

Value parseNumber(const std::string& text, bool& ok) {
    std::string s;
    for (char c : text) {
        if (c != '_') s += c;
    }
    ok = true;
    bool negative = !s.empty() && s[0] == '-';
    std::string_view body(s);
    if (!body.empty() && (body[0] == '-' || body[0] == '+')) body.remove_prefix(1);
    bool hex = body.size() > 1 && body[0] == '0' && (body[1] == 'x' || body[1] == 'X');
    bool isFloat = hex ? body.find_first_of(".pP") != std::string_view::npos
                       : body.find_first_of(".eE") != std::string_view::npos;
    if (!isFloat) {
        int base = 10;
        if (hex) {
            base = 16;
            body.remove_prefix(2);
        } else if (body.size() > 1 && body[0] == '0' && (body[1] == 'b' || body[1] == 'B')) {
            base = 2;
            body.remove_prefix(2);
        } else if (body.size() > 1 && body[0] == '0' && (body[1] == 'o' || body[1] == 'O')) {
            base = 8;
            body.remove_prefix(2);
        } else if (body.size() > 1 && body[0] == '0') {
            base = 8;  // Go's legacy octal literal 0755.
            body.remove_prefix(1);
        }
        std::int64_t v = 0;
        auto [p, ec] = std::from_chars(body.data(), body.data() + body.size(), v, base);
        if (ec == std::errc() && p == body.data() + body.size()) return Value(negative ? -v : v);
        if (ec != std::errc::result_out_of_range) {
            ok = false;
            return {};
        }
    }
    char* end = nullptr;
    double d = std::strtod(s.c_str(), &end);
    if (end != s.c_str() + s.size()) ok = false;
    return Value(d);
}

class Parser {
public:
    Parser(std::string_view name, std::vector<Token> tokens, const FunctionTable& functions)
        : name_(name), tokens_(std::move(tokens)), functions_(functions) {}

    ParsedSource run() {
        ParsedSource out;
        vars_ = {"$"};
        for (;;) {
            const Token& t = peek();
            if (t.type == Tok::Eof) break;
            if (t.type == Tok::Left && peekKeywordAfterLeft() == "define") {
                next();
                nextNonSpace();  // define
                parseDefine(out);
                continue;
            }
            std::string stop;
            NodeList part = parseList(stop, /*topLevel=*/true, out);
            for (auto& n : part) out.root.push_back(std::move(n));
            if (!stop.empty()) fail(stopPos_, "unexpected {{" + stop + "}}");
        }
        for (auto& d : blocks_) out.defines.push_back(std::move(d));
        return out;
    }

private:
    [[noreturn]] void fail(Pos p, const std::string& msg) const {
        throw TemplateError(std::string(name_), p.line, p.column, msg);
    }

    const Token& peek() const { return tokens_[pos_]; }
    const Token& next() { return tokens_[pos_ < tokens_.size() - 1 ? pos_++ : pos_]; }
    const Token& peekNonSpace() {
        while (tokens_[pos_].type == Tok::Space) ++pos_;
        return tokens_[pos_];
    }
    const Token& nextNonSpace() {
        peekNonSpace();
        return next();
    }
    std::string peekKeywordAfterLeft() const {
        std::size_t i = pos_ + 1;
        while (i < tokens_.size() && tokens_[i].type == Tok::Space) ++i;
        return i < tokens_.size() && tokens_[i].type == Tok::Keyword ? tokens_[i].text : std::string();
    }
    void expectRight(const char* context) {
        const Token& t = nextNonSpace();
        if (t.type != Tok::Right) fail(t.pos, std::string("unexpected ") + describe(t) + " in " + context);
    }
    std::string expectName(const char* context) {
        const Token& t = nextNonSpace();
        if (t.type != Tok::String) fail(t.pos, std::string("unexpected ") + describe(t) + " in " + context);
        return t.text;
    }

    bool defined(const std::string& var) const { return std::find(vars_.begin(), vars_.end(), var) != vars_.end(); }

    void parseDefine(ParsedSource& out) {
        std::string name = expectName("define clause");
        expectRight("define clause");
        auto saved = vars_;
        vars_ = {"$"};
        std::string stop;
        NodeList body = parseList(stop, false, out);
        if (stop != "end") fail(stopPos_, "unexpected " + (stop.empty() ? std::string("EOF") : "{{" + stop + "}}") + " in define clause");
        vars_ = std::move(saved);
        out.defines.emplace_back(std::move(name), std::move(body));
    }

    // Parses nodes until {{end}}, {{else ...}} or EOF; `stop` receives the keyword ("" at EOF).
    // On "else" the tokens after the keyword are left unread.
    NodeList parseList(std::string& stop, bool topLevel, ParsedSource& out) {
        NodeList list;
        for (;;) {
            const Token& t = next();
            if (t.type == Tok::Eof) {
                stop.clear();  // next() does not move past EOF, so the caller sees it too.
                stopPos_ = t.pos;
                return list;
            }
            if (t.type == Tok::Text) {
                Node n;
                n.kind = Node::Kind::Text;
                n.text = t.text;
                n.pos = t.pos;
                list.push_back(std::move(n));
                continue;
            }
            // t is Left.
            Pos actionPos = t.pos;
            const Token& k = peekNonSpace();
            if (k.type == Tok::Keyword) {
                std::string kw = k.text;
                if (kw == "end" || kw == "else") {
                    next();
                    stop = kw;
                    stopPos_ = actionPos;
                    if (kw == "end") expectRight("end");
                    return list;
                }
                next();
                if (kw == "define") {
                    if (!topLevel) fail(actionPos, "unexpected <define> in command");
                    parseDefine(out);
                    continue;
                }
                list.push_back(parseKeyword(kw, actionPos, out));
                continue;
            }
            Node n;
            n.kind = Node::Kind::Action;
            n.pos = actionPos;
            n.pipeline = parsePipeline("command", Tok::Right, false);
            list.push_back(std::move(n));
        }
    }

    Node parseKeyword(const std::string& kw, Pos pos, ParsedSource& out) {
        Node n;
        n.pos = pos;
        if (kw == "if" || kw == "with" || kw == "range") {
            n.kind = kw == "if" ? Node::Kind::If : kw == "with" ? Node::Kind::With : Node::Kind::Range;
            parseControl(n, kw, out);
        } else if (kw == "template" || kw == "block") {
            n.kind = Node::Kind::Template;
            n.text = expectName(kw == "block" ? "block clause" : "template clause");
            const Token& t = peekNonSpace();
            if (t.type != Tok::Right) n.pipeline = parsePipeline("template clause", Tok::Right, false);
            else next();
            if (kw == "block") {
                auto saved = vars_;
                vars_ = {"$"};
                std::string stop;
                NodeList body = parseList(stop, false, out);
                if (stop != "end") fail(stopPos_, "unexpected EOF in block clause");
                vars_ = std::move(saved);
                blocks_.emplace_back(n.text, std::move(body));
            }
        } else if (kw == "break" || kw == "continue") {
            if (rangeDepth_ == 0) fail(pos, "{{" + kw + "}} outside {{range}}");
            n.kind = kw == "break" ? Node::Kind::Break : Node::Kind::Continue;
            expectRight(kw.c_str());
        } else {
            fail(pos, "unexpected <" + kw + ">");
        }
        return n;
    }

    void parseControl(Node& n, const std::string& kw, ParsedSource& out) {
        std::size_t mark = vars_.size();
        n.pipeline = parsePipeline(kw.c_str(), Tok::Right, kw == "range" ? 2 : 1);
        if (kw == "range") ++rangeDepth_;
        std::string stop;
        n.body = parseList(stop, false, out);
        if (kw == "range") --rangeDepth_;
        if (stop.empty()) fail(n.pos, "unexpected EOF: {{" + kw + "}} has no {{end}}");
        if (stop == "else") {
            const Token& t = peekNonSpace();
            // `{{else if ...}}` / `{{else with ...}}` chain: the nested control owns the {{end}}.
            if (kw != "range" && t.type == Tok::Keyword && (t.text == "if" || t.text == "with")) {
                std::string nested = t.text;
                Pos p = t.pos;
                next();
                Node inner;
                inner.kind = nested == "if" ? Node::Kind::If : Node::Kind::With;
                inner.pos = p;
                vars_.resize(mark);
                parseControl(inner, nested, out);
                n.otherwise.push_back(std::move(inner));
                vars_.resize(mark);
                return;
            }
            expectRight("else");
            n.otherwise = parseList(stop, false, out);
            if (stop != "end") fail(stopPos_, stop.empty() ? "unexpected EOF" : "expected end; found {{" + stop + "}}");
        }
        vars_.resize(mark);
    }

    // `maxDecl`: how many variables the pipeline may declare (0: none allowed as a command).
    std::shared_ptr<const Pipeline> parsePipeline(const char* context, Tok end, int maxDecl) {
        auto pipe = std::make_shared<Pipeline>();
        pipe->pos = peekNonSpace().pos;
        // Declarations: $x := / $x = / $i, $v :=
        std::size_t save = pos_;
        if (peekNonSpace().type == Tok::Variable) {
            std::vector<std::string> names{next().text};
            bool isDecl = false;
            for (;;) {
                const Token& t = peekNonSpace();
                if (t.type == Tok::Declare || t.type == Tok::Assign) {
                    pipe->declare = t.type == Tok::Declare;
                    next();
                    isDecl = true;
                    break;
                }
                if (t.type == Tok::Comma && maxDecl == 2 && names.size() == 1) {
                    next();
                    const Token& v = nextNonSpace();
                    if (v.type != Tok::Variable) fail(v.pos, std::string("range can only initialize variables"));
                    names.push_back(v.text);
                    continue;
                }
                break;
            }
            if (isDecl) {
                if (names.size() > 1 && (!pipe->declare && maxDecl != 2)) fail(pipe->pos, "too many declarations in " + std::string(context));
                for (auto& v : names) {
                    if (pipe->declare) vars_.push_back(v);
                    else if (!defined(v)) fail(pipe->pos, "undefined variable \"" + v + "\"");
                }
                pipe->variables = std::move(names);
            } else {
                pos_ = save;
            }
        }
        for (;;) {
            const Token& t = peekNonSpace();
            if (t.type == end) {
                next();
                break;
            }
            if (t.type == Tok::Eof || t.type == Tok::Right || t.type == Tok::RightParen) {
                fail(t.pos, "unexpected " + describe(t) + " in " + context);
            }
            pipe->commands.push_back(parseCommand());
            const Token& after = peekNonSpace();
            if (after.type == Tok::Pipe) {
                next();
                if (peekNonSpace().type == end) fail(after.pos, "missing command after |");
            }
        }
        if (pipe->commands.empty()) fail(pipe->pos, std::string("missing value for ") + context);
        for (std::size_t i = 1; i < pipe->commands.size(); ++i) {
            const auto& first = pipe->commands[i].args[0];
            if (first.kind == Operand::Kind::Literal || first.kind == Operand::Kind::Nil || first.kind == Operand::Kind::Dot) {
                fail(first.pos, "non executable command in pipeline stage " + std::to_string(i + 1));
            }
        }
        return pipe;
    }

    Command parseCommand() {
        Command cmd;
        cmd.pos = peekNonSpace().pos;
        for (;;) {
            peekNonSpace();
            cmd.args.push_back(parseOperand());
            const Token& t = peek();
            if (t.type == Tok::Space) {
                const Token& n = peekNonSpace();
                if (n.type == Tok::Right || n.type == Tok::RightParen || n.type == Tok::Pipe) break;
                continue;
            }
            if (t.type == Tok::Right || t.type == Tok::RightParen || t.type == Tok::Pipe) break;
            fail(t.pos, "unexpected " + describe(t) + " in operand");
        }
        if (cmd.args.size() > 0 && cmd.args[0].kind == Operand::Kind::Nil) fail(cmd.pos, "nil is not a command");
        return cmd;
    }

    Operand parseOperand() {
        const Token& t = next();
        Operand op;
        op.pos = t.pos;
        switch (t.type) {
        case Tok::Identifier: {
            op.kind = Operand::Kind::Function;
            op.name = t.text;
            op.function = functions_.find(t.text);
            if (!op.function) fail(t.pos, "function \"" + t.text + "\" not defined");
            if (t.text == "and") op.special = Special::And;
            if (t.text == "or") op.special = Special::Or;
            break;
        }
        case Tok::Dot: op.kind = Operand::Kind::Dot; break;
        case Tok::Nil: op.kind = Operand::Kind::Nil; break;
        case Tok::Field:
            op.kind = Operand::Kind::Field;
            op.fields.push_back(t.text);
            break;
        case Tok::Variable:
            if (!defined(t.text)) fail(t.pos, "undefined variable \"" + t.text + "\"");
            op.kind = Operand::Kind::Variable;
            op.name = t.text;
            break;
        case Tok::Bool:
            op.kind = Operand::Kind::Literal;
            op.literal = Value(t.text == "true");
            break;
        case Tok::String:
            op.kind = Operand::Kind::Literal;
            op.literal = Value(t.text);
            break;
        case Tok::Char:
            op.kind = Operand::Kind::Literal;
            op.literal = Value(static_cast<std::int64_t>(std::stoll(t.text)));
            break;
        case Tok::Number: {
            bool ok = false;
            op.kind = Operand::Kind::Literal;
            op.literal = parseNumber(t.text, ok);
            if (!ok) fail(t.pos, "illegal number syntax: \"" + t.text + "\"");
            break;
        }
        case Tok::LeftParen:
            op.kind = Operand::Kind::Group;
            op.group = parsePipeline("parenthesized pipeline", Tok::RightParen, 0);
            break;
        default:
            fail(t.pos, "unexpected " + describe(t) + " in operand");
        }
        // A field chain directly after the term: .A.B, $x.A, (pipe).A, fn.A
        while (peek().type == Tok::Field) {
            if (op.kind == Operand::Kind::Literal || op.kind == Operand::Kind::Nil || op.kind == Operand::Kind::Dot) {
                fail(peek().pos, "unexpected . after term \"" + tokens_[pos_ - 1].text + "\"");
            }
            op.fields.push_back(next().text);
        }
        return op;
    }

    std::string_view name_;
    std::vector<Token> tokens_;
    const FunctionTable& functions_;
    std::size_t pos_ = 0;
    std::vector<std::string> vars_;
    int rangeDepth_ = 0;
    Pos stopPos_;
    std::vector<std::pair<std::string, NodeList>> blocks_;
};

}  // namespace

ParsedSource parse(std::string_view name, std::string_view source, const FunctionTable& functions) {
    return Parser(name, lex(name, source), functions).run();
}

}  // namespace tidings::kernel::tmpl
