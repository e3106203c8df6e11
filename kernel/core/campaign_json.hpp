// The JSON forms of templates, campaigns and delivery-ledger entries, field for field as
// listmonk serialises templates and campaigns (campaigns add `segment` and `failed`).
#pragma once

#include <tidings/sdk/v1/campaign.hpp>

#include "kernel/core/json_writer.hpp"

namespace tidings::kernel {

namespace sdk = tidings::sdk::v1;

void writeTemplate(JsonWriter& w, const sdk::Template& t);
void writeCampaign(JsonWriter& w, const sdk::Campaign& c);
/// One entry of GET /api/campaigns/:id/recipients.
void writeDelivery(JsonWriter& w, const sdk::DeliveryRecord& d);

}  // namespace tidings::kernel
