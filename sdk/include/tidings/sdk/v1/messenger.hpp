// Tidings plugin SDK, version 1: the messenger capability (SMTP, HTTP postback, ...).
//
// A messenger delivers composed messages. The campaign engine calls it from several worker
// threads at once; a messenger that cannot be used concurrently must serialise internally.
// Delivery is at-least-once from the kernel's point of view: a message whose push returned an
// error may be retried by the kernel (an operator's retry of a campaign's failed recipients), so
// a messenger should not report failure for a message it handed over successfully. A message
// that went out in full but whose acceptance was never confirmed (the relay's answer was lost)
// is neither: since SDK 1.2 the messenger reports it as Unconfirmed, which the kernel records as
// such and never sends again by itself.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model.hpp"
#include "status.hpp"

namespace tidings::sdk::v1 {

/// A file attached to a message.
struct Attachment {
    std::string name;          ///< File name shown to the recipient.
    std::string content_type;  ///< MIME type, e.g. "application/pdf".
    std::string content;       ///< Raw bytes.
};

/// One message to one or more recipients, fully rendered by the kernel.
struct Message {
    std::string from;                 ///< "Name <address>" or a bare address.
    std::vector<std::string> to;      ///< Recipient addresses.
    std::string subject;
    std::string content_type = "html";  ///< "html" or "plain": the type of `body`.
    std::string body;
    std::string alt_body;             ///< Plain-text alternative; empty for none.
    std::vector<std::pair<std::string, std::string>> headers;  ///< Extra headers, in order.
    std::vector<Attachment> attachments;
    /// The campaign and subscriber this message is for, when it is a campaign message; postback
    /// messengers forward them, SMTP messengers ignore them.
    std::string campaign_uuid;
    std::string subscriber_uuid;
    std::string subscriber_email;
    std::string subscriber_name;
    std::string subscriber_attribs_json = "{}";
    /// The campaign's name, tags and headers (listmonk's form, `[{"X-Header": "value"}]`), when
    /// it is a campaign message; empty (headers "[]") otherwise. Postback messengers forward them.
    std::string campaign_name;
    std::vector<std::string> campaign_tags;
    std::string campaign_headers_json = "[]";
    /// The subscriber's status ("enabled", "blocklisted"); empty when there is no stored
    /// subscriber (tx messages to external addresses).
    std::string subscriber_status;
};

/// Sends messages. Owned by the plugin; alive from `Registrar::provideMessenger` until the
/// plugin's stop() returns.
class Messenger {
public:
    /// The name campaigns and tx requests select it by ("email", "webhook", ...). Stable.
    virtual std::string_view name() const noexcept = 0;

    /// How many messages pushBatch accepts at once; 1 when batching brings nothing.
    virtual std::size_t maxBatch() const noexcept = 0;

    /// Sends one message. Blocks until the relay accepted or refused it. Unavailable for
    /// transient failures (connection refused, 4xx SMTP replies), Invalid for permanent ones,
    /// Unconfirmed (SDK 1.2) when the whole message was handed over but the answer never came:
    /// the relay may have accepted it, so the messenger must not send it again, and the status
    /// message says what happened. Plugins built for 1.0 or 1.1 never return Unconfirmed.
    virtual Status push(const Message& message) noexcept = 0;

    /// Sends up to maxBatch() messages; `results` receives one Status per message, in order, with
    /// the codes push() would return. The returned Status is not ok only when the whole batch
    /// could not be attempted.
    virtual Status pushBatch(const std::vector<Message>& messages,
                             std::vector<Status>& results) noexcept = 0;

    /// Waits until everything pushed so far has been handed over.
    virtual Status flush() noexcept = 0;

    /// Closes pooled connections. Further pushes reopen them.
    virtual void close() noexcept = 0;

protected:
    ~Messenger() = default;
};

/// Messengers whose names are known only at run time, such as those an operator defines in a
/// runtime setting and may add, rename or disable while the kernel runs. The kernel asks a
/// directory for a name it has no statically registered messenger for. Owned by the plugin;
/// alive from `Registrar::provideMessengerDirectory` until the plugin's stop() returns. Both
/// methods are called from any thread, concurrently, and must be cheap (the kernel may call
/// find() once per message).
class MessengerDirectory {
public:
    /// The messenger currently selectable as `name`, or nullptr when there is none (unknown or
    /// disabled). A returned messenger must stay alive until the plugin's stop() returns, even
    /// after the name disappears from the directory: a campaign may still hold it.
    virtual Messenger* find(std::string_view name) noexcept = 0;

    /// The names find() currently answers for, for listing (GET /api/config). May be empty.
    virtual std::vector<std::string> names() noexcept = 0;

protected:
    ~MessengerDirectory() = default;
};

}  // namespace tidings::sdk::v1
