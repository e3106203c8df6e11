// listmonk's response envelope: {"data": ...} on success, {"message": ...} on error.
#pragma once

#include <string>

#include <Poco/Dynamic/Var.h>

#include <tidings/sdk/v1/http.hpp>

namespace tidings::kernel {

namespace sdk = tidings::sdk::v1;

/// Serialises `data` (a Poco JSON Object/Array or scalar Var) as {"data": data} with status 200.
void sendData(sdk::Response& response, const Poco::Dynamic::Var& data, int status = 200);

/// Sets {"message": message} with `status`.
void sendError(sdk::Response& response, int status, const std::string& message);

/// JSON-encodes a string (with quotes), escaping as JSON requires.
std::string jsonQuote(const std::string& text);

}  // namespace tidings::kernel
