// SqliteStorage: the sdk::Storage the plugin provides. Owns the shared Database and one object
// per sub-store; all of them live as long as the plugin object.
#pragma once

#include <tidings/sdk/v1/storage.hpp>

#include "bounce_store.hpp"
#include "campaign_store.hpp"
#include "database.hpp"
#include "delivery_store.hpp"
#include "import_store.hpp"
#include "list_store.hpp"
#include "outbox_store.hpp"
#include "settings_store.hpp"
#include "state_store.hpp"
#include "subscriber_store.hpp"
#include "template_store.hpp"
#include "tracking_store.hpp"
#include "user_store.hpp"

namespace tidings::storage_sqlite {

class SqliteStorage final : public sdk::Storage {
public:
    SqliteStorage()
        : subscribers_(db_), lists_(db_), users_(db_), settings_(db_), state_(db_), templates_(db_),
          campaigns_(db_), deliveries_(db_), imports_(db_), bounces_(db_), tracking_(db_), outbox_(db_) {}

    /// Opens (creating when missing) the database file; Unavailable when it cannot be opened.
    sdk::Status open(const DatabaseOptions& options) noexcept;
    void close() noexcept { db_.close(); }

    sdk::Status migrate(sdk::MigrationReport& report) noexcept override;
    sdk::Status ping() noexcept override;
    std::string describe() const noexcept override;

    sdk::SubscriberStore& subscribers() noexcept override { return subscribers_; }
    sdk::ListStore& lists() noexcept override { return lists_; }
    sdk::UserStore& users() noexcept override { return users_; }
    sdk::SettingsStore& settings() noexcept override { return settings_; }
    sdk::StateStore& state() noexcept override { return state_; }
    sdk::TemplateStore& templates() noexcept override { return templates_; }
    sdk::CampaignStore& campaigns() noexcept override { return campaigns_; }
    sdk::DeliveryStore& deliveries() noexcept override { return deliveries_; }
    sdk::ImportStore& imports() noexcept override { return imports_; }
    sdk::BounceStore& bounces() noexcept override { return bounces_; }
    sdk::TrackingStore& tracking() noexcept override { return tracking_; }
    sdk::OutboxStore& outbox() noexcept override { return outbox_; }

    /// The underlying database (test harnesses peek at tables through it).
    Database& database() noexcept { return db_; }

private:
    Database db_;
    SubscriberStoreImpl subscribers_;
    ListStoreImpl lists_;
    UserStoreImpl users_;
    SettingsStoreImpl settings_;
    StateStoreImpl state_;
    TemplateStoreImpl templates_;
    CampaignStoreImpl campaigns_;
    DeliveryStoreImpl deliveries_;
    ImportStoreImpl imports_;
    BounceStoreImpl bounces_;
    TrackingStoreImpl tracking_;
    OutboxStoreImpl outbox_;
};

}  // namespace tidings::storage_sqlite
