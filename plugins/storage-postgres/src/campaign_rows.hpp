// Column lists and row readers for templates and campaigns, shared by the template, campaign and
// delivery stores so every query that returns one selects the same columns in the same order.
#pragma once

#include <string>
#include <vector>

#include <tidings/sdk/v1/campaign.hpp>

#include "connection_pool.hpp"

namespace tidings::storage_pg {

/// Columns of `templates` in readTemplate's order; bodies are selected as '' unless `with_body`.
std::string templateColumns(bool with_body);
sdk::Template readTemplate(const Result& r, int row);

/// Columns of `campaigns` in readCampaign's order; bodies are selected as '' unless `with_body`.
std::string campaignColumns(bool with_body);
sdk::Campaign readCampaign(const Result& r, int row);

/// Fills `lists` of every campaign given with one query (no N+1), ordered by list id.
void loadCampaignLists(Lease& lease, std::vector<sdk::Campaign>& campaigns);

/// SQL for a microsecond timestamp parameter (see us() for the other direction).
inline std::string fromMicros(const std::string& placeholder) {
    return "(TIMESTAMPTZ 'epoch' + " + placeholder + "::int8 * INTERVAL '1 microsecond')";
}

/// A timestamp as the microsecond text that fromMicros() reads.
inline std::string micros(sdk::Timestamp t) { return std::to_string(t.time_since_epoch().count()); }

}  // namespace tidings::storage_pg
