// A small streaming JSON writer for responses and hook payloads.
//
// Responses are built straight into one string: no intermediate DOM, and stored JSON documents
// (attributes, metadata) are spliced in as they are instead of being parsed and re-serialised.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <tidings/sdk/v1/model.hpp>

namespace tidings::kernel {

namespace sdk = tidings::sdk::v1;

class JsonWriter {
public:
    JsonWriter& beginObject();
    JsonWriter& endObject();
    JsonWriter& beginArray();
    JsonWriter& endArray();

    /// Writes an object key; the next call writes its value.
    JsonWriter& key(std::string_view name);

    JsonWriter& value(std::string_view text);
    JsonWriter& value(const char* text) { return value(std::string_view(text)); }
    JsonWriter& value(const std::string& text) { return value(std::string_view(text)); }
    JsonWriter& value(std::int64_t number);
    JsonWriter& value(int number) { return value(static_cast<std::int64_t>(number)); }
    JsonWriter& value(bool flag);
    JsonWriter& value(sdk::Timestamp time);  ///< RFC 3339, UTC, microseconds.
    JsonWriter& null();
    /// The value, or null when it is unset (listmonk prints unset nullable columns as null).
    template <typename T>
    JsonWriter& value(const std::optional<T>& v) {
        return v ? value(*v) : null();
    }

    /// Splices a JSON value that is already serialised (the caller guarantees it is valid).
    JsonWriter& raw(std::string_view json);

    /// Writes an array of strings.
    JsonWriter& strings(const std::vector<std::string>& items);

    const std::string& str() const noexcept { return out_; }
    std::string take() { return std::move(out_); }

private:
    void separate();

    std::string out_;
    // One entry per open container: whether it already holds an element.
    std::vector<bool> has_element_;
    bool after_key_ = false;
};

/// Appends `text` JSON-escaped (without quotes) to `out`. Invalid UTF-8 bytes become U+FFFD so
/// the output is always valid JSON.
void appendJsonEscaped(std::string& out, std::string_view text);

/// RFC 3339 text of a timestamp: "2024-01-15T10:00:00.123456Z".
std::string formatTimestamp(sdk::Timestamp time);

}  // namespace tidings::kernel
