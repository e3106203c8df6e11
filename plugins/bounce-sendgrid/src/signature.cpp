#include "signature.hpp"

#include <tidings/bounce_support/encoding.hpp>

namespace tidings::sendgrid {

support::PublicKey parseVerificationKey(std::string_view text) {
    std::string b64;
    b64.reserve(text.size());
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t end = text.find('\n', pos);
        if (end == std::string_view::npos) end = text.size();
        const std::string_view line = text.substr(pos, end - pos);
        pos = end + 1;
        if (line.find("-----") != std::string_view::npos) continue;  // PEM BEGIN/END lines
        for (char c : line)
            if (c != ' ' && c != '\t' && c != '\r') b64.push_back(c);
    }
    const auto der = support::base64Decode(b64);
    if (!der) return nullptr;
    support::PublicKey key = support::publicKeyFromDer(*der);
    // SendGrid signs with P-256 only; an RSA key here is a configuration mistake, not a key.
    if (key && EVP_PKEY_base_id(key.get()) != EVP_PKEY_EC) return nullptr;
    return key;
}

bool signatureValid(EVP_PKEY& key, std::string_view signature_b64, std::string_view timestamp, std::string_view body) {
    const auto signature = support::base64Decode(signature_b64);
    if (!signature || signature->empty()) return false;
    std::string payload;
    payload.reserve(timestamp.size() + body.size());
    payload.append(timestamp).append(body);
    return support::verifySignature(key, support::Digest::Sha256, payload, *signature);
}

}  // namespace tidings::sendgrid
