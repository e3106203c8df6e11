#include "kernel/template/message_values.hpp"

#include <chrono>

#include <Poco/JSON/Parser.h>

#include "kernel/template/template_set.hpp"
#include "kernel/template/time_format.hpp"

namespace tidings::kernel {

using tmpl::Value;

namespace {

// listmonk's FirstName/LastName: the first and last space-separated chunks longer than two
// bytes, or the whole name when there is none.
std::pair<std::string, std::string> splitName(const std::string& name) {
    std::vector<std::string> chunks;
    std::size_t pos = 0;
    while (pos < name.size()) {
        std::size_t space = name.find(' ', pos);
        std::string chunk = name.substr(pos, space == std::string::npos ? std::string::npos : space - pos);
        if (chunk.size() > 2) chunks.push_back(std::move(chunk));
        if (space == std::string::npos) break;
        pos = space + 1;
    }
    if (chunks.empty()) return {name, name};
    return {chunks.front(), chunks.back()};
}

}  // namespace

std::string rfc3339(sdk::Timestamp t) {
    return tmpl::formatRfc3339(std::chrono::time_point_cast<std::chrono::system_clock::duration>(t));
}

Value jsonValue(const std::string& json) {
    if (json.empty()) return Value::map({});
    Poco::JSON::Parser parser;
    return valueFromVar(parser.parse(json), /*numbersAsFloat=*/true);
}

Value stringsValue(const std::vector<std::string>& items) {
    Value::List l;
    for (const auto& t : items) l.emplace_back(t);
    return Value::list(std::move(l));
}

Value subscriberValue(const sdk::Subscriber& s) {
    auto [first, last] = splitName(s.name);
    return Value::record({
        {"ID", Value(static_cast<long long>(s.id))},
        {"UUID", Value(s.uuid)},
        {"Email", Value(s.email)},
        {"Name", Value(s.name)},
        {"FirstName", Value(std::move(first))},
        {"LastName", Value(std::move(last))},
        {"Status", Value(std::string(sdk::toString(s.status)))},
        {"Attribs", jsonValue(s.attribs_json)},
        {"Lists", Value::list({})},
        {"CreatedAt", Value(rfc3339(s.created_at))},
        {"UpdatedAt", Value(rfc3339(s.updated_at))},
    });
}

}  // namespace tidings::kernel
