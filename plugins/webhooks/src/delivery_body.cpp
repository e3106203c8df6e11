#include "delivery_body.hpp"

#include <sstream>

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/JSON/Stringifier.h>
#include <Poco/Timestamp.h>

namespace tidings::webhooks {

std::string rfc3339(sdk::Timestamp t) {
    const Poco::Timestamp ts(static_cast<Poco::Timestamp::TimeVal>(t.time_since_epoch().count()));
    return Poco::DateTimeFormatter::format(ts, "%Y-%m-%dT%H:%M:%S.%FZ");
}

std::string jsonString(const std::string& text) {
    std::ostringstream out;
    Poco::JSON::Stringifier::formatString(text, out);
    return out.str();
}

std::string deliveryBody(const sdk::OutboxJob& job) {
    const std::string& data = job.payload.empty() ? std::string("null") : job.payload;
    return "{\"event\":" + jsonString(job.event) + ",\"delivery_id\":" + jsonString(job.uuid) +
           ",\"created_at\":" + jsonString(rfc3339(job.created_at)) + ",\"data\":" + data + "}";
}

}  // namespace tidings::webhooks
