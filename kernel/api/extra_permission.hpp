// A second permission some requests need on top of their route's, decided by what the request
// carries (a raw SQL `query` or campaign `segment` needs subscribers:sql_query, as in listmonk).
#pragma once

#include <string>

#include "kernel/api/api_context.hpp"
#include "kernel/http/http_error.hpp"

namespace tidings::kernel {

inline void requirePermission(ApiContext& ctx, const sdk::Request& request, const std::string& permission) {
    AuthOutcome who = ctx.authenticator.authenticate(request);
    if (who.result != AuthOutcome::Result::Ok || !who.principal.can(permission)) {
        throw HttpError(403, "permission denied: " + permission);
    }
}

}  // namespace tidings::kernel
