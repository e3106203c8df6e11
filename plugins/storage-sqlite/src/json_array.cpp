#include "json_array.hpp"

#include <sstream>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include "errors.hpp"

namespace tidings::storage_sqlite {

std::string toJsonArray(const std::vector<std::string>& values) {
    Poco::JSON::Array array;
    for (const auto& v : values) array.add(v);
    std::ostringstream out;
    array.stringify(out);
    return out.str();
}

std::vector<std::string> fromJsonArray(std::string_view json) {
    try {
        Poco::JSON::Parser parser;
        const auto array = parser.parse(std::string(json)).extract<Poco::JSON::Array::Ptr>();
        std::vector<std::string> out;
        out.reserve(array->size());
        for (std::size_t i = 0; i < array->size(); ++i) out.push_back(array->getElement<std::string>(static_cast<unsigned>(i)));
        return out;
    } catch (const Poco::Exception& e) {
        throw StatusError(sdk::Status::internal("storage-sqlite: stored array is not a JSON array of strings: " +
                                                e.displayText()));
    }
}

std::string idsJson(const std::vector<sdk::Id>& ids) {
    std::string out = "[";
    for (std::size_t i = 0; i < ids.size(); ++i) {
        if (i) out += ',';
        out += std::to_string(ids[i]);
    }
    return out + "]";
}

}  // namespace tidings::storage_sqlite
