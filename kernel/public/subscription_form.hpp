// Reading a public subscription from a JSON or form body, whichever field names the client
// used: `list_uuids` (JSON and the 002 form) or repeated `l` (listmonk's form), and the
// CAPTCHA fields of every provider.
#pragma once

#include <Poco/JSON/Object.h>

#include <tidings/sdk/v1/http.hpp>

#include "kernel/core/subscription_service.hpp"

namespace tidings::kernel {

PublicSubscription publicSubscriptionFrom(const Poco::JSON::Object& body, const sdk::Request& request);

}  // namespace tidings::kernel
