// Entry point of the storage-sqlite plugin: declares its configuration, provides the storage in
// attach(), and opens the database file in start().
#include <tidings/sdk/v1/duration.hpp>
#include <tidings/sdk/v1/plugin.hpp>

#include "database_url.hpp"
#include "sqlite_storage.hpp"

namespace tidings::storage_sqlite {

class SqlitePlugin final : public sdk::Plugin {
public:
    explicit SqlitePlugin(sdk::Host& host) : host_(host) {}
    ~SqlitePlugin() { storage_.close(); }

    sdk::Status attach(sdk::Registrar& registrar) noexcept override {
        try {
            const sdk::ConfigKey keys[] = {
                {"db.url", sdk::ConfigType::String, kDefaultUrl, false,
                 "The database file as sqlite:PATH (relative to the working directory) or sqlite:///ABSOLUTE/PATH."},
                {"db.max_conns", sdk::ConfigType::Integer, "8", false,
                 "Read connections kept open beside the single writer."},
                {"db.query_timeout", sdk::ConfigType::Duration, "5s", false,
                 "Longest a single query may run (subscriber `query` expressions included)."},
                {"db.acquire_timeout", sdk::ConfigType::Duration, "5s", false,
                 "Longest a request waits for a connection or the write lock before failing with 503."},
            };
            for (const auto& key : keys)
                if (auto st = registrar.declareConfig(key); !st) return st;
            return registrar.provideStorage(storage_);
        } catch (const std::exception& e) {
            return sdk::Status::internal(std::string("storage-sqlite attach: ") + e.what());
        }
    }

    sdk::Status start() noexcept override {
        try {
            DatabaseOptions options;
            const auto url = host_.config("db.url").value_or(kDefaultUrl);
            auto path = sqlitePath(url.empty() ? kDefaultUrl : url);
            if (!path) return sdk::Status::invalid("db.url: not an SQLite URL (sqlite:PATH): " + url);
            options.path = *path;
            if (auto text = host_.config("db.max_conns")) {
                try {
                    options.max_readers = std::stoi(*text);
                } catch (const std::exception&) {
                    options.max_readers = 0;
                }
                if (options.max_readers < 1 || options.max_readers > 256)
                    return sdk::Status::invalid("db.max_conns: must be an integer from 1 to 256");
            }
            for (auto [key, target] : {std::pair{"db.query_timeout", &options.query_timeout},
                                       std::pair{"db.acquire_timeout", &options.acquire_timeout}}) {
                if (auto text = host_.config(key)) {
                    const auto d = sdk::parseDuration(*text);
                    if (!d || d->count() <= 0)
                        return sdk::Status::invalid(std::string(key) + ": must be a duration such as 5s or 500ms");
                    *target = *d;
                }
            }
            auto st = storage_.open(options);
            if (st) host_.log(sdk::LogLevel::Info, "opened " + storage_.describe() + " database " + options.path);
            return st;
        } catch (const std::exception& e) {
            return sdk::Status::internal(std::string("storage-sqlite start: ") + e.what());
        }
    }

    void stop() noexcept override { storage_.close(); }

private:
    sdk::Host& host_;
    SqliteStorage storage_;
};

}  // namespace tidings::storage_sqlite

TIDINGS_PLUGIN(tidings::storage_sqlite::SqlitePlugin, "storage", "storage-sqlite", "1.0.0",
               "Embedded SQLite storage: zero set-up, one file, WAL with a single writer")
