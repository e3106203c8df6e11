#include "protocol.hpp"

#include <Poco/Base64Decoder.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <charconv>
#include <cmath>
#include <limits>
#include <sstream>

#include "crypto.hpp"

namespace tidings::altcha {
namespace {

// Real solutions are ~300 bytes; anything far larger is not worth decoding.
constexpr std::size_t kMaxSolutionSize = 4096;
// altcha-lib's default salt length: 12 random bytes.
constexpr std::size_t kSaltBytes = 12;

std::optional<std::string> stringField(const Poco::JSON::Object& o, const std::string& key) {
    if (!o.has(key)) return std::nullopt;
    const Poco::Dynamic::Var v = o.get(key);
    if (!v.isString()) return std::nullopt;
    return v.extract<std::string>();
}

// The widget sends `number` as a JSON number; a decimal string is accepted as well because the
// hash is over its text either way. Fractions, negatives and exponents are refused.
std::optional<std::string> numberField(const Poco::JSON::Object& o) {
    if (!o.has("number")) return std::nullopt;
    const Poco::Dynamic::Var v = o.get("number");
    if (v.isString()) {
        std::string s = v.extract<std::string>();
        if (s.empty() || s.size() > 19) return std::nullopt;
        for (char ch : s)
            if (ch < '0' || ch > '9') return std::nullopt;
        return s;
    }
    if (v.isInteger()) {
        if (v.isSigned()) {
            const std::int64_t n = v.convert<std::int64_t>();
            if (n < 0) return std::nullopt;
            return std::to_string(n);
        }
        return std::to_string(v.convert<std::uint64_t>());
    }
    if (v.isNumeric()) {  // JSON "42.0" parses as double: accept whole numbers only
        const double d = v.convert<double>();
        if (!(d >= 0) || d > 9.0e15 || std::floor(d) != d) return std::nullopt;
        return std::to_string(static_cast<std::uint64_t>(d));
    }
    return std::nullopt;
}

}  // namespace

Challenge signChallenge(std::string_view hmac_key, std::string salt, std::string_view number,
                        std::uint64_t maxnumber) {
    Challenge c;
    c.maxnumber = maxnumber;
    c.salt = std::move(salt);
    std::string material = c.salt;
    material.append(number);
    c.challenge = sha256Hex(material);
    c.signature = hmacSha256Hex(hmac_key, c.challenge);
    return c;
}

std::optional<Challenge> createChallenge(std::string_view hmac_key, std::uint64_t maxnumber,
                                         std::int64_t expires_unix) {
    auto random_salt = randomHex(kSaltBytes);
    auto number = randomUpTo(maxnumber);
    if (!random_salt || !number) return std::nullopt;
    std::string salt = *random_salt + "?expires=" + std::to_string(expires_unix) + "&";
    return signChallenge(hmac_key, std::move(salt), std::to_string(*number), maxnumber);
}

std::string challengeJson(const Challenge& c) {
    // Every value is hex, digits or the fixed algorithm name, except the salt, which we built
    // from hex and digits too: nothing needs JSON escaping.
    std::string fields;
    fields += "\"algorithm\":\"" + c.algorithm + "\"";
    fields += ",\"challenge\":\"" + c.challenge + "\"";
    fields += ",\"maxnumber\":" + std::to_string(c.maxnumber);
    fields += ",\"maxNumber\":" + std::to_string(c.maxnumber);
    fields += ",\"salt\":\"" + c.salt + "\"";
    fields += ",\"signature\":\"" + c.signature + "\"";
    return "{" + fields + ",\"data\":{" + fields + "}}";
}

std::optional<Payload> decodePayload(std::string_view base64_solution) {
    if (base64_solution.empty() || base64_solution.size() > kMaxSolutionSize) return std::nullopt;
    try {
        std::istringstream in{std::string(base64_solution)};
        Poco::Base64Decoder decoder(in);
        std::string json((std::istreambuf_iterator<char>(decoder)), std::istreambuf_iterator<char>());
        if (json.empty()) return std::nullopt;

        Poco::JSON::Parser parser;
        const Poco::Dynamic::Var root = parser.parse(json);
        if (root.type() != typeid(Poco::JSON::Object::Ptr)) return std::nullopt;
        const auto obj = root.extract<Poco::JSON::Object::Ptr>();

        Payload p;
        auto algorithm = stringField(*obj, "algorithm");
        auto challenge = stringField(*obj, "challenge");
        auto number = numberField(*obj);
        auto salt = stringField(*obj, "salt");
        auto signature = stringField(*obj, "signature");
        if (!algorithm || !challenge || !number || !salt || !signature) return std::nullopt;
        p.algorithm = std::move(*algorithm);
        p.challenge = std::move(*challenge);
        p.number = std::move(*number);
        p.salt = std::move(*salt);
        p.signature = std::move(*signature);
        return p;
    } catch (...) {  // Poco throws on bad base64 and bad JSON alike: both are a malformed solution.
        return std::nullopt;
    }
}

std::optional<std::int64_t> saltExpires(std::string_view salt) {
    const auto q = salt.find('?');
    if (q == std::string_view::npos) return std::nullopt;
    std::string_view params = salt.substr(q + 1);
    while (!params.empty()) {
        const auto amp = params.find('&');
        const std::string_view pair = params.substr(0, amp);
        params = amp == std::string_view::npos ? std::string_view{} : params.substr(amp + 1);
        const auto eq = pair.find('=');
        if (eq == std::string_view::npos) continue;
        const std::string_view name = pair.substr(0, eq);
        const std::string_view value = pair.substr(eq + 1);
        if (name != "expires" && name != "expire") continue;
        std::int64_t out = 0;
        const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), out);
        if (ec != std::errc{} || end != value.data() + value.size()) return std::nullopt;
        return out;
    }
    return std::nullopt;
}

}  // namespace tidings::altcha
