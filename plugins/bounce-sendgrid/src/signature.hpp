// SendGrid's Signed Event Webhook: an ECDSA P-256 signature (base64 of DER (r, s)) over the
// timestamp header's text followed by the raw body, checked with the verification key the
// SendGrid console shows (base64 of a DER SubjectPublicKeyInfo).
#pragma once

#include <string>
#include <string_view>

#include <tidings/bounce_support/crypto.hpp>

namespace tidings::sendgrid {

namespace support = ::tidings::bounce_support;

/// The verification key from the setting's text. Whitespace and PEM armour are tolerated because
/// operators paste keys from wherever they found them. Null when it is not an EC key.
support::PublicKey parseVerificationKey(std::string_view text);

/// Whether `signature_b64` signs `timestamp` + `body` under `key`.
bool signatureValid(EVP_PKEY& key, std::string_view signature_b64, std::string_view timestamp, std::string_view body);

}  // namespace tidings::sendgrid
