// Walks a path inside a settings value: "a.b" for object members, "[]" for every element of an
// array, "" for the value itself (so "[].password" is the password of each SMTP server). Used
// for secrets, which are masked and merged back, and for numeric ranges, which are checked.
#pragma once

#include <string>
#include <string_view>

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

namespace tidings::kernel {

/// Calls `fn(Poco::Dynamic::Var& leaf, const Poco::Dynamic::Var* previous_leaf, const
/// std::string& where)` on every value `path` reaches in `value`, writing back what `fn` leaves
/// in `leaf`. `previous` is the same setting's earlier value (or null): its matching leaf, when
/// there is one, is passed alongside (array elements match by position). `where` names the leaf
/// for messages ("smtp[0].port"), starting from `where_prefix`. Members or elements the path
/// names but the value lacks are skipped.
template <typename Fn>
void forEachAtPath(Poco::Dynamic::Var& value, const Poco::Dynamic::Var* previous, std::string_view path,
                   const std::string& where_prefix, Fn&& fn) {
    using Poco::Dynamic::Var;
    using Poco::JSON::Array;
    using Poco::JSON::Object;
    if (path.empty()) {
        fn(value, previous, where_prefix);
        return;
    }
    if (path.starts_with("[]")) {
        std::string_view rest = path.substr(2);
        if (rest.starts_with(".")) rest.remove_prefix(1);
        if (value.type() != typeid(Array::Ptr)) return;
        auto arr = value.extract<Array::Ptr>();
        Array::Ptr prev_arr;
        if (previous && previous->type() == typeid(Array::Ptr)) prev_arr = previous->extract<Array::Ptr>();
        for (unsigned i = 0; i < arr->size(); ++i) {
            Var item = arr->get(i);
            Var prev_item;
            const bool has_prev = prev_arr && i < prev_arr->size();
            if (has_prev) prev_item = prev_arr->get(i);
            forEachAtPath(item, has_prev ? &prev_item : nullptr, rest, where_prefix + "[" + std::to_string(i) + "]", fn);
            arr->set(i, item);
        }
        return;
    }
    const auto dot = path.find('.');
    const std::string head(path.substr(0, dot));
    const std::string_view rest = dot == std::string_view::npos ? std::string_view{} : path.substr(dot + 1);
    if (value.type() != typeid(Object::Ptr)) return;
    auto obj = value.extract<Object::Ptr>();
    if (!obj->has(head)) return;
    Var child = obj->get(head);
    Var prev_child;
    bool has_prev = false;
    if (previous && previous->type() == typeid(Object::Ptr)) {
        auto prev_obj = previous->extract<Object::Ptr>();
        if (prev_obj->has(head)) {
            prev_child = prev_obj->get(head);
            has_prev = true;
        }
    }
    forEachAtPath(child, has_prev ? &prev_child : nullptr, rest, where_prefix + "." + head, fn);
    obj->set(head, child);
}

}  // namespace tidings::kernel
