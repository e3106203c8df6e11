// Column lists and row readers for templates and campaigns, shared by the template, campaign and
// delivery stores so every query that returns one selects the same columns in the same order.
#pragma once

#include <string>
#include <vector>

#include <tidings/sdk/v1/campaign.hpp>

#include "connection.hpp"

namespace tidings::storage_sqlite {

namespace sdk = ::tidings::sdk::v1;

/// Columns of `templates` in readTemplate's order; bodies are selected as '' unless `with_body`.
std::string templateColumns(bool with_body);
sdk::Template readTemplate(const Statement& st);

/// Columns of `campaigns` in readCampaign's order, with the tracking and bounce counts; bodies
/// are selected as '' unless `with_body`.
std::string campaignColumns(bool with_body);
sdk::Campaign readCampaign(const Statement& st);

/// Fills `lists` of every campaign given with one query (no N+1), ordered by list id, deleted
/// lists last.
void loadCampaignLists(Connection& conn, std::vector<sdk::Campaign>& campaigns);

/// The campaign with this id, with its lists; false when there is none.
bool fetchCampaign(Connection& conn, sdk::Id id, sdk::Campaign& out);

/// A LIKE pattern matching `text` anywhere, for "... LIKE ? ESCAPE '\'".
std::string likeContains(const std::string& text);

}  // namespace tidings::storage_sqlite
