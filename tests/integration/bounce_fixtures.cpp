#include "bounce_fixtures.hpp"

#include <stdexcept>

#include <openssl/bio.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <catch2/catch.hpp>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

namespace tidings::test {
namespace {

struct BioFree {
    void operator()(BIO* b) const noexcept { BIO_free(b); }
};
struct X509Free {
    void operator()(X509* x) const noexcept { X509_free(x); }
};
struct MdCtxFree {
    void operator()(EVP_MD_CTX* c) const noexcept { EVP_MD_CTX_free(c); }
};

void require(bool ok, const char* what) {
    if (!ok) throw std::runtime_error(std::string("OpenSSL: ") + what + " failed");
}

std::string signWith(EVP_PKEY* key, const EVP_MD* md, std::string_view data) {
    std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
    require(ctx && EVP_DigestSignInit(ctx.get(), nullptr, md, nullptr, key) == 1, "sign init");
    std::size_t len = 0;
    const auto* in = reinterpret_cast<const unsigned char*>(data.data());
    require(EVP_DigestSign(ctx.get(), nullptr, &len, in, data.size()) == 1, "sign size");
    std::string sig(len, '\0');
    require(EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len, in, data.size()) == 1, "sign");
    sig.resize(len);
    return base64(sig);
}

}  // namespace

RsaSigner::RsaSigner() : key_(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<std::size_t>(2048))) {
    require(key_ != nullptr, "RSA keygen");
    std::unique_ptr<X509, X509Free> cert(X509_new());
    require(cert != nullptr, "X509_new");
    X509_set_version(cert.get(), 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 1);
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
    X509_gmtime_adj(X509_getm_notAfter(cert.get()), 86400);
    require(X509_set_pubkey(cert.get(), key_.get()) == 1, "set pubkey");
    X509_NAME* name = X509_get_subject_name(cert.get());
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("sns.test"), -1, -1, 0);
    X509_set_issuer_name(cert.get(), name);
    require(X509_sign(cert.get(), key_.get(), EVP_sha256()) > 0, "X509_sign");
    std::unique_ptr<BIO, BioFree> bio(BIO_new(BIO_s_mem()));
    require(bio && PEM_write_bio_X509(bio.get(), cert.get()) == 1, "PEM write");
    char* data = nullptr;
    const long len = BIO_get_mem_data(bio.get(), &data);
    certificate_pem_.assign(data, static_cast<std::size_t>(len));
}

std::string RsaSigner::sign(std::string_view data, bool sha256) const {
    return signWith(key_.get(), sha256 ? EVP_sha256() : EVP_sha1(), data);
}

EcSigner::EcSigner() : key_(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256")) { require(key_ != nullptr, "EC keygen"); }

std::string EcSigner::publicKeyBase64() const {
    unsigned char* der = nullptr;
    const int len = i2d_PUBKEY(key_.get(), &der);
    require(len > 0, "i2d_PUBKEY");
    std::string out(reinterpret_cast<const char*>(der), static_cast<std::size_t>(len));
    OPENSSL_free(der);
    return base64(out);
}

std::string EcSigner::sign(std::string_view data) const { return signWith(key_.get(), EVP_sha256(), data); }

std::string base64(std::string_view bytes) {
    std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
    const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                  reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
    out.resize(static_cast<std::size_t>(n));
    return out;
}

std::string hmacSha256Hex(std::string_view key, std::string_view data) {
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
         data.size(), mac, &len);
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (unsigned i = 0; i < len; ++i) {
        out.push_back(kHex[mac[i] >> 4]);
        out.push_back(kHex[mac[i] & 15]);
    }
    return out;
}

std::string rfc3339(std::chrono::system_clock::time_point at) {
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(at.time_since_epoch()).count();
    const std::time_t secs = static_cast<std::time_t>(ms / 1000);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char buf[96];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                  tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms % 1000));
    return buf;
}

std::int64_t unixNow() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::map<std::string, std::string> bouncePluginEnv() {
    return {{"TIDINGS_PLUGINS__ENABLED",
             "bounce-ses, bounce-sendgrid, bounce-postmark, bounce-forwardemail, bounce-azure, bounce-lettermint"}};
}

void enableBounces(const TidingsServer& server, const std::string& extra_members) {
    std::string body = R"({"bounce.enabled": true, "bounce.webhooks_enabled": true)";
    if (!extra_members.empty()) body += ", " + extra_members;
    body += "}";
    auto r = server.put("/api/settings", body, server.admin());
    INFO(r.body);
    REQUIRE(r.status == 200);
}

std::int64_t makeSubscriber(const TidingsServer& server, const std::string& email) {
    auto r = server.post("/api/subscribers", R"({"email":")" + email + R"(","name":"Bounce Test","lists":[]})",
                         server.admin());
    INFO(r.body);
    REQUIRE(r.status == 200);
    return r.data()->getValue<std::int64_t>("id");
}

std::int64_t bounceTotal(const TidingsServer& server, const std::string& query) {
    auto r = server.get("/api/bounces" + (query.empty() ? std::string() : "?" + query), server.admin());
    INFO(r.body);
    REQUIRE(r.status == 200);
    return r.data()->getValue<std::int64_t>("total");
}

Poco::JSON::Array::Ptr subscriberBounces(const TidingsServer& server, std::int64_t subscriber_id) {
    auto r = server.get("/api/subscribers/" + std::to_string(subscriber_id) + "/bounces", server.admin());
    INFO(r.body);
    REQUIRE(r.status == 200);
    return r.json.extract<Poco::JSON::Object::Ptr>()->getArray("data");
}

std::string subscriberStatus(const TidingsServer& server, std::int64_t subscriber_id) {
    auto r = server.get("/api/subscribers/" + std::to_string(subscriber_id), server.admin());
    if (r.status == 404) return "";
    INFO(r.body);
    REQUIRE(r.status == 200);
    return r.data()->getValue<std::string>("status");
}

HttpResult postWebhook(const TidingsServer& server, const std::string& provider, const std::string& body,
                       const std::vector<std::pair<std::string, std::string>>& headers) {
    return server.request("POST", "/webhooks/service/" + provider, body, Credentials::none(), "application/json",
                          headers);
}

}  // namespace tidings::test

namespace tidings::test {

std::pair<std::int64_t, std::string> makeCampaignRow(const TidingsServer& server) {
    const std::string name = unique("bounce-campaign-");
    server.sql("INSERT INTO campaigns (name, subject, from_email, messenger) VALUES ('" + name +
               "', 'Subject', 'news@bounce.test', 'email')");
    const std::int64_t id = std::stoll(server.sql("SELECT id FROM campaigns WHERE name = '" + name + "'"));
    const std::string uuid = server.sql("SELECT uuid FROM campaigns WHERE name = '" + name + "'");
    return {id, uuid};
}

}  // namespace tidings::test
