// POST /api/tx: transactional messages, as JSON or as multipart/form-data with the JSON in a
// `data` field and attachments as `file` parts (listmonk's two forms).
#pragma once

#include "kernel/core/tx_service.hpp"
#include "kernel/http/multipart_upload.hpp"
#include "kernel/http/router.hpp"

namespace tidings::kernel {

void addTxRoutes(Router& router, TxService& tx, const MultipartLimits& limits);

}  // namespace tidings::kernel
