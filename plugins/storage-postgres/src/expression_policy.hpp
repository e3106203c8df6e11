// What a user's `query` expression (listmonk's subscriber queries and campaign segments) may
// contain, decided by reading it the way PostgreSQL's lexer does before it is spliced into a
// statement of ours.
//
// The read-only transaction, the EXPLAIN table allowlist and the restricted role only hold while
// the expression cannot change the session it runs in. Any function call could: set_config()
// leaves the restricted role ('role' = 'none'), query_to_xml() runs SQL of its own,
// pg_read_file() reads the server's disk. So the root of the sandbox is a function allowlist:
// every call the expression makes must name a side-effect-free function listed in
// expression_policy.cpp; anything else is refused before the database sees the text.
//
// To find every call, the lexer has to agree with PostgreSQL's about where literals and
// identifiers end, or a call could hide inside what it takes for a string. Forms whose reading
// depends on server settings or that hide text from a scan are refused outright: comments,
// dollar quoting, Unicode-escape strings and identifiers (U&'...'), and positional parameters.
// Connections run with standard_conforming_strings on, so only E'...' strings take backslashes.
#pragma once

#include <string_view>

namespace tidings::storage_pg {

/// Refuses (StatusError Invalid, "query: <reason>") an expression that calls a function outside
/// the allowlist, calls one through a schema other than pg_catalog, could close the parentheses
/// it is placed in, or uses a form the lexer refuses (see above).
void checkUserExpression(std::string_view expression);

}  // namespace tidings::storage_pg
