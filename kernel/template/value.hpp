// The data a template renders: a small, immutable, JSON-shaped value with two additions Go
// templates need — "safe HTML" strings (what listmonk's `Safe` returns, Go's template.HTML) and
// function values (so `.L.T "key"` can call a method-like field).
//
// Values are cheap to copy: scalars are held inline, strings, lists, maps and functions are
// shared immutable nodes (std::shared_ptr<const ...>). A Value built once per campaign (the
// campaign fields) and one built per subscriber can be combined into the dot without copying
// either. Nothing here is mutable after construction, so a Value may be read from many threads.
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace tidings::kernel::tmpl {

class Value;

/// A callable value or template function. Receives the evaluated arguments; returns the
/// result. May throw (TemplateError or any std::exception) to abort rendering, as a Go
/// function returning a non-nil error does.
using Function = std::function<Value(std::span<const Value>)>;

class Value {
public:
    enum class Kind { Null, Bool, Int, Double, String, SafeHtml, List, Map, Func };

    using List = std::vector<Value>;
    /// Entries sorted by key (Go ranges over maps in key order, and lookups binary-search).
    using Entries = std::vector<std::pair<std::string, Value>>;

    struct MapNode {
        Entries entries;
        /// A "record" stands for a Go struct: reading a field it lacks is an error
        /// ("can't evaluate field X"), where a map just yields no value.
        bool record = false;
    };

    Value() = default;
    Value(std::nullptr_t) {}
    Value(bool b) : v_(b) {}
    Value(int i) : v_(static_cast<std::int64_t>(i)) {}
    Value(long i) : v_(static_cast<std::int64_t>(i)) {}
    Value(long long i) : v_(static_cast<std::int64_t>(i)) {}
    Value(unsigned i) : v_(static_cast<std::int64_t>(i)) {}
    Value(double d) : v_(d) {}
    Value(const char* s) : v_(Str{std::make_shared<const std::string>(s)}) {}
    Value(std::string s) : v_(Str{std::make_shared<const std::string>(std::move(s))}) {}
    Value(std::string_view s) : v_(Str{std::make_shared<const std::string>(s)}) {}

    /// A string that HTML templates print without escaping in element content (Go's
    /// template.HTML). Other contexts (attributes, URLs, scripts) still treat it as data.
    static Value safeHtml(std::string html);
    static Value list(List items);
    static Value list(std::initializer_list<Value> items) { return list(List(items)); }
    /// Builds a map; later duplicates of a key win.
    static Value map(Entries entries);
    static Value map(std::initializer_list<std::pair<std::string, Value>> entries) {
        return map(Entries(entries));
    }
    /// Like map(), but missing fields are render errors (see MapNode::record).
    static Value record(Entries entries);
    static Value function(Function fn);

    Kind kind() const { return static_cast<Kind>(kindIndex()); }
    bool isNull() const { return v_.index() == 0; }
    bool isString() const { return kind() == Kind::String || kind() == Kind::SafeHtml; }
    bool isNumber() const { return kind() == Kind::Int || kind() == Kind::Double; }

    bool asBool() const { return std::get<bool>(v_); }
    std::int64_t asInt() const { return std::get<std::int64_t>(v_); }
    double asDouble() const { return std::get<double>(v_); }
    /// Int or Double as double.
    double number() const { return kind() == Kind::Int ? static_cast<double>(asInt()) : asDouble(); }
    /// The text of a String or SafeHtml value; an empty string for anything else.
    const std::string& str() const;
    const List& items() const;            ///< Empty for non-lists.
    const Entries& entries() const;       ///< Empty for non-maps.
    bool isRecord() const;
    const Function& func() const;         ///< Throws std::bad_variant_access if not a function.

    /// Map lookup; nullptr when absent or when this is not a map.
    const Value* find(std::string_view key) const;

    /// Go's truth: false, 0, nil, and empty strings, lists and maps are false.
    bool truthy() const;

    /// Go-name of the kind, for error messages ("string", "int", "map", ...).
    std::string_view typeName() const;

private:
    struct Str { std::shared_ptr<const std::string> s; };
    struct Safe { std::shared_ptr<const std::string> s; };
    struct ListRef { std::shared_ptr<const List> l; };
    struct MapRef { std::shared_ptr<const MapNode> m; };
    struct FuncRef { std::shared_ptr<const Function> f; };

    std::size_t kindIndex() const { return v_.index(); }

    std::variant<std::monostate, bool, std::int64_t, double, Str, Safe, ListRef, MapRef, FuncRef> v_;
};

}  // namespace tidings::kernel::tmpl
