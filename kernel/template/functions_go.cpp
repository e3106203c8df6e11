// Go's text/template built-in functions, and the FunctionTable itself.
#include <charconv>
#include <cstdlib>

#include "kernel/template/escape_functions.hpp"
#include "kernel/template/format.hpp"
#include "kernel/template/functions.hpp"
#include "kernel/template/template_error.hpp"

namespace tidings::kernel::tmpl {

FunctionTable& FunctionTable::add(std::string name, Function fn) {
    functions_.insert_or_assign(std::move(name), std::move(fn));
    return *this;
}

FunctionTable& FunctionTable::merge(const FunctionTable& other) {
    for (const auto& [name, fn] : other.functions_) functions_.insert_or_assign(name, fn);
    return *this;
}

const Function* FunctionTable::find(std::string_view name) const {
    auto it = functions_.find(name);
    return it == functions_.end() ? nullptr : &it->second;
}

const FunctionTable& FunctionTable::builtins() {
    static const FunctionTable table = [] {
        FunctionTable t;
        addGoBuiltins(t);
        addSprigFunctions(t);
        return t;
    }();
    return table;
}

void requireArgs(std::string_view name, std::span<const Value> args, std::size_t min, std::size_t max) {
    if (args.size() < min || args.size() > max) {
        std::string want = min == max ? std::to_string(min) : "at least " + std::to_string(min);
        throw TemplateError("wrong number of args for " + std::string(name) + ": want " + want + " got " +
                            std::to_string(args.size()));
    }
}

std::string toText(const Value& v) {
    if (v.isString()) return v.str();
    std::string out;
    appendValue(out, v);
    return out;
}

std::int64_t toInt(const Value& v) {
    switch (v.kind()) {
    case Value::Kind::Int: return v.asInt();
    case Value::Kind::Double: return static_cast<std::int64_t>(v.asDouble());
    case Value::Kind::Bool: return v.asBool() ? 1 : 0;
    case Value::Kind::String:
    case Value::Kind::SafeHtml: {
        const std::string& s = v.str();
        std::int64_t i = 0;
        auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), i);
        if (ec == std::errc() && p == s.data() + s.size()) return i;
        char* end = nullptr;
        double d = std::strtod(s.c_str(), &end);
        return end != s.c_str() && *end == '\0' ? static_cast<std::int64_t>(d) : 0;
    }
    default: return 0;
    }
}

double toFloat(const Value& v) {
    switch (v.kind()) {
    case Value::Kind::Int: return static_cast<double>(v.asInt());
    case Value::Kind::Double: return v.asDouble();
    case Value::Kind::Bool: return v.asBool() ? 1 : 0;
    case Value::Kind::String:
    case Value::Kind::SafeHtml: {
        char* end = nullptr;
        double d = std::strtod(v.str().c_str(), &end);
        return end != v.str().c_str() && *end == '\0' ? d : 0;
    }
    default: return 0;
    }
}

bool valuesEqual(const Value& a, const Value& b) {
    if (a.isNumber() && b.isNumber()) {
        if (a.kind() == Value::Kind::Int && b.kind() == Value::Kind::Int) return a.asInt() == b.asInt();
        return a.number() == b.number();
    }
    if (a.isString() && b.isString()) return a.str() == b.str();
    if (a.kind() == Value::Kind::Bool && b.kind() == Value::Kind::Bool) return a.asBool() == b.asBool();
    if (a.isNull() || b.isNull()) return a.isNull() && b.isNull();
    if (a.kind() == Value::Kind::List || a.kind() == Value::Kind::Map || a.kind() == Value::Kind::Func) {
        throw TemplateError("error calling eq: non-comparable type " + std::string(a.typeName()));
    }
    throw TemplateError("error calling eq: incompatible types for comparison");
}

int compareValues(const Value& a, const Value& b) {
    if (a.isNumber() && b.isNumber()) {
        if (a.kind() == Value::Kind::Int && b.kind() == Value::Kind::Int) {
            return a.asInt() < b.asInt() ? -1 : a.asInt() > b.asInt() ? 1 : 0;
        }
        double x = a.number(), y = b.number();
        return x < y ? -1 : x > y ? 1 : 0;
    }
    if (a.isString() && b.isString()) {
        int c = a.str().compare(b.str());
        return c < 0 ? -1 : c > 0 ? 1 : 0;
    }
    if (a.kind() != b.kind()) throw TemplateError("incompatible types for comparison");
    throw TemplateError("invalid type for comparison");
}

namespace {

Value indexInto(const Value& item, const Value& key) {
    switch (item.kind()) {
    case Value::Kind::List: {
        if (!key.isNumber()) throw TemplateError("error calling index: cannot index slice/array with type " + std::string(key.typeName()));
        std::int64_t i = toInt(key);
        if (i < 0 || static_cast<std::size_t>(i) >= item.items().size()) {
            throw TemplateError("error calling index: index out of range: " + std::to_string(i));
        }
        return item.items()[static_cast<std::size_t>(i)];
    }
    case Value::Kind::String:
    case Value::Kind::SafeHtml: {
        std::int64_t i = toInt(key);
        if (i < 0 || static_cast<std::size_t>(i) >= item.str().size()) {
            throw TemplateError("error calling index: index out of range: " + std::to_string(i));
        }
        return Value(static_cast<std::int64_t>(static_cast<unsigned char>(item.str()[static_cast<std::size_t>(i)])));
    }
    case Value::Kind::Map: {
        if (!key.isString()) throw TemplateError("error calling index: value has type " + std::string(key.typeName()) + "; should be string");
        const Value* v = item.find(key.str());
        return v ? *v : Value();
    }
    case Value::Kind::Null: throw TemplateError("error calling index: index of untyped nil");
    default: throw TemplateError("error calling index: can't index item of type " + std::string(item.typeName()));
    }
}

}  // namespace

void addGoBuiltins(FunctionTable& t) {
    // and/or are evaluated lazily by the renderer; these serve calls through `call` only.
    t.add("and", [](std::span<const Value> a) {
        requireArgs("and", a, 1, SIZE_MAX);
        for (const auto& v : a) {
            if (!v.truthy()) return v;
        }
        return a.back();
    });
    t.add("or", [](std::span<const Value> a) {
        requireArgs("or", a, 1, SIZE_MAX);
        for (const auto& v : a) {
            if (v.truthy()) return v;
        }
        return a.back();
    });
    t.add("not", [](std::span<const Value> a) {
        requireArgs("not", a, 1, 1);
        return Value(!a[0].truthy());
    });
    t.add("len", [](std::span<const Value> a) {
        requireArgs("len", a, 1, 1);
        switch (a[0].kind()) {
        case Value::Kind::String:
        case Value::Kind::SafeHtml: return Value(static_cast<std::int64_t>(a[0].str().size()));
        case Value::Kind::List: return Value(static_cast<std::int64_t>(a[0].items().size()));
        case Value::Kind::Map: return Value(static_cast<std::int64_t>(a[0].entries().size()));
        default: throw TemplateError("error calling len: len of type " + std::string(a[0].typeName()));
        }
    });
    t.add("index", [](std::span<const Value> a) {
        requireArgs("index", a, 1, SIZE_MAX);
        Value item = a[0];
        for (std::size_t i = 1; i < a.size(); ++i) item = indexInto(item, a[i]);
        return item;
    });
    t.add("slice", [](std::span<const Value> a) {
        requireArgs("slice", a, 1, 4);
        const Value& item = a[0];
        std::size_t len = item.isString() ? item.str().size() : item.items().size();
        if (!item.isString() && item.kind() != Value::Kind::List) {
            throw TemplateError("error calling slice: can't slice item of type " + std::string(item.typeName()));
        }
        std::int64_t lo = a.size() > 1 ? toInt(a[1]) : 0;
        std::int64_t hi = a.size() > 2 ? toInt(a[2]) : static_cast<std::int64_t>(len);
        if (lo < 0 || hi < lo || hi > static_cast<std::int64_t>(len)) {
            throw TemplateError("error calling slice: index out of range: " + std::to_string(hi));
        }
        if (item.isString()) return Value(item.str().substr(static_cast<std::size_t>(lo), static_cast<std::size_t>(hi - lo)));
        return Value::list(Value::List(item.items().begin() + lo, item.items().begin() + hi));
    });
    t.add("print", [](std::span<const Value> a) { return Value(sprint(a)); });
    t.add("println", [](std::span<const Value> a) { return Value(sprintln(a)); });
    t.add("printf", [](std::span<const Value> a) {
        requireArgs("printf", a, 1, SIZE_MAX);
        return Value(sprintf(toText(a[0]), a.subspan(1)));
    });
    t.add("html", [](std::span<const Value> a) {
        std::string out;
        appendHtmlEscapedGo(out, sprint(a));
        return Value(std::move(out));
    });
    t.add("js", [](std::span<const Value> a) {
        std::string out;
        appendJsEscapedGo(out, sprint(a));
        return Value(std::move(out));
    });
    t.add("urlquery", [](std::span<const Value> a) {
        std::string out;
        appendQueryEscaped(out, sprint(a));
        return Value(std::move(out));
    });
    t.add("eq", [](std::span<const Value> a) {
        requireArgs("eq", a, 2, SIZE_MAX);
        for (std::size_t i = 1; i < a.size(); ++i) {
            if (valuesEqual(a[0], a[i])) return Value(true);
        }
        return Value(false);
    });
    t.add("ne", [](std::span<const Value> a) {
        requireArgs("ne", a, 2, 2);
        return Value(!valuesEqual(a[0], a[1]));
    });
    t.add("lt", [](std::span<const Value> a) {
        requireArgs("lt", a, 2, 2);
        return Value(compareValues(a[0], a[1]) < 0);
    });
    t.add("le", [](std::span<const Value> a) {
        requireArgs("le", a, 2, 2);
        return Value(compareValues(a[0], a[1]) <= 0);
    });
    t.add("gt", [](std::span<const Value> a) {
        requireArgs("gt", a, 2, 2);
        return Value(compareValues(a[0], a[1]) > 0);
    });
    t.add("ge", [](std::span<const Value> a) {
        requireArgs("ge", a, 2, 2);
        return Value(compareValues(a[0], a[1]) >= 0);
    });
    t.add("call", [](std::span<const Value> a) {
        requireArgs("call", a, 1, SIZE_MAX);
        if (a[0].kind() != Value::Kind::Func) throw TemplateError("error calling call: non-function of type " + std::string(a[0].typeName()));
        return a[0].func()(a.subspan(1));
    });
}

}  // namespace tidings::kernel::tmpl
