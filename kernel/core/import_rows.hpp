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

/// Turns `row` into a record, or returns nullopt with the reason in `why` (without the line
/// number; the caller adds it). Consumes the row's strings.
std::optional<sdk::ImportRecord> validateImportRow(sdk::ImportRow& row, const DomainRules& rules, std::string& why);

/// `text` cut to `max` bytes (at a UTF-8 boundary) with control characters replaced, for a
/// single log line.
std::string logSafe(std::string_view text, std::size_t max = 80);

}  // namespace tidings::kernel
