#include "kernel/template/template_parser.hpp"

#include <cctype>
#include <cstdlib>

#include "kernel/template/template_set.hpp"

namespace tidings::kernel::tmpl {
namespace {

struct Token {
    enum class Kind { Field, Variable, Identifier, String, Number, LeftParen, RightParen, Pipe, Declare, Assign, End };
    Kind kind = Kind::End;
    std::string text;
    int column = 0;
};

/// Parses a template: splits text from actions, tokenises actions, and builds the node tree with
/// a stack of open blocks.
class Parser {
public:
    Parser(const std::string& name, const std::string& text) : name_(name), text_(text) {}

    Parsed run() {
        Parsed out;
        out.root = std::make_shared<Node>();
        std::vector<Frame> stack{{out.root, nullptr, ""}};
        std::size_t pos = 0;
        bool trim_next_text = false;
        while (pos < text_.size()) {
            std::size_t open = text_.find("{{", pos);
            std::string literal = text_.substr(pos, open == std::string::npos ? std::string::npos : open - pos);
            bool trim_before = open != std::string::npos && open + 2 < text_.size() && text_[open + 2] == '-' &&
                               open + 3 < text_.size() && std::isspace(static_cast<unsigned char>(text_[open + 3]));
            if (trim_next_text) literal.erase(0, literal.find_first_not_of(" \t\r\n") == std::string::npos
                                                      ? literal.size()
                                                      : literal.find_first_not_of(" \t\r\n"));
            if (trim_before) {
                auto last = literal.find_last_not_of(" \t\r\n");
                literal.erase(last == std::string::npos ? 0 : last + 1);
            }
            if (!literal.empty()) {
                auto node = std::make_shared<Node>();
                node->kind = Node::Kind::Text;
                node->text = std::move(literal);
                current(stack)->children.push_back(node);
            }
            if (open == std::string::npos) break;
            std::size_t start = open + 2 + (trim_before ? 1 : 0);
            std::size_t close = text_.find("}}", start);
            if (close == std::string::npos) fail(open, "unclosed action");
            bool trim_after = close > start && text_[close - 1] == '-' && close >= 2 &&
                              std::isspace(static_cast<unsigned char>(text_[close - 2]));
            std::size_t end = trim_after ? close - 1 : close;
            action(stack, out, start, end);
            trim_next_text = trim_after;
            pos = close + 2;
        }
        if (stack.size() > 1) fail(text_.size(), "unexpected end of template: missing {{ end }} for " + stack.back().keyword);
        return out;
    }

private:
    struct Frame {
        std::shared_ptr<Node> block;   // the If/Range/With/define node
        std::shared_ptr<Node> target;  // where children go now (body or else list)
        std::string keyword;
    };

    static std::shared_ptr<Node> current(std::vector<Frame>& stack) {
        return stack.back().target ? stack.back().target : stack.back().block;
    }

    [[noreturn]] void fail(std::size_t offset, const std::string& message) const {
        int line = 1, column = 1;
        for (std::size_t i = 0; i < offset && i < text_.size(); ++i) {
            if (text_[i] == '\n') {
                ++line;
                column = 1;
            } else {
                ++column;
            }
        }
        throw TemplateError(name_ + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + message);
    }

    std::vector<Token> tokenize(std::size_t start, std::size_t end) const {
        std::vector<Token> tokens;
        std::size_t i = start;
        auto ident = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
        while (i < end) {
            char c = text_[i];
            if (std::isspace(static_cast<unsigned char>(c))) {
                ++i;
                continue;
            }
            Token t;
            t.column = static_cast<int>(i);
            if (c == '.' ) {
                std::size_t j = i + 1;
                while (j < end && (ident(text_[j]) || text_[j] == '.')) ++j;
                t.kind = Token::Kind::Field;
                t.text = text_.substr(i, j - i);
                i = j;
            } else if (c == '$') {
                std::size_t j = i + 1;
                while (j < end && (ident(text_[j]) || text_[j] == '.')) ++j;
                t.kind = Token::Kind::Variable;
                t.text = text_.substr(i, j - i);
                i = j;
            } else if (c == '"' || c == '`') {
                std::size_t j = i + 1;
                std::string value;
                while (j < end && text_[j] != c) {
                    if (c == '"' && text_[j] == '\\' && j + 1 < end) {
                        char e = text_[++j];
                        value.push_back(e == 'n' ? '\n' : e == 't' ? '\t' : e);
                    } else {
                        value.push_back(text_[j]);
                    }
                    ++j;
                }
                if (j >= end) fail(i, "unterminated string");
                t.kind = Token::Kind::String;
                t.text = value;
                i = j + 1;
            } else if (std::isdigit(static_cast<unsigned char>(c)) || (c == '-' && i + 1 < end && std::isdigit(static_cast<unsigned char>(text_[i + 1])))) {
                std::size_t j = i + 1;
                while (j < end && (std::isdigit(static_cast<unsigned char>(text_[j])) || text_[j] == '.')) ++j;
                t.kind = Token::Kind::Number;
                t.text = text_.substr(i, j - i);
                i = j;
            } else if (ident(c)) {
                std::size_t j = i;
                while (j < end && ident(text_[j])) ++j;
                t.kind = Token::Kind::Identifier;
                t.text = text_.substr(i, j - i);
                i = j;
            } else if (c == '(' || c == ')' || c == '|') {
                t.kind = c == '(' ? Token::Kind::LeftParen : c == ')' ? Token::Kind::RightParen : Token::Kind::Pipe;
                ++i;
            } else if (c == ':' && i + 1 < end && text_[i + 1] == '=') {
                t.kind = Token::Kind::Declare;
                i += 2;
            } else if (c == '=') {
                t.kind = Token::Kind::Assign;
                ++i;
            } else {
                fail(i, std::string("unexpected character '") + c + "' in action");
            }
            tokens.push_back(std::move(t));
        }
        Token end_token;
        end_token.column = static_cast<int>(end);
        tokens.push_back(end_token);
        return tokens;
    }

    static std::vector<std::string> splitFields(const std::string& chain) {
        std::vector<std::string> out;
        std::size_t start = 0;
        while (start < chain.size()) {
            auto dot = chain.find('.', start);
            if (dot == std::string::npos) dot = chain.size();
            if (dot > start) out.push_back(chain.substr(start, dot - start));
            start = dot + 1;
        }
        return out;
    }

    std::shared_ptr<Pipeline> pipeline(const std::vector<Token>& tokens, std::size_t& i) const {
        auto p = std::make_shared<Pipeline>();
        p->column = tokens[i].column;
        if (tokens[i].kind == Token::Kind::Variable && (tokens[i + 1].kind == Token::Kind::Declare ||
                                                        tokens[i + 1].kind == Token::Kind::Assign)) {
            p->variable = tokens[i].text;
            p->declare = tokens[i + 1].kind == Token::Kind::Declare;
            i += 2;
        }
        while (true) {
            Command cmd;
            while (tokens[i].kind != Token::Kind::End && tokens[i].kind != Token::Kind::Pipe &&
                   tokens[i].kind != Token::Kind::RightParen) {
                cmd.args.push_back(operand(tokens, i));
            }
            if (cmd.args.empty()) fail(static_cast<std::size_t>(tokens[i].column), "missing value in pipeline");
            p->commands.push_back(std::move(cmd));
            if (tokens[i].kind != Token::Kind::Pipe) break;
            ++i;
        }
        return p;
    }

    Arg operand(const std::vector<Token>& tokens, std::size_t& i) const {
        const Token& t = tokens[i++];
        Arg a;
        switch (t.kind) {
        case Token::Kind::Field:
            a.kind = t.text == "." ? Arg::Kind::Dot : Arg::Kind::Field;
            a.fields = splitFields(t.text);
            break;
        case Token::Kind::Variable: {
            a.kind = Arg::Kind::Variable;
            auto dot = t.text.find('.');
            a.name = t.text.substr(0, dot);
            if (dot != std::string::npos) a.fields = splitFields(t.text.substr(dot));
            break;
        }
        case Token::Kind::String:
            a.kind = Arg::Kind::String;
            a.text = t.text;
            break;
        case Token::Kind::Number:
            a.kind = Arg::Kind::Number;
            a.number = std::strtod(t.text.c_str(), nullptr);
            break;
        case Token::Kind::Identifier:
            if (t.text == "true" || t.text == "false") {
                a.kind = Arg::Kind::Bool;
                a.boolean = t.text == "true";
            } else if (t.text == "nil") {
                a.kind = Arg::Kind::Nil;
            } else {
                static const char* known[] = {"eq", "ne", "lt", "le", "gt", "ge", "not", "and", "or", "len"};
                bool ok = false;
                for (const char* k : known) ok = ok || t.text == k;
                if (!ok) fail(static_cast<std::size_t>(t.column), "function \"" + t.text + "\" not defined");
                a.kind = Arg::Kind::Identifier;
                a.name = t.text;
            }
            break;
        case Token::Kind::LeftParen:
            a.kind = Arg::Kind::Group;
            a.group = pipeline(tokens, i);
            if (tokens[i].kind != Token::Kind::RightParen) fail(static_cast<std::size_t>(tokens[i].column), "missing )");
            ++i;
            break;
        default:
            fail(static_cast<std::size_t>(t.column), "unexpected token in action");
        }
        return a;
    }

    void action(std::vector<Frame>& stack, Parsed& out, std::size_t start, std::size_t end) {
        // Comments: {{/* ... */}}
        std::size_t first = text_.find_first_not_of(" \t\r\n", start);
        if (first != std::string::npos && first < end && text_.compare(first, 2, "/*") == 0) return;
        auto tokens = tokenize(start, end);
        std::size_t i = 0;
        const Token& head = tokens[0];
        auto block = [&](Node::Kind kind, const std::string& keyword) {
            auto node = std::make_shared<Node>();
            node->kind = kind;
            ++i;
            node->pipeline = pipeline(tokens, i);
            current(stack)->children.push_back(node);
            stack.push_back({node, nullptr, keyword});
        };
        if (head.kind == Token::Kind::Identifier) {
            if (head.text == "if") return block(Node::Kind::If, "if");
            if (head.text == "range") return block(Node::Kind::Range, "range");
            if (head.text == "with") return block(Node::Kind::With, "with");
            if (head.text == "else") {
                if (stack.size() < 2 || stack.back().target) fail(start, "unexpected {{ else }}");
                Frame& frame = stack.back();
                frame.block->otherwise = std::make_shared<Node>();
                frame.target = frame.block->otherwise;
                if (tokens[1].kind == Token::Kind::Identifier && (tokens[1].text == "if" || tokens[1].text == "with")) {
                    // `else if` nests a new block that the single {{ end }} closes too.
                    auto node = std::make_shared<Node>();
                    node->kind = tokens[1].text == "if" ? Node::Kind::If : Node::Kind::With;
                    i = 2;
                    node->pipeline = pipeline(tokens, i);
                    frame.target->children.push_back(node);
                    stack.push_back({node, nullptr, "else-chain"});
                }
                return;
            }
            if (head.text == "end") {
                if (stack.size() < 2) fail(start, "unexpected {{ end }}");
                while (stack.back().keyword == "else-chain") stack.pop_back();
                stack.pop_back();
                return;
            }
            if (head.text == "define") {
                if (tokens[1].kind != Token::Kind::String) fail(start, "define needs a quoted name");
                auto node = std::make_shared<Node>();
                out.defines[tokens[1].text] = node;
                stack.push_back({node, nullptr, "define"});
                return;
            }
            if (head.text == "template") {
                if (tokens[1].kind != Token::Kind::String) fail(start, "template needs a quoted name");
                auto node = std::make_shared<Node>();
                node->kind = Node::Kind::Template;
                node->text = tokens[1].text;
                i = 2;
                if (tokens[i].kind != Token::Kind::End) node->pipeline = pipeline(tokens, i);
                current(stack)->children.push_back(node);
                return;
            }
            if (head.text == "break" || head.text == "continue") {
                auto node = std::make_shared<Node>();
                node->kind = head.text == "break" ? Node::Kind::Break : Node::Kind::Continue;
                current(stack)->children.push_back(node);
                return;
            }
        }
        auto node = std::make_shared<Node>();
        node->kind = Node::Kind::Action;
        node->pipeline = pipeline(tokens, i);
        if (tokens[i].kind != Token::Kind::End) fail(start, "unexpected text after the pipeline");
        current(stack)->children.push_back(node);
    }

    const std::string& name_;
    const std::string& text_;
};

}  // namespace

Parsed parse(const std::string& name, const std::string& text) { return Parser(name, text).run(); }

}  // namespace tidings::kernel::tmpl
