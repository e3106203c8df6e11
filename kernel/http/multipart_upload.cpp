#include "kernel/http/multipart_upload.hpp"

#include <fstream>

#include <Poco/Net/MessageHeader.h>
#include <Poco/Net/MultipartReader.h>
#include <Poco/Net/NameValueCollection.h>

#include "kernel/http/http_error.hpp"

namespace tidings::kernel {

const std::string* MultipartBody::field(std::string_view name) const {
    for (const auto& [k, v] : fields) {
        if (k == name) return &v;
    }
    return nullptr;
}

UploadedFile* MultipartBody::file(std::string_view name) {
    for (auto& f : files) {
        if (f.field == name) return &f;
    }
    return nullptr;
}

MultipartBody readMultipart(const sdk::Request& request, std::istream& body, const MultipartLimits& limits) {
    const std::string type(request.header("content-type").value_or(""));
    std::string media;
    Poco::Net::NameValueCollection params;
    Poco::Net::MessageHeader::splitParameters(type, media, params);
    for (auto& c : media) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (media != "multipart/form-data" || params.get("boundary", "").empty()) {
        throw HttpError(400, "file: the request must be multipart/form-data with a file part");
    }
    MultipartBody out;
    try {
        Poco::Net::MultipartReader reader(body, params.get("boundary"));
        std::vector<char> buffer(256 * 1024);
        while (reader.hasNextPart()) {
            if (out.fields.size() + out.files.size() >= limits.max_parts) {
                throw HttpError(400, "the form has more than " + std::to_string(limits.max_parts) + " parts");
            }
            Poco::Net::MessageHeader header;
            reader.nextPart(header);
            std::string disposition;
            Poco::Net::NameValueCollection dparams;
            Poco::Net::MessageHeader::splitParameters(header.get("Content-Disposition", ""), disposition, dparams);
            const std::string name = dparams.get("name", "");
            std::istream& part = reader.stream();
            if (dparams.has("filename")) {
                UploadedFile file;
                file.field = name;
                file.filename = dparams.get("filename");
                file.content_type = header.get("Content-Type", "application/octet-stream");
                file.file = TempFile::create(limits.temp_dir, "tidings-upload-");
                std::ofstream sink(file.file.path(), std::ios::binary | std::ios::trunc);
                while (part) {
                    part.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
                    const auto n = static_cast<std::uint64_t>(part.gcount());
                    file.size += n;
                    if (file.size > limits.max_file_bytes) {
                        throw HttpError(413, "file: larger than the upload limit of " +
                                                 std::to_string(limits.max_file_bytes) + " bytes");
                    }
                    sink.write(buffer.data(), static_cast<std::streamsize>(n));
                }
                sink.close();
                if (!sink) throw std::runtime_error("cannot write the upload to " + limits.temp_dir);
                out.files.push_back(std::move(file));
            } else {
                std::string value;
                while (part) {
                    part.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
                    value.append(buffer.data(), static_cast<std::size_t>(part.gcount()));
                    if (value.size() > limits.max_field_bytes) {
                        throw HttpError(413, name + ": larger than " + std::to_string(limits.max_field_bytes) + " bytes");
                    }
                }
                out.fields.emplace_back(name, std::move(value));
            }
        }
    } catch (const Poco::Exception& e) {
        throw HttpError(400, "malformed multipart body: " + e.displayText());
    }
    return out;
}

}  // namespace tidings::kernel
