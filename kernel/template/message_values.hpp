// The template-side view of domain objects: how a subscriber, a timestamp or a stored JSON
// document appears in a message's dot, shared by campaign and transactional messages.
#pragma once

#include <string>
#include <vector>

#include <tidings/sdk/v1/model.hpp>

#include "kernel/template/value.hpp"

namespace tidings::kernel {

namespace sdk = tidings::sdk::v1;

/// RFC 3339 text of a stored time, as Go prints a time.Time in templates.
std::string rfc3339(sdk::Timestamp t);

/// A stored JSON document as a template value; numbers become float64 as Go's encoding/json
/// decodes them (listmonk's templates print 1234567 as 1.234567e+06). "" is an empty map.
tmpl::Value jsonValue(const std::string& json);

tmpl::Value stringsValue(const std::vector<std::string>& items);

/// `.Subscriber`: ID, UUID, Email, Name, FirstName, LastName, Status, Attribs, Lists,
/// CreatedAt, UpdatedAt. A record, so a misspelt field is a render error as in Go.
tmpl::Value subscriberValue(const sdk::Subscriber& s);

}  // namespace tidings::kernel
