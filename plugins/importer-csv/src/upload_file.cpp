#include "upload_file.hpp"

#include <algorithm>
#include <cstring>
#include <fstream>

#include <Poco/Zip/ZipArchive.h>
#include <Poco/Zip/ZipStream.h>

namespace tidings::importer_csv {
namespace {

bool isZip(std::istream& in) {
    char magic[4] = {};
    in.read(magic, 4);
    const bool zip = in.gcount() == 4 && std::memcmp(magic, "PK\x03\x04", 4) == 0;
    in.clear();
    in.seekg(0);
    return zip;
}

/// listmonk's progress total: line breaks minus the header line. One pass at memory speed over
/// a file the kernel has just written (so it is in the page cache).
std::int64_t countRows(std::istream& in) {
    std::vector<char> buffer(1 << 20);
    std::int64_t lines = 0;
    char last = '\n';
    while (in) {
        in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
        const auto n = static_cast<std::size_t>(in.gcount());
        if (n == 0) break;
        lines += std::count(buffer.data(), buffer.data() + n, '\n');
        last = buffer[n - 1];
    }
    if (last != '\n') ++lines;  // a last line without a line break
    in.clear();
    in.seekg(0);
    return std::max<std::int64_t>(lines - 1, 0);
}

bool endsWithCsv(const std::string& name) {
    if (name.size() < 4) return false;
    std::string tail = name.substr(name.size() - 4);
    std::transform(tail.begin(), tail.end(), tail.begin(), [](unsigned char c) { return std::tolower(c); });
    return tail == ".csv";
}

/// What a ZIP-backed stream needs alive while it is read.
struct ZipHolder {
    std::ifstream file;
    std::unique_ptr<Poco::Zip::ZipArchive> archive;
};

}  // namespace

sdk::Status openUpload(const std::string& path, OpenedUpload& out) {
    auto file = std::make_unique<std::ifstream>(path, std::ios::binary);
    if (!*file) return sdk::Status::invalid("file: cannot open the upload");
    if (!isZip(*file)) {
        out.estimated_rows = countRows(*file);
        out.stream = std::move(file);
        return {};
    }
    try {
        auto holder = std::make_shared<ZipHolder>();
        holder->file.open(path, std::ios::binary);
        holder->archive = std::make_unique<Poco::Zip::ZipArchive>(holder->file);
        for (auto it = holder->archive->headerBegin(); it != holder->archive->headerEnd(); ++it) {
            const auto& header = it->second;
            const std::string& name = header.getFileName();
            // macOS adds resource-fork shadows (__MACOSX/._x.csv) that are not CSV at all.
            if (!header.isFile() || !endsWithCsv(name) || name.find("__MACOSX/") != std::string::npos) continue;
            holder->file.clear();
            out.stream = std::make_unique<Poco::Zip::ZipInputStream>(holder->file, header, true);
            out.keepalive = holder;
            out.estimated_rows = -1;
            return {};
        }
        return sdk::Status::invalid("file: the ZIP archive holds no .csv file");
    } catch (const Poco::Exception& e) {
        return sdk::Status::invalid("file: unreadable ZIP archive: " + e.displayText());
    }
}

}  // namespace tidings::importer_csv
