#include "kernel/http/http_error.hpp"

namespace tidings::kernel {

int httpStatusFor(sdk::StatusCode code) noexcept {
    switch (code) {
    case sdk::StatusCode::Ok: return 200;
    case sdk::StatusCode::Invalid: return 400;
    case sdk::StatusCode::Forbidden: return 403;
    case sdk::StatusCode::NotFound: return 404;
    case sdk::StatusCode::Conflict: return 409;
    case sdk::StatusCode::Unavailable: return 503;
    case sdk::StatusCode::Internal: return 500;
    case sdk::StatusCode::Unconfirmed: return 502;  // an upstream's answer was lost
    }
    return 500;
}

void throwIfError(const sdk::Status& status) {
    if (status.ok()) return;
    if (status.code() == sdk::StatusCode::Internal) {
        // The server logs the original message with the request id; the client gets no detail.
        throw std::runtime_error(status.message());
    }
    throw HttpError(httpStatusFor(status.code()), status.message());
}

}  // namespace tidings::kernel
