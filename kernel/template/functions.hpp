// The functions a template may call, by name.
//
// A FunctionTable is handed to the compiler: names are resolved while parsing (an unknown name
// is a compile error, as in Go), and the compiled template keeps its own copy of the table, so
// the caller's table may be changed or destroyed afterwards. Functions receive the evaluated
// arguments (for a pipeline `x | f a`, the piped value comes last) and may throw TemplateError or
// any std::exception to fail the render, as a Go function returning an error does.
//
// builtins() holds Go's text/template functions (and, or, not, len, index, slice, print,
// printf, println, html, js, urlquery, eq, ne, lt, le, gt, ge, call) plus the Sprig helpers
// listmonk templates commonly use (see functions_sprig.cpp for the list). The campaign renderer
// adds TrackLink, UnsubscribeURL, L, Safe, Date, ... on top with add().
#pragma once

#include <map>
#include <span>
#include <string>
#include <string_view>

#include "kernel/template/value.hpp"

namespace tidings::kernel::tmpl {

class FunctionTable {
public:
    /// Adds or replaces `name`.
    FunctionTable& add(std::string name, Function fn);
    /// Copies every function of `other` in, replacing same-named ones.
    FunctionTable& merge(const FunctionTable& other);
    /// nullptr when absent. The pointer stays valid while this table lives and `name` is not
    /// replaced.
    const Function* find(std::string_view name) const;
    bool contains(std::string_view name) const { return find(name) != nullptr; }
    std::size_t size() const { return functions_.size(); }

    /// Go's built-in template functions and the Sprig subset; the starting point for callers.
    static const FunctionTable& builtins();

private:
    std::map<std::string, Function, std::less<>> functions_;
};

// Helpers for implementing functions (shared by the builtin files and by callers).

/// Throws TemplateError "wrong number of args for NAME: want W got G" unless args.size() is
/// within [min, max].
void requireArgs(std::string_view name, std::span<const Value> args, std::size_t min, std::size_t max);
/// The argument as text, the way Go's Sprig `toString` sees it (strings as is, %v otherwise).
std::string toText(const Value& v);
/// Sprig's toInt64-style conversion: numbers truncated, numeric strings parsed, bools 1/0,
/// anything else 0.
std::int64_t toInt(const Value& v);
/// Sprig's toFloat64-style conversion.
double toFloat(const Value& v);
/// Go's eq on basic values: numbers compare numerically across int/float, strings by bytes,
/// bools, null. Throws TemplateError "incompatible types for comparison" otherwise.
bool valuesEqual(const Value& a, const Value& b);
/// -1/0/1 for lt/le/gt/ge: numbers or strings; other kinds throw TemplateError.
int compareValues(const Value& a, const Value& b);

void addGoBuiltins(FunctionTable& table);
void addSprigFunctions(FunctionTable& table);

}  // namespace tidings::kernel::tmpl
