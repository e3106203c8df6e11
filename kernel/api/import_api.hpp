// /api/import/subscribers (start, status, log, stop/clear) and /api/subscribers/export: the
// routes that move subscribers in and out in bulk.
#pragma once

#include "kernel/core/import_service.hpp"
#include "kernel/core/subscriber_service.hpp"
#include "kernel/http/authenticator.hpp"
#include "kernel/http/multipart_upload.hpp"
#include "kernel/http/router.hpp"

namespace tidings::kernel {

struct BulkApiContext {
    ImportService& imports;
    SubscriberService& subscribers;
    Authenticator& authenticator;
    MultipartLimits upload;  ///< Limits and spool directory for import uploads.
};

void addImportRoutes(Router& router, BulkApiContext& ctx);
void addSubscriberExportRoutes(Router& router, BulkApiContext& ctx);

}  // namespace tidings::kernel
