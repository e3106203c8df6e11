// Reading a campaign from a request body (JSON or form), in listmonk's field names. Shapes are
// checked here (400 naming the field); the rules are core's.
#pragma once

#include <Poco/JSON/Object.h>

#include "kernel/core/campaign_rules.hpp"

namespace tidings::kernel {

/// Every campaign field present in `body`. JSON null clears send_at, template_id,
/// archive_slug and archive_template_id.
CampaignInput campaignInput(const Poco::JSON::Object& body);

}  // namespace tidings::kernel
