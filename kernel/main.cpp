// tidings: the kernel process. Loads configuration and plugins, migrates storage, serves HTTP
// until SIGTERM/SIGINT, then shuts down in reverse order.
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>

#include <Poco/AutoPtr.h>
#include <Poco/ConsoleChannel.h>
#include <Poco/Environment.h>
#include <Poco/FormattingChannel.h>
#include <Poco/Logger.h>
#include <Poco/Path.h>
#include <Poco/PatternFormatter.h>
#include <Poco/Util/HelpFormatter.h>
#include <Poco/Util/Option.h>
#include <Poco/Util/OptionSet.h>
#include <Poco/Util/ServerApplication.h>

#include <boost/dll/runtime_symbol_info.hpp>

#include "kernel/api/api_context.hpp"
#include "kernel/api/import_api.hpp"
#include "kernel/auth/request_authenticator.hpp"
#include "kernel/config/config.hpp"
#include "kernel/core/json_writer.hpp"
#include "kernel/core/list_service.hpp"
#include "kernel/api/analytics_routes.hpp"
#include "kernel/api/bounce_routes.hpp"
#include "kernel/api/tx_api.hpp"
#include "kernel/public/archive_routes.hpp"
#include "kernel/public/campaign_view_routes.hpp"
#include "kernel/public/site_routes.hpp"
#include "kernel/public/tracking_routes.hpp"
#include "kernel/campaign/campaign_runner.hpp"
#include "kernel/core/campaign_service.hpp"
#include "kernel/core/mail_queue.hpp"
#include "kernel/core/message_context.hpp"
#include "kernel/core/settings_service.hpp"
#include "kernel/core/status_error.hpp"
#include "kernel/core/subscriber_service.hpp"
#include "kernel/core/template_service.hpp"
#include "kernel/core/user_service.hpp"
#include "kernel/hooks/event_bus.hpp"
#include "kernel/http/http_server.hpp"
#include "kernel/plugins/capability_registry.hpp"
#include "kernel/plugins/plugin_loader.hpp"
#include "kernel/plugins/storage_choice.hpp"
#include "kernel/public/subscriber_mailer.hpp"
#include "kernel/public/page_renderer.hpp"
#include "kernel/public/public_context.hpp"
#include "kernel/public/public_pages.hpp"

namespace tidings::kernel {
namespace {

using Poco::Util::Option;
using Poco::Util::OptionSet;

void configureLogging(const std::string& level) {
    Poco::AutoPtr<Poco::PatternFormatter> formatter(new Poco::PatternFormatter("%Y-%m-%dT%H:%M:%S.%iZ %p %s: %t"));
    formatter->setProperty("times", "UTC");
    Poco::AutoPtr<Poco::ConsoleChannel> console(new Poco::ConsoleChannel);
    Poco::AutoPtr<Poco::FormattingChannel> channel(new Poco::FormattingChannel(formatter, console));
    Poco::Logger::root().setChannel(channel);
    Poco::Logger::root().setLevel(level);
    // Loggers created before this call keep their old channel; reset the ones we use.
    for (const char* name : {"tidings", "tidings.access", "tidings.http", "tidings.settings"}) {
        Poco::Logger::get(name).setChannel(channel);
        Poco::Logger::get(name).setLevel(level);
    }
}

/// The plugin directory when none is configured: ../plugins next to the binary, which is where
/// both the build tree and an installed tree put them.
std::string defaultPluginDir() {
    auto exe = boost::dll::program_location();
    return (exe.parent_path().parent_path() / "plugins").string();
}

/// "a, b ,c" -> {"a", "b", "c"}.
std::vector<std::string> splitList(const std::string& text) {
    std::vector<std::string> out;
    std::string item;
    for (char c : text + ",") {
        if (c == ',' || c == ' ' || c == '\t') {
            if (!item.empty()) out.push_back(item);
            item.clear();
        } else {
            item.push_back(c);
        }
    }
    return out;
}

class TidingsApp final : public Poco::Util::ServerApplication {
protected:
    void defineOptions(OptionSet& options) override {
        ServerApplication::defineOptions(options);
        options.addOption(Option("config", "c", "read operator configuration from FILE (INI)")
                              .required(false).repeatable(false).argument("FILE")
                              .callback(Poco::Util::OptionCallback<TidingsApp>(this, &TidingsApp::onConfig)));
        options.addOption(Option("install", "", "create or upgrade the database schema, then exit")
                              .required(false).repeatable(false)
                              .callback(Poco::Util::OptionCallback<TidingsApp>(this, &TidingsApp::onInstall)));
        options.addOption(Option("version", "v", "print the version and exit")
                              .required(false).repeatable(false)
                              .callback(Poco::Util::OptionCallback<TidingsApp>(this, &TidingsApp::onVersion)));
        options.addOption(Option("help", "h", "show this help and exit")
                              .required(false).repeatable(false)
                              .callback(Poco::Util::OptionCallback<TidingsApp>(this, &TidingsApp::onHelp)));
    }

    int main(const std::vector<std::string>&) override {
        if (exit_now_) return EXIT_OK;
        try {
            return serve();
        } catch (const ConfigError& e) {
            std::cerr << "tidings: configuration error: " << e.what() << "\n";
            return EXIT_CONFIG;
        } catch (const PluginError& e) {
            Poco::Logger::get("tidings").fatal(e.what());
            return EXIT_SOFTWARE;
        } catch (const std::exception& e) {
            Poco::Logger::get("tidings").fatal(std::string("start-up failed: ") + e.what());
            return EXIT_SOFTWARE;
        }
    }

private:
    void onConfig(const std::string&, const std::string& value) { config_path_ = value; }
    void onInstall(const std::string&, const std::string&) { install_only_ = true; }
    void onVersion(const std::string&, const std::string&) {
        std::cout << "tidings " << TIDINGS_VERSION << " (plugin SDK ABI " << TIDINGS_SDK_ABI_MAJOR << "."
                  << TIDINGS_SDK_ABI_MINOR << ")\n";
        exit_now_ = true;
        stopOptionsProcessing();
    }
    void onHelp(const std::string&, const std::string&) {
        Poco::Util::HelpFormatter help(options());
        help.setCommand(commandName());
        help.setUsage("[--config FILE] [--install] [--version]");
        help.setHeader("Tidings, a self-hosted newsletter and mailing-list manager.");
        help.format(std::cout);
        exit_now_ = true;
        stopOptionsProcessing();
    }

    int serve() {
        Config config = Config::load(config_path_, Config::processEnvironment());
        configureLogging(config.getString("log.level", "information"));
        auto& log = Poco::Logger::get("tidings");

        EventBus events;
        Router router;
        CapabilityRegistry registry;
        PluginSet plugins(config, registry, router, events);

        std::string plugin_dir = config.getString("plugins.dir");
        if (plugin_dir.empty()) plugin_dir = defaultPluginDir();
        for (const auto& name : pluginsToLoad(splitList(config.getString("plugins.enabled")), config.getString("db.url"))) {
            plugins.load(plugin_dir, name);
            log.information("loaded plugin " + name + " from " + plugin_dir);
        }
        if (!registry.storage()) {
            throw PluginError("the storage plugin loaded provides no storage");
        }
        // Storage first: it is migrated before any other plugin may use it (shared state, settings).
        plugins.startKind("storage");
        sdk::Storage& storage = *registry.storage();
        sdk::MigrationReport report;
        check(storage.migrate(report));
        if (report.from_version != report.to_version) {
            log.information("schema migrated from version " + std::to_string(report.from_version) + " to " +
                            std::to_string(report.to_version));
        }
        if (install_only_) {
            log.information("schema is at version " + std::to_string(report.to_version) + " on " + storage.describe());
            plugins.stopAll();
            return EXIT_OK;
        }

        std::map<std::string, std::string> initial;
        if (auto root = config.get("app.root_url")) initial["app.root_url"] = jsonString(*root);
        SettingsService settings(storage.settings(), initial);
        settings.load();
        settings.startPolling();
        plugins.setSettingLookup([&settings](std::string_view key) { return settings.json(key); });
        // Plugins that find bounces themselves (a mailbox scanner) record them through the same
        // service as the webhooks, so actions, hooks and `bounce.enabled` apply alike.
        BounceService bounces(storage, settings, events);
        plugins.setBounceRecorder([&bounces](sdk::BounceEvent event, sdk::BounceOutcome& outcome) {
            return bounces.recordFound(std::move(event), outcome);
        });
        plugins.startAll();

        UserService users(storage);
        bootstrapAdmin(users, log);

        std::string web_dir = locateWebDir(config.getString("app.web_dir"));
        auto message_context = [&settings] { return messageContext(settings); };
        TemplateService templates(storage.templates(), message_context);
        installDefaultTemplates(templates, storage, web_dir + "/email-templates", log);

        RunnerOptions runner_options;
        runner_options.lease = std::chrono::seconds(config.getInt("campaigns.batch_lease_seconds", 60));
        CampaignRunner runner(storage, settings, registry, events, runner_options);
        CampaignServiceHooks campaign_hooks;
        campaign_hooks.context = message_context;
        campaign_hooks.messenger = [&registry](std::string_view name) { return registry.messenger(name); };
        campaign_hooks.status_changed = [&runner] { runner.wake(); };
        CampaignService campaigns(storage, events, std::move(campaign_hooks));

        PageRenderer pages(web_dir + "/templates");
        MailQueue mail(registry.outbox(), [&registry](std::string_view name) { return registry.messenger(name); });
        SubscriberMailer subscriber_mail(settings, mail, pages);
        auto send_optin = [&subscriber_mail](const sdk::Subscriber& s, const std::vector<sdk::List>& l) {
            return subscriber_mail.sendOptin(s, l);
        };
        SubscriberService subscribers(storage, settings, events, send_optin);
        ListService lists(storage);
        RequestAuthenticator authenticator(storage.users(), storage.state());
        ArchiveService archive(storage, settings);
        ApiContext ctx{config, registry, authenticator, settings, subscribers, lists, users, templates, campaigns, archive};
        addAdminApiRoutes(router, ctx);
        addBounceRoutes(router, bounces);
        addBounceWebhookRoutes(router, bounces, registry);
        TrackingService tracking(storage, settings);
        addTrackingRoutes(router, tracking);
        addAnalyticsRoutes(router, tracking);

        const std::string listen_address = config.getString("app.address", "127.0.0.1:9000");
        ImportConfig import_config;
        // Host and listen address identify this process across restarts: no other live process
        // can hold the same address, so what it owned before a restart is dead.
        import_config.owner = Poco::Environment::nodeName() + " " + listen_address;
        import_config.stale_after = std::chrono::seconds(config.getInt("import.stale_after_seconds", 60));
        import_config.batch_rows = static_cast<std::size_t>(std::max<std::int64_t>(config.getInt("import.batch_rows", 10000), 1));
        ImportService imports(storage, registry, settings, events, import_config);
        imports.abandonPrevious();
        BulkApiContext bulk_ctx{imports, subscribers, authenticator, {}};
        bulk_ctx.upload.max_file_bytes = static_cast<std::uint64_t>(config.getInt("import.max_upload_bytes", 1LL << 30));
        bulk_ctx.upload.temp_dir = config.getString("import.temp_dir");
        if (bulk_ctx.upload.temp_dir.empty()) bulk_ctx.upload.temp_dir = Poco::Path::temp();
        addImportRoutes(router, bulk_ctx);
        addSubscriberExportRoutes(router, bulk_ctx);
        TxService tx(storage, settings, [&registry](std::string_view name) { return registry.messenger(name); });
        addTxRoutes(router, tx, bulk_ctx.upload);
        SubscriptionService subscriptions(storage, settings, subscribers, registry, events);
        PublicContext public_ctx{settings, subscriptions, subscriber_mail};
        addPublicApiRoutes(router, public_ctx);
        addPublicPageRoutes(router, public_ctx, pages, web_dir);
        addArchiveRoutes(router, archive, settings, pages);
        addCampaignViewRoutes(router, campaigns, settings, pages);
        addSiteRoutes(router, settings, pages);

        runner.start();
        mail.start();

        HttpServerOptions options;
        options.address = config.getString("app.address", "127.0.0.1:9000");
        options.max_body_bytes = static_cast<std::size_t>(config.getInt("http.max_body_bytes", 10 * 1024 * 1024));
        options.limits.threads = static_cast<int>(std::max<std::int64_t>(1, config.getInt("http.threads", 16)));
        options.limits.head_timeout =
            Poco::Timespan(std::max<std::int64_t>(1, config.getInt("http.header_timeout_seconds", 10)), 0);
        options.limits.idle_timeout =
            Poco::Timespan(std::max<std::int64_t>(1, config.getInt("http.keepalive_timeout_seconds", 60)), 0);
        options.limits.io_timeout = Poco::Timespan(std::max<std::int64_t>(1, config.getInt("http.io_timeout_seconds", 30)), 0);
        options.limits.max_connections =
            static_cast<std::size_t>(std::max<std::int64_t>(0, config.getInt("http.max_connections", 10000)));
        options.limits.max_per_address =
            static_cast<std::size_t>(std::max<std::int64_t>(0, config.getInt("http.max_connections_per_address", 1000)));
        options.access_log = config.getBool("log.access", true);
        options.cors = std::make_shared<CorsPolicy>(config.getString("security.cors_origins"),
                                                    [&settings] { return settings.strings("security.trusted_urls"); });
        options.client_ip_header = config.getString("security.client_ip_header");
        options.public_limiter = std::make_shared<RateLimiter>(
            static_cast<double>(config.getInt("security.rate_limit", 5)),
            static_cast<double>(config.getInt("security.rate_burst", 20)));
        HttpServer server(options, router, authenticator);
        server.start();
        log.information("tidings " + std::string(TIDINGS_VERSION) + " listening on " + options.address + " with " +
                        storage.describe());

        waitForTerminationRequest();
        log.information("shutting down");
        server.stop();
        imports.shutdown();
        runner.stop();
        mail.stop();
        settings.stopPolling();
        events.drain();
        plugins.stopAll();
        return EXIT_OK;
    }

    static std::string jsonString(const std::string& text) {
        JsonWriter w;
        w.value(text);
        return w.take();
    }

    /// Installs the shipped templates when the store has none (a new installation). Missing
    /// files are logged, not fatal: the server works without templates and installs them on a
    /// later start once the files are in place.
    static void installDefaultTemplates(TemplateService& templates, sdk::Storage& storage, const std::string& dir,
                                        Poco::Logger& log) {
        DefaultTemplateSources sources;
        try {
            sources.campaign = readFile(dir + "/default.tpl");
            sources.archive = readFile(dir + "/archive.tpl");
            sources.tx = readFile(dir + "/sample-tx.tpl");
        } catch (const std::exception& e) {
            log.error(std::string("default templates not installed: ") + e.what());
            return;
        }
        if (int n = templates.installDefaults(sources, &storage.state())) {
            log.information("installed " + std::to_string(n) + " default templates");
        }
    }

    static std::string readFile(const std::string& path) {
        std::ifstream in(path, std::ios::binary);
        if (!in) throw std::runtime_error("cannot read " + path);
        std::ostringstream text;
        text << in.rdbuf();
        return text.str();
    }

    static void bootstrapAdmin(UserService& users, Poco::Logger& log) {
        const char* user = std::getenv("TIDINGS_ADMIN_USER");
        const char* password = std::getenv("TIDINGS_ADMIN_PASSWORD");
        if (user && *user && password && *password) {
            if (users.bootstrapAdmin(user, password)) log.information(std::string("created Super Admin user ") + user);
            return;
        }
        if (users.list().empty()) {
            log.warning("no users exist: set TIDINGS_ADMIN_USER and TIDINGS_ADMIN_PASSWORD to create the first "
                        "Super Admin on start-up");
        }
    }

    std::string config_path_;
    bool install_only_ = false;
    bool exit_now_ = false;
};

}  // namespace
}  // namespace tidings::kernel

int main(int argc, char** argv) {
    tidings::kernel::TidingsApp app;
    return app.run(argc, argv);
}
