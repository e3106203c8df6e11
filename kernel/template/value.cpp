#include "kernel/template/value.hpp"

#include <algorithm>

namespace tidings::kernel::tmpl {

namespace {
const std::string kEmptyString;
const Value::List kEmptyList;
const Value::Entries kEmptyEntries;

std::shared_ptr<const Value::MapNode> makeMap(Value::Entries entries, bool record) {
    // Stable sort keeps insertion order among equal keys, so the last duplicate can win.
    std::stable_sort(entries.begin(), entries.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    Value::Entries unique;
    unique.reserve(entries.size());
    for (auto& e : entries) {
        if (!unique.empty() && unique.back().first == e.first) {
            unique.back().second = std::move(e.second);
        } else {
            unique.push_back(std::move(e));
        }
    }
    auto node = std::make_shared<Value::MapNode>();
    node->entries = std::move(unique);
    node->record = record;
    return node;
}
}  // namespace

Value Value::safeHtml(std::string html) {
    Value v;
    v.v_ = Safe{std::make_shared<const std::string>(std::move(html))};
    return v;
}

Value Value::list(List items) {
    Value v;
    v.v_ = ListRef{std::make_shared<const List>(std::move(items))};
    return v;
}

Value Value::map(Entries entries) {
    Value v;
    v.v_ = MapRef{makeMap(std::move(entries), false)};
    return v;
}

Value Value::record(Entries entries) {
    Value v;
    v.v_ = MapRef{makeMap(std::move(entries), true)};
    return v;
}

Value Value::function(Function fn) {
    Value v;
    v.v_ = FuncRef{std::make_shared<const Function>(std::move(fn))};
    return v;
}

const std::string& Value::str() const {
    if (auto* s = std::get_if<Str>(&v_)) return *s->s;
    if (auto* s = std::get_if<Safe>(&v_)) return *s->s;
    return kEmptyString;
}

const Value::List& Value::items() const {
    if (auto* l = std::get_if<ListRef>(&v_)) return *l->l;
    return kEmptyList;
}

const Value::Entries& Value::entries() const {
    if (auto* m = std::get_if<MapRef>(&v_)) return m->m->entries;
    return kEmptyEntries;
}

bool Value::isRecord() const {
    auto* m = std::get_if<MapRef>(&v_);
    return m && m->m->record;
}

const Function& Value::func() const { return *std::get<FuncRef>(v_).f; }

const Value* Value::find(std::string_view key) const {
    auto* m = std::get_if<MapRef>(&v_);
    if (!m) return nullptr;
    const auto& e = m->m->entries;
    auto it = std::lower_bound(e.begin(), e.end(), key,
                               [](const auto& entry, std::string_view k) { return entry.first < k; });
    return it != e.end() && it->first == key ? &it->second : nullptr;
}

bool Value::truthy() const {
    switch (kind()) {
    case Kind::Null: return false;
    case Kind::Bool: return asBool();
    case Kind::Int: return asInt() != 0;
    case Kind::Double: return asDouble() != 0;
    case Kind::String:
    case Kind::SafeHtml: return !str().empty();
    case Kind::List: return !items().empty();
    case Kind::Map: return !entries().empty();
    case Kind::Func: return true;
    }
    return false;
}

std::string_view Value::typeName() const {
    switch (kind()) {
    case Kind::Null: return "nil";
    case Kind::Bool: return "bool";
    case Kind::Int: return "int";
    case Kind::Double: return "float64";
    case Kind::String: return "string";
    case Kind::SafeHtml: return "template.HTML";
    case Kind::List: return "slice";
    case Kind::Map: return isRecord() ? "struct" : "map";
    case Kind::Func: return "func";
    }
    return "?";
}

}  // namespace tidings::kernel::tmpl
