// The functions every message template gets besides the Go and Sprig builtins, as listmonk
// provides them to campaign, transactional and system templates: Date, Safe and L (i18n).
#pragma once

#include "kernel/template/functions.hpp"

namespace tidings::kernel {

/// Adds `Date "layout"` (now, in UTC, formatted with a Go layout; ANSIC when empty), `Safe`
/// (HTML printed unescaped) and `L` (`L.T "key"`, `L.Ts "key" "param" "value"...`,
/// `L.Tc "key" n`) backed by the English texts of listmonk's e-mail keys; an unknown key prints
/// as itself, as listmonk's i18n does.
void addMessageFunctions(tmpl::FunctionTable& table);

}  // namespace tidings::kernel
