// Tidings plugin SDK, version 1: the bounce-provider capability (SES, SendGrid, Postmark, ...).
//
// A bounce provider turns a provider's webhook request into bounce events. The kernel mounts the
// provider at `/webhooks/service/<name>` (a public route: providers cannot send our credentials),
// calls `handle` for each request, records the returned events and applies the configured bounce
// actions atomically with each record. Verification (signatures, shared secrets, replay windows)
// is the provider's job: a request it cannot verify must yield Forbidden or Invalid and no events.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http.hpp"
#include "model.hpp"
#include "status.hpp"

namespace tidings::sdk::v1 {

enum class BounceType : std::uint8_t { Soft = 0, Hard = 1, Complaint = 2 };

constexpr std::string_view toString(BounceType t) noexcept {
    switch (t) {
    case BounceType::Soft: return "soft";
    case BounceType::Hard: return "hard";
    case BounceType::Complaint: return "complaint";
    }
    return "hard";
}

template <>
inline std::optional<BounceType> parseEnum(std::string_view t) noexcept {
    constexpr BounceType all[] = {BounceType::Soft, BounceType::Hard, BounceType::Complaint};
    return detail::parseAmong(t, all);
}

/// One bounce reported by a provider. Either `email` or `subscriber_uuid` identifies the
/// subscriber; `campaign_uuid` is empty when unknown.
struct BounceEvent {
    std::string email;
    std::string subscriber_uuid;
    std::string campaign_uuid;
    BounceType type = BounceType::Hard;
    std::string source;            ///< The provider name, e.g. "ses".
    std::string meta_json = "{}";  ///< The provider's raw details, a JSON object.
    /// When the provider says the bounce happened; unset means when it is recorded.
    std::optional<Timestamp> created_at;
};

/// Receives webhook requests from one provider. Called on HTTP worker threads, concurrently.
class BounceProvider {
public:
    /// Route suffix and `source` value: "ses" -> /webhooks/service/ses.
    virtual std::string_view name() const noexcept = 0;

    /// Verifies and parses one request. On success, `events` holds the bounces to record (may be
    /// empty, e.g. for a subscription handshake) and `response` what to answer; the kernel sends
    /// it as is. On failure nothing is recorded and the kernel answers with the status's code.
    virtual Status handle(const Request& request, std::vector<BounceEvent>& events,
                          Response& response) noexcept = 0;

protected:
    ~BounceProvider() = default;
};

}  // namespace tidings::sdk::v1
