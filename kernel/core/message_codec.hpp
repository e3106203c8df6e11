// A rendered message as JSON text, so that it can wait in the outbox (see mail_queue.hpp) and be
// sent by whichever process claims it. Attachments are carried base64-encoded.
#pragma once

#include <string>

#include <tidings/sdk/v1/messenger.hpp>

namespace tidings::kernel {

namespace sdk = tidings::sdk::v1;

/// The message as one JSON object.
std::string encodeMessage(const sdk::Message& message);

/// The message encodeMessage() wrote. Throws StatusError (Invalid) for text it did not write.
sdk::Message decodeMessage(const std::string& json);

}  // namespace tidings::kernel
