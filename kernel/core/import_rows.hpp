// Validation of imported rows: the same rules as the subscriber API (e-mail syntax and the
// domain allow/block lists, name and attribute limits), applied per row with the settings read
// once per import, plus what the store needs to accept a whole batch (valid UTF-8, no NUL).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <tidings/sdk/v1/import.hpp>
#include <tidings/sdk/v1/importer.hpp>

namespace tidings::kernel {

namespace sdk = tidings::sdk::v1;

/// The domain rules in force for one import (privacy.domain_allowlist / domain_blocklist).
struct DomainRules {
    std::vector<std::string> allow;  ///< When non-empty, only these domains are accepted.
    std::vector<std::string> block;
};

/// What became of one row.
struct CheckedRow {
    std::optional<sdk::ImportRecord> record;  ///< nullopt: the row is skipped.
    /// Why the row is skipped ("invalid email ..."), or what its record was imported without
    /// ("without its attributes (...)"); empty when neither. Without the line number: the
    /// caller adds it.
    std::string problem;
};

/// Turns `row` into a record. As in listmonk, only the e-mail decides whether a row is imported:
/// an unusable name is replaced by the one made from the e-mail (as an empty name is) and
/// unusable attributes by `{}`, each with a `problem` saying so, because dropping a subscriber
/// over a typo in an optional column loses far more than the typo. Consumes the row's strings.
CheckedRow checkImportRow(sdk::ImportRow& row, const DomainRules& rules);

/// `text` cut to `max` bytes (at a UTF-8 boundary) with control characters replaced, for a
/// single log line.
std::string logSafe(std::string_view text, std::size_t max = 80);

}  // namespace tidings::kernel
