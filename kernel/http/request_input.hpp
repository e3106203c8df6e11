// Reading client input for the admin API: bodies (JSON or form), typed fields, ids and paging.
// Every failure throws HttpError 400 with a message naming the field.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <Poco/JSON/Object.h>

#include <tidings/sdk/v1/http.hpp>
#include <tidings/sdk/v1/storage.hpp>

namespace tidings::kernel {

namespace sdk = tidings::sdk::v1;

/// 400 naming `field` unless `text` is valid UTF-8 without NUL bytes: the check every piece of
/// client text passes where it enters (bodies here, query strings and paths in the server), so
/// no deeper layer sees text that storage would cut short or refuse.
void checkText(std::string_view text, const std::string& field);

/// Parses a JSON body of any shape; 400 when it is not JSON or holds unacceptable text (see
/// checkText), naming the member ("attribs.city: must not contain NUL characters").
Poco::Dynamic::Var parseJsonBody(std::string_view body);

/// The request body as a JSON object. JSON bodies must be an object; form bodies
/// (application/x-www-form-urlencoded) become an object of strings, repeated keys an array of
/// strings. An empty body is an empty object.
Poco::JSON::Object::Ptr bodyObject(const sdk::Request& request);

std::optional<std::string> optString(const Poco::JSON::Object& obj, const std::string& field);
std::optional<std::int64_t> optInt(const Poco::JSON::Object& obj, const std::string& field);
std::optional<bool> optBool(const Poco::JSON::Object& obj, const std::string& field);
std::optional<std::vector<std::int64_t>> optIds(const Poco::JSON::Object& obj, const std::string& field);
std::optional<std::vector<std::string>> optStrings(const Poco::JSON::Object& obj, const std::string& field);
/// A JSON object field serialised back to text; 400 when present but not an object.
std::optional<std::string> optObjectJson(const Poco::JSON::Object& obj, const std::string& field);

/// The `:id` path parameter; 400 "invalid ID" unless a positive integer.
sdk::Id idParam(const sdk::Request& request, std::string_view name = "id");

/// Every `name` query parameter as ids; 400 naming the parameter on a non-integer.
std::vector<sdk::Id> queryIds(const sdk::Request& request, std::string_view name);

/// listmonk paging: page >= 1 (default 1); per_page "all" -> 0 (no limit), < 1 -> 20.
sdk::PageRequest pageParams(const sdk::Request& request);

/// `order`: asc or desc, any case; absent -> `fallback`; anything else -> 400.
sdk::SortOrder orderParam(const sdk::Request& request, sdk::SortOrder fallback);

}  // namespace tidings::kernel
