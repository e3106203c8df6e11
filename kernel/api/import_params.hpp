// The parameters of POST /api/import/subscribers, in either of the accepted shapes: listmonk's
// `params` JSON part, or separate form fields (`mode`, `lists`, `overwrite`, ...) as the
// integration examples send them. Fields override `params`.
#pragma once

#include "kernel/core/import_service.hpp"
#include "kernel/http/multipart_upload.hpp"

namespace tidings::kernel {

/// Parses and checks the import parameters of an upload; throws HttpError 400 naming the field.
ImportRequest importRequest(const MultipartBody& body, const std::string& filename);

}  // namespace tidings::kernel
