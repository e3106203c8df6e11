// The schema, one part per area, each defined beside the store that uses it (schema_<area>.cpp).
// migrations.cpp applies them in order as numbered versions: a released version is never edited;
// changes are appended as new versions.
#pragma once

namespace tidings::storage_sqlite::schema {

/// subscribers, lists, subscriber_lists and the maintained list counts.
extern const char* const kSubscribers;
/// users, roles, settings, kv_state.
extern const char* const kAdmin;
/// templates, campaigns, campaign_lists, campaign_batches, campaign_deliveries.
extern const char* const kCampaigns;
/// imports and import_logs.
extern const char* const kImports;
/// bounces.
extern const char* const kBounces;
/// links, link_clicks, campaign_views.
extern const char* const kTracking;
/// outbox.
extern const char* const kOutbox;
/// campaign_deliveries rebuilt to take the 'unconfirmed' outcome (SDK 1.2).
extern const char* const kDeliveryUnconfirmed;

}  // namespace tidings::storage_sqlite::schema
