// importer-csv: subscriber imports from CSV files (or a ZIP holding one), read as a stream.
#include <tidings/sdk/v1/plugin.hpp>

#include "csv_source.hpp"
#include "upload_file.hpp"

namespace {

namespace sdk = ::tidings::sdk::v1;
using namespace tidings::importer_csv;

class CsvImporter final : public sdk::Importer {
public:
    std::string_view name() const noexcept override { return "csv"; }

    sdk::Status open(const std::string& path, const sdk::ImportOptions& options,
                     std::unique_ptr<sdk::ImportSource>& source) noexcept override {
        try {
            OpenedUpload upload;
            if (auto st = openUpload(path, upload); !st) return st;
            auto csv = std::make_unique<CsvSource>(std::move(upload.keepalive), std::move(upload.stream), options,
                                                   upload.estimated_rows);
            if (auto st = csv->readHeader(); !st) return st;
            source = std::move(csv);
            return {};
        } catch (const std::exception& e) {
            return sdk::Status::internal(std::string("importer-csv: ") + e.what());
        }
    }
};

class CsvImporterPlugin final : public sdk::Plugin {
public:
    explicit CsvImporterPlugin(sdk::Host&) {}

    sdk::Status attach(sdk::Registrar& registrar) noexcept override { return registrar.provideImporter(importer_); }
    sdk::Status start() noexcept override { return {}; }
    void stop() noexcept override {}

private:
    CsvImporter importer_;
};

}  // namespace

TIDINGS_PLUGIN(CsvImporterPlugin, "importer", "importer-csv", "1.0.0",
               "Subscriber imports from CSV files (RFC 4180, any delimiter) or a ZIP holding one")
