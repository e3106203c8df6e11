// listmonk's `query` expressions are PostgreSQL SQL; this turns one into the SQLite expression
// that the store splices, between parentheses, into a statement of its own.
//
// Containment first: an expression that could close the parentheses it is placed in would let it
// OR its way past the other conditions (`x) OR (1=1` ignoring the list filter). So parentheses
// must balance outside string literals and quoted identifiers, and comments and parameters, which
// would hide text from this scan or bind our values, are refused. The output only ever adds
// parentheses in matched pairs.
//
// Then the PostgreSQL forms listmonk users write are translated (outside string literals):
//   a ILIKE b        -> a LIKE b  (SQLite's LIKE ignores ASCII case)
//   x::int           -> CAST(x AS INTEGER)  (also numeric, real, text...; date -> date(x),
//                       timestamp -> the stored timestamp text of x)
//   j->>'k'          -> CAST(j->>'k' AS TEXT)  (PostgreSQL's ->> always yields text; SQLite's
//                       keeps the JSON type, so `attribs->>'k' = '2'` would miss {"k": 2})
//   j ? 'k'          -> EXISTS over json_each(j): 'k' is a key of the object or a string in the array
// Anything else is passed through, and SQLite reports what it does not understand.
#pragma once

#include <string>
#include <string_view>

namespace tidings::storage_sqlite {

/// The SQLite form of a user's (already trimmed) expression. Throws StatusError(Invalid,
/// "query: <reason>") for an expression that is refused before reaching SQLite.
std::string sqliteExpression(std::string_view expression);

}  // namespace tidings::storage_sqlite
