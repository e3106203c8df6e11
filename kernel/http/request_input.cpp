#include "kernel/http/request_input.hpp"

#include <charconv>
#include <sstream>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/JSONException.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include "kernel/core/json_check.hpp"
#include "kernel/core/json_value.hpp"
#include "kernel/core/text.hpp"
#include "kernel/http/form.hpp"
#include "kernel/http/http_error.hpp"

namespace tidings::kernel {
namespace {

using Poco::Dynamic::Var;
using Poco::JSON::Array;
using Poco::JSON::Object;

[[noreturn]] void bad(const std::string& message) { throw HttpError(400, message); }

std::optional<std::int64_t> parseInt(std::string_view text) {
    std::int64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

// A JSON number as an int64: nullopt for fractions, and for integers past int64 (which Poco
// holds as UInt64 or double and would otherwise throw RangeException on conversion).
std::optional<std::int64_t> jsonInt(const Var& v) {
    if (!v.isInteger()) return std::nullopt;
    try {
        return v.convert<std::int64_t>();
    } catch (const Poco::Exception&) {
        return std::nullopt;
    }
}

// Bounds page and per_page so (page - 1) * per_page, the stores' OFFSET, cannot overflow.
constexpr std::int64_t kMaxPaging = 2147483647;

bool isJsonRequest(const sdk::Request& request) {
    auto type = request.header("content-type");
    if (type) return lowercase(*type).find("json") != std::string::npos;
    // No content type: clients like curl -d default to form encoding, but JSON bodies are
    // recognisable by their first character.
    std::string body = trimmed(request.body);
    return !body.empty() && (body.front() == '{' || body.front() == '[');
}

}  // namespace

void checkText(std::string_view text, const std::string& field) {
    if (isStorableText(text)) return;
    bad((field.empty() ? std::string("body") : field) +
        (text.find('\0') != std::string_view::npos ? ": must not contain NUL characters" : ": must be valid UTF-8"));
}

Var parseJsonBody(std::string_view body) {
    // Checked as text before parsing: Poco's parser cuts member names at a NUL and wraps
    // integers past 2^64 (so an id of 2^64 + 5 would read as 5).
    constexpr int kMaxBodyDepth = 100;
    if (auto problem = checkJsonText(body, /*object_only=*/false, kMaxBodyDepth)) {
        const std::string where = problem->where.empty() ? "body" : problem->where;
        if (problem->syntax) bad("invalid JSON body: " + problem->reason + (problem->where.empty() ? "" : " at " + where));
        bad(where + ": " + problem->reason);
    }
    try {
        return parseJsonValue(std::string(body));
    } catch (const Poco::Exception& e) {
        bad("invalid JSON body: " + e.message());
    }
}

Object::Ptr bodyObject(const sdk::Request& request) {
    if (trimmed(request.body).empty()) return new Object;
    if (isJsonRequest(request)) {
        Var parsed = parseJsonBody(request.body);
        if (parsed.type() != typeid(Object::Ptr)) bad("invalid JSON body: expected an object");
        return parsed.extract<Object::Ptr>();
    }
    Object::Ptr obj = new Object;
    for (auto& [key, value] : parseUrlEncoded(request.body)) {
        checkText(key, key);
        checkText(value, key);
        if (!obj->has(key)) {
            obj->set(key, value);
            continue;
        }
        Var existing = obj->get(key);
        Array::Ptr arr;
        if (existing.type() == typeid(Array::Ptr)) {
            arr = existing.extract<Array::Ptr>();
        } else {
            arr = new Array;
            arr->add(existing);
        }
        arr->add(value);
        obj->set(key, arr);
    }
    return obj;
}

std::optional<std::string> optString(const Object& obj, const std::string& field) {
    if (!obj.has(field) || obj.isNull(field)) return std::nullopt;
    Var v = obj.get(field);
    if (!v.isString()) bad(field + ": must be a string");
    return v.extract<std::string>();
}

std::optional<std::int64_t> optInt(const Object& obj, const std::string& field) {
    if (!obj.has(field) || obj.isNull(field)) return std::nullopt;
    Var v = obj.get(field);
    if (v.isString()) {
        // Form bodies carry numbers as text.
        auto parsed = parseInt(trimmed(v.extract<std::string>()));
        if (!parsed) bad(field + ": must be an integer");
        return parsed;
    }
    auto parsed = jsonInt(v);
    if (!parsed) bad(field + (v.isInteger() ? ": out of range" : ": must be an integer"));
    return parsed;
}

std::optional<bool> optBool(const Object& obj, const std::string& field) {
    if (!obj.has(field) || obj.isNull(field)) return std::nullopt;
    Var v = obj.get(field);
    if (v.type() == typeid(bool)) return v.extract<bool>();
    if (v.isString()) {
        std::string s = lowercase(trimmed(v.extract<std::string>()));
        if (s == "true" || s == "on" || s == "1") return true;
        if (s == "false" || s == "off" || s == "0" || s.empty()) return false;
    }
    bad(field + ": must be a boolean");
}

std::optional<std::vector<std::int64_t>> optIds(const Object& obj, const std::string& field) {
    if (!obj.has(field) || obj.isNull(field)) return std::nullopt;
    Var v = obj.get(field);
    std::vector<std::int64_t> out;
    auto take = [&](const Var& item) {
        std::optional<std::int64_t> id;
        if (item.isString()) {
            id = parseInt(trimmed(item.extract<std::string>()));
        } else {
            id = jsonInt(item);
        }
        if (!id || *id < 1) bad(field + ": must be an array of positive integer ids");
        out.push_back(*id);
    };
    if (v.type() == typeid(Array::Ptr)) {
        for (const auto& item : *v.extract<Array::Ptr>()) take(item);
    } else if (v.isString()) {
        // Form fields: "1,2" or a single id.
        std::string text = v.extract<std::string>();
        std::stringstream in(text);
        for (std::string part; std::getline(in, part, ',');) {
            if (!trimmed(part).empty()) take(Var(part));
        }
    } else {
        bad(field + ": must be an array of positive integer ids");
    }
    return out;
}

std::optional<std::vector<std::string>> optStrings(const Object& obj, const std::string& field) {
    if (!obj.has(field) || obj.isNull(field)) return std::nullopt;
    Var v = obj.get(field);
    std::vector<std::string> out;
    if (v.isString()) {
        out.push_back(v.extract<std::string>());
        return out;
    }
    if (v.type() != typeid(Array::Ptr)) bad(field + ": must be an array of strings");
    for (const auto& item : *v.extract<Array::Ptr>()) {
        if (!item.isString()) bad(field + ": must be an array of strings");
        out.push_back(item.extract<std::string>());
    }
    return out;
}

std::optional<std::string> optObjectJson(const Object& obj, const std::string& field) {
    if (!obj.has(field) || obj.isNull(field)) return std::nullopt;
    Var v = obj.get(field);
    if (v.type() != typeid(Object::Ptr)) bad(field + ": must be a JSON object");
    std::ostringstream out;
    Poco::JSON::Stringifier::stringify(v, out);
    return out.str();
}

sdk::Id idParam(const sdk::Request& request, std::string_view name) {
    auto id = parseInt(request.param(name));
    if (!id || *id < 1) bad("invalid ID");
    return *id;
}

std::vector<sdk::Id> queryIds(const sdk::Request& request, std::string_view name) {
    std::vector<sdk::Id> out;
    for (const auto& raw : request.queryValues(name)) {
        std::stringstream in(raw);
        for (std::string part; std::getline(in, part, ',');) {
            auto id = parseInt(trimmed(part));
            if (!id || *id < 1) bad(std::string(name) + ": invalid ID '" + part + "'");
            out.push_back(*id);
        }
    }
    return out;
}

sdk::PageRequest pageParams(const sdk::Request& request) {
    sdk::PageRequest page;
    if (auto p = request.queryValue("page"); p && !p->empty()) {
        auto n = parseInt(*p);
        if (!n || *n > kMaxPaging) bad("page: must be an integer up to " + std::to_string(kMaxPaging));
        page.page = std::max<std::int64_t>(1, *n);
    }
    if (auto pp = request.queryValue("per_page"); pp && !pp->empty()) {
        if (*pp == "all") {
            page.per_page = 0;
        } else {
            auto n = parseInt(*pp);
            if (!n || *n > kMaxPaging) bad("per_page: must be an integer up to " + std::to_string(kMaxPaging) + " or 'all'");
            page.per_page = *n < 1 ? 20 : *n;
        }
    }
    return page;
}

sdk::SortOrder orderParam(const sdk::Request& request, sdk::SortOrder fallback) {
    auto order = request.queryValue("order");
    if (!order || order->empty()) return fallback;
    std::string o = lowercase(*order);
    if (o == "asc") return sdk::SortOrder::Asc;
    if (o == "desc") return sdk::SortOrder::Desc;
    bad("order: must be asc or desc");
}

}  // namespace tidings::kernel
