// A transactional template compiled once: its body (HTML escaping) and subject (text), rendered
// with listmonk's tx dot {Subscriber, Tx: {Data, Subject, FromEmail}}.
//
// Transactional templates get the generic functions only (Go and Sprig builtins, Date, Safe, L):
// no TrackLink, UnsubscribeURL or the other campaign functions, and none of the campaign
// shorthand rewrites, as in listmonk.
#pragma once

#include <memory>
#include <string>

#include <tidings/sdk/v1/campaign.hpp>

#include "kernel/template/template_error.hpp"

namespace tidings::kernel {

namespace sdk = tidings::sdk::v1;

class TxMessage {
public:
    /// Compiles `tmpl`'s body and subject. Throws TemplateError naming "body" or "subject".
    static TxMessage compile(const sdk::Template& tmpl);

    /// The subject for `subscriber`, `data_json` (a JSON object) as .Tx.Data.
    std::string renderSubject(const sdk::Subscriber& subscriber, const std::string& data_json) const;
    /// The HTML body. Throws TemplateError when rendering fails.
    std::string renderBody(const sdk::Subscriber& subscriber, const std::string& data_json) const;
    /// A request-supplied text (a subject override, an alt body) rendered with the same dot and
    /// functions; literal text is returned as it is. Throws TemplateError.
    std::string renderText(const std::string& source, const sdk::Subscriber& subscriber,
                           const std::string& data_json) const;

private:
    struct Compiled;
    explicit TxMessage(std::shared_ptr<const Compiled> c) : compiled_(std::move(c)) {}
    std::shared_ptr<const Compiled> compiled_;
};

}  // namespace tidings::kernel
