// The JSON forms of domain objects, field for field as listmonk serialises them.
#pragma once

#include <tidings/sdk/v1/model.hpp>

#include "kernel/core/json_writer.hpp"

namespace tidings::kernel {

namespace sdk = tidings::sdk::v1;

void writeList(JsonWriter& w, const sdk::List& list);
void writeSubscriber(JsonWriter& w, const sdk::Subscriber& subscriber);
void writeRole(JsonWriter& w, const sdk::Role& role);
/// Never includes the credential hash.
void writeUser(JsonWriter& w, const sdk::User& user);

}  // namespace tidings::kernel
