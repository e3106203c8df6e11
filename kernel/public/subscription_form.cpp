#include "kernel/public/subscription_form.hpp"

#include "kernel/http/request_input.hpp"

namespace tidings::kernel {

PublicSubscription publicSubscriptionFrom(const Poco::JSON::Object& body, const sdk::Request& request) {
    PublicSubscription sub;
    sub.email = optString(body, "email").value_or("");
    sub.name = optString(body, "name").value_or("");
    for (const char* field : {"list_uuids", "l", "lists[]"}) {
        for (auto& uuid : optStrings(body, field).value_or(std::vector<std::string>{})) sub.list_uuids.push_back(uuid);
    }
    // Every field that is not part of the subscription itself may be a CAPTCHA solution; the
    // service picks the ones its enabled providers ask for.
    for (const auto& [key, value] : body) {
        if (key == "email" || key == "name" || key == "list_uuids" || key == "l") continue;
        if (value.isString()) sub.captcha_fields.emplace_back(key, value.extract<std::string>());
    }
    sub.remote_address = request.remote_address;
    return sub;
}

}  // namespace tidings::kernel
