// /api/import/subscribers: start an import (multipart upload), its status and log, stop/clear.
#include "kernel/api/import_api.hpp"

#include "kernel/api/import_params.hpp"
#include "kernel/core/json_writer.hpp"
#include "kernel/core/status_error.hpp"
#include "kernel/http/handler_support.hpp"
#include "kernel/http/http_error.hpp"

namespace tidings::kernel {
namespace {

constexpr const char* kImport = "subscribers:import";

std::string stateJson(const sdk::ImportState& s) {
    JsonWriter w;
    w.beginObject();
    w.key("name").value(s.name);
    w.key("total").value(s.total);
    w.key("imported").value(s.imported);
    w.key("status").value(sdk::toString(s.status));
    w.endObject();
    return w.take();
}

void startImport(BulkApiContext& ctx, const sdk::Request& request, std::istream& body, sdk::Response& response) {
    MultipartBody form = readMultipart(request, body, ctx.upload);
    UploadedFile* file = form.file("file");
    if (!file) throw HttpError(400, "file: missing; send the CSV (or a ZIP holding one) as the 'file' part");
    ImportRequest params = importRequest(form, file->filename);
    try {
        sendDataJson(response, stateJson(ctx.imports.start(params, std::move(file->file))));
    } catch (const StatusError& e) {
        throwIfError(e.status());
    }
}

}  // namespace

void addImportRoutes(Router& router, BulkApiContext& ctx) {
    throwIfError(router.addUpload(authed("POST", "/api/import/subscribers", kImport),
                                  [&ctx](const sdk::Request& rq, std::istream& body, sdk::Response& rs) {
                                      startImport(ctx, rq, body, rs);
                                  },
                                  "kernel"));
    addKernelRoute(router, authed("GET", "/api/import/subscribers", kImport),
                   [&ctx](const sdk::Request&, sdk::Response& rs) { sendDataJson(rs, stateJson(ctx.imports.status())); });
    addKernelRoute(router, authed("GET", "/api/import/subscribers/logs", kImport),
                   [&ctx](const sdk::Request&, sdk::Response& rs) {
                       JsonWriter w;
                       w.value(ctx.imports.log());
                       sendDataJson(rs, w.str());
                   });
    addKernelRoute(router, authed("DELETE", "/api/import/subscribers", kImport),
                   [&ctx](const sdk::Request&, sdk::Response& rs) {
                       sendDataJson(rs, stateJson(ctx.imports.stopOrClear()));
                   });
}

}  // namespace tidings::kernel
