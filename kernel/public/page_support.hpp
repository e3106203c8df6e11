// What every subscriber-facing page shares: the data each template gets (title, site name, root
// URL) and how a rendered page is sent.
#pragma once

#include <functional>
#include <string>

#include <tidings/sdk/v1/http.hpp>

#include "kernel/core/json_writer.hpp"
#include "kernel/core/settings_service.hpp"
#include "kernel/public/page_renderer.hpp"

namespace tidings::kernel {

namespace sdk = tidings::sdk::v1;

inline constexpr const char* kHtml = "text/html; charset=utf-8";

/// Opens the JSON object every page gets — Title, SiteName, RootURL — for the caller to add its
/// own keys and close.
void beginPageData(JsonWriter& w, const SettingsService& settings, const std::string& title);

/// Renders template `name` with `data` into the response, as an uncached, unindexed HTML page.
void sendPage(sdk::Response& rs, const PageRenderer& pages, const std::string& name, const std::string& data,
              int status = 200);

/// Sends message.html: a title and one sentence, for outcomes and errors a person reads.
void sendMessage(sdk::Response& rs, const SettingsService& settings, const PageRenderer& pages, const std::string& title,
                 const std::string& message, int status = 200);

/// Wraps a page handler so that a failed rule (StatusError, HttpError) becomes a message page
/// with the matching status instead of a JSON error, because a person is reading. Server-side
/// failures show no detail.
sdk::RouteHandler pageHandler(const SettingsService& settings, const PageRenderer& pages,
                              std::function<void(const sdk::Request&, sdk::Response&)> fn);

}  // namespace tidings::kernel
