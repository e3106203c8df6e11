// A campaign compiled for sending: its template, body, subject, alt body and headers parsed
// once, then rendered into one sdk::Message per subscriber from any number of threads.
//
// Rendering follows listmonk: the template is the base and the campaign body is grafted in as
// the template named "content"; Markdown bodies are converted to HTML first; subject, alt body
// and header values are text templates; the dot is {Subscriber, Campaign} and the campaign
// functions (TrackLink, TrackView, UnsubscribeURL, ManageURL, OptinURL, MessageURL, ArchiveURL,
// RootURL) build links from `MessageContext`.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <tidings/sdk/v1/campaign.hpp>
#include <tidings/sdk/v1/messenger.hpp>

#include "kernel/template/template_error.hpp"

namespace tidings::kernel {

namespace sdk = tidings::sdk::v1;

/// What a rendered campaign message needs from the settings, captured when it is compiled.
struct MessageContext {
    std::string root_url;           ///< app.root_url, without a trailing slash.
    std::string default_from;       ///< app.from_email, used when the campaign has none.
    bool unsubscribe_header = true; ///< privacy.unsubscribe_header: List-Unsubscribe(-Post).
    bool tracking = true;           ///< false renders TrackLink as the bare URL and TrackView as "".
    /// Registers a tracked link and returns its UUID; when unset, or when it returns "",
    /// TrackLink renders the bare URL.
    std::function<std::string(const std::string& url)> link_uuid;
};

class CampaignMessage {
public:
    /// Compiles `campaign` inside `tmpl` (no template: the body alone). Throws TemplateError with
    /// line and column for a syntax error in any part.
    static CampaignMessage compile(const sdk::Campaign& campaign, const std::optional<sdk::Template>& tmpl,
                                   MessageContext context);

    /// The message for one subscriber. Throws TemplateError when rendering fails (e.g. a
    /// function error); the caller records it as that recipient's failure.
    sdk::Message render(const sdk::Subscriber& subscriber) const;

    /// The rendered HTML (or plain text) body alone, for previews.
    std::string renderBody(const sdk::Subscriber& subscriber) const;

    const sdk::Campaign& campaign() const;

private:
    struct Compiled;
    explicit CampaignMessage(std::shared_ptr<const Compiled> c) : compiled_(std::move(c)) {}
    std::shared_ptr<const Compiled> compiled_;
};

/// listmonk's preview subscriber ("Demo Subscriber", demo@listmonk.app, attribs {city: Bengaluru}).
sdk::Subscriber previewSubscriber();

}  // namespace tidings::kernel
