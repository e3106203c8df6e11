// Go's fmt rules for turning template values into text (internal to kernel/template): what an
// action prints (fmt.Sprint), and print, println and printf.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "kernel/template/value.hpp"

namespace tidings::kernel::tmpl {

/// Appends `v` as Go's %v prints it: floats in shortest form with an exponent from 1e+06 / below
/// 1e-4 (1e+06 for 1000000.0), lists as [a b], maps as map[k:v], null as <nil>.
void appendValue(std::string& out, const Value& v);

/// Go's %v of a float64.
std::string formatFloat(double d);

/// fmt.Sprint: operands separated by a space when neither side is a string.
std::string sprint(std::span<const Value> args);
/// fmt.Sprintln: operands always separated by a space, newline appended.
std::string sprintln(std::span<const Value> args);
/// fmt.Sprintf for the verbs templates use: %v %s %d %f %e %g %x %X %o %b %q %t %c %U %% with
/// flags (- + # 0 space), width and precision. Mismatches print like Go ("%!d(string=x)").
std::string sprintf(std::string_view format, std::span<const Value> args);

/// Go's strconv.Quote.
std::string quoteGo(std::string_view s);

}  // namespace tidings::kernel::tmpl
