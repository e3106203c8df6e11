#include "kernel/core/settings_defaults.hpp"

namespace tidings::kernel {

std::string_view defaultSettingsJson() {
    // Keys and shapes follow listmonk's settings table so that clients reading or writing
    // /api/settings work unchanged; defaults are Tidings' own where listmonk's were unsafe
    // (update checks off, no example SMTP credentials).
    static constexpr std::string_view json = R"JSON({
  "app.site_name": "Mailing list",
  "app.root_url": "http://127.0.0.1:9000",
  "app.logo_url": "",
  "app.favicon_url": "",
  "app.from_email": "Tidings <noreply@example.com>",
  "app.notify_emails": [],
  "app.enable_public_subscription_page": true,
  "app.enable_public_archive": true,
  "app.enable_public_archive_rss_content": true,
  "app.send_optin_confirmation": true,
  "app.show_optin_page": true,
  "app.check_updates": false,
  "app.lang": "en",
  "app.batch_size": 1000,
  "app.concurrency": 10,
  "app.max_send_errors": 1000,
  "app.message_rate": 10,
  "app.cache_slow_queries": false,
  "app.cache_slow_queries_interval": "0 3 * * *",
  "app.message_sliding_window": false,
  "app.message_sliding_window_duration": "1h",
  "app.message_sliding_window_rate": 10000,
  "privacy.individual_tracking": false,
  "privacy.disable_tracking": false,
  "privacy.unsubscribe_header": true,
  "privacy.allow_blocklist": true,
  "privacy.allow_export": true,
  "privacy.allow_wipe": true,
  "privacy.allow_preferences": true,
  "privacy.exportable": ["profile", "subscriptions", "campaign_views", "link_clicks"],
  "privacy.domain_blocklist": [],
  "privacy.domain_allowlist": [],
  "privacy.record_optin_ip": false,
  "security.captcha": {
    "altcha": {"enabled": false, "complexity": 300000},
    "hcaptcha": {"enabled": false, "key": "", "secret": ""}
  },
  "security.trusted_urls": [],
  "security.oidc": {
    "enabled": false, "provider_url": "", "provider_name": "", "client_id": "",
    "client_secret": "", "auto_create_users": false, "default_user_role_id": null,
    "default_list_role_id": null
  },
  "upload.provider": "filesystem",
  "upload.max_file_size": 5000,
  "upload.extensions": ["jpg", "jpeg", "png", "gif", "svg", "*"],
  "upload.filesystem.upload_path": "uploads",
  "upload.filesystem.upload_uri": "/uploads",
  "upload.s3.url": "",
  "upload.s3.public_url": "",
  "upload.s3.aws_access_key_id": "",
  "upload.s3.aws_secret_access_key": "",
  "upload.s3.aws_default_region": "",
  "upload.s3.bucket": "",
  "upload.s3.bucket_domain": "",
  "upload.s3.bucket_path": "/",
  "upload.s3.bucket_type": "public",
  "upload.s3.expiry": "167h",
  "smtp": [
    {"uuid": "", "name": "", "enabled": true, "host": "127.0.0.1", "port": 25,
     "auth_protocol": "none", "username": "", "password": "", "hello_hostname": "",
     "max_conns": 10, "idle_timeout": "15s", "wait_timeout": "5s", "max_msg_retries": 2,
     "tls_type": "none", "tls_skip_verify": false, "email_headers": []}
  ],
  "messengers": [],
  "webhooks": [],
  "bounce.enabled": false,
  "bounce.webhooks_enabled": false,
  "bounce.actions": {
    "soft": {"count": 2, "action": "none"},
    "hard": {"count": 1, "action": "blocklist"},
    "complaint": {"count": 1, "action": "blocklist"}
  },
  "bounce.ses_enabled": false,
  "bounce.sendgrid_enabled": false,
  "bounce.sendgrid_key": "",
  "bounce.postmark": {"enabled": false, "username": "", "password": ""},
  "bounce.forwardemail": {"enabled": false, "key": ""},
  "bounce.azure": {"enabled": false, "shared_secret": "", "shared_secret_header": ""},
  "bounce.lettermint": {"enabled": false, "key": ""},
  "bounce.mailboxes": [],
  "appearance.admin.custom_css": "",
  "appearance.admin.custom_js": "",
  "appearance.public.custom_css": "",
  "appearance.public.custom_js": ""
})JSON";
    return json;
}

const std::vector<SecretField>& secretSettingFields() {
    static const std::vector<SecretField> fields{
        {"smtp", "[].password"},
        {"messengers", "[].password"},
        {"webhooks", "[].secret"},
        {"bounce.mailboxes", "[].password"},
        {"security.captcha", "hcaptcha.secret"},
        {"security.oidc", "client_secret"},
        {"bounce.sendgrid_key", ""},
        {"bounce.postmark", "password"},
        {"bounce.forwardemail", "key"},
        {"bounce.azure", "shared_secret"},
        {"bounce.lettermint", "key"},
        {"upload.s3.aws_secret_access_key", ""},
    };
    return fields;
}

}  // namespace tidings::kernel
