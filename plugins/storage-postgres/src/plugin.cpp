// Entry point of the storage-postgres plugin: declares its configuration, provides the storage
// in attach(), and connects in start().
#include <tidings/sdk/v1/duration.hpp>
#include <tidings/sdk/v1/plugin.hpp>

#include "connection_pool.hpp"
#include "postgres_storage.hpp"

namespace tidings::storage_pg {

class PostgresPlugin final : public sdk::Plugin {
public:
    explicit PostgresPlugin(sdk::Host& host) : host_(host) {}
    ~PostgresPlugin() { storage_.close(); }

    sdk::Status attach(sdk::Registrar& registrar) noexcept override {
        try {
            const sdk::ConfigKey keys[] = {
                {"db.url", sdk::ConfigType::String, "postgresql://tidings@127.0.0.1:5432/tidings", true,
                 "PostgreSQL connection URL (postgresql://user:password@host:port/database?sslmode=...)."},
                {"db.max_conns", sdk::ConfigType::Integer, "25", false,
                 "Maximum number of open connections to PostgreSQL."},
                {"db.query_timeout", sdk::ConfigType::Duration, "5s", false,
                 "Longest a single query may run (statement_timeout), e.g. 5s or 500ms."},
                {"db.acquire_timeout", sdk::ConfigType::Duration, "5s", false,
                 "Longest a request waits for a free connection before failing with 503."},
                {"db.connect_timeout", sdk::ConfigType::Duration, "5s", false,
                 "Longest to wait when opening a new connection."},
                {"db.count_compact_interval", sdk::ConfigType::Duration, "2s", false,
                 "How often pending subscriber-count deltas are folded into the counters."},
            };
            for (const auto& key : keys)
                if (auto st = registrar.declareConfig(key); !st) return st;
            return registrar.provideStorage(storage_);
        } catch (const std::exception& e) {
            return sdk::Status::internal(std::string("storage-postgres attach: ") + e.what());
        }
    }

    sdk::Status start() noexcept override {
        try {
            PoolOptions options;
            options.url = host_.config("db.url").value_or("");
            if (options.url.empty()) return sdk::Status::invalid("db.url: not set");
            if (auto st = readInt("db.max_conns", 1, 1000, options.max_conns); !st) return st;
            std::chrono::milliseconds connect{5000}, compact{2000};
            for (auto [key, target] : {std::pair{"db.query_timeout", &options.query_timeout},
                                       std::pair{"db.acquire_timeout", &options.acquire_timeout},
                                       std::pair{"db.connect_timeout", &connect},
                                       std::pair{"db.count_compact_interval", &compact}}) {
                if (auto st = readDuration(key, *target); !st) return st;
            }
            options.on_connection_failure = [this](const std::string& why) {
                host_.log(sdk::LogLevel::Warning, "database: " + why);
            };
            options.connect_timeout_seconds =
                static_cast<int>(std::max<std::int64_t>(1, (connect.count() + 999) / 1000));
            auto st = storage_.open(options, compact);
            if (st) host_.log(sdk::LogLevel::Info, "connected to " + storage_.describe() + " at " + redactUrl(options.url));
            return st;
        } catch (const std::exception& e) {
            return sdk::Status::internal(std::string("storage-postgres start: ") + e.what());
        }
    }

    void stop() noexcept override { storage_.close(); }

private:
    sdk::Status readInt(const char* key, int min, int max, int& out) const {
        const auto text = host_.config(key);
        if (!text) return {};
        try {
            std::size_t used = 0;
            const int v = std::stoi(*text, &used);
            if (used != text->size() || v < min || v > max) throw std::out_of_range(key);
            out = v;
            return {};
        } catch (const std::exception&) {
            return sdk::Status::invalid(std::string(key) + ": must be an integer from " +
                                        std::to_string(min) + " to " + std::to_string(max));
        }
    }

    sdk::Status readDuration(const char* key, std::chrono::milliseconds& out) const {
        const auto text = host_.config(key);
        if (!text) return {};
        const auto d = sdk::parseDuration(*text);
        if (!d || d->count() <= 0)
            return sdk::Status::invalid(std::string(key) + ": must be a duration such as 5s or 500ms");
        out = *d;
        return {};
    }

    sdk::Host& host_;
    PostgresStorage storage_;
};

}  // namespace tidings::storage_pg

TIDINGS_PLUGIN(tidings::storage_pg::PostgresPlugin, "storage", "storage-postgres", "1.0.0",
               "PostgreSQL storage with maintained counts and guarded subscriber queries")
