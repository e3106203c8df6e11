#include "kernel/api/import_params.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include "kernel/core/text.hpp"
#include "kernel/http/http_error.hpp"

namespace tidings::kernel {
namespace {

bool parseBool(const std::string& field, const std::string& text) {
    const std::string v = lowercase(trimmed(text));
    if (v == "true" || v == "1" || v == "on" || v == "yes") return true;
    if (v == "false" || v == "0" || v == "off" || v == "no" || v.empty()) return false;
    throw HttpError(400, field + ": must be true or false");
}

sdk::Id parseListId(const std::string& text) {
    const std::string v = trimmed(text);
    std::size_t used = 0;
    long long id = 0;
    try {
        id = std::stoll(v, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (v.empty() || used != v.size() || id < 1) throw HttpError(400, "lists: invalid list id '" + v + "'");
    return id;
}

/// "1,2", "[1,2]" or "1".
std::vector<sdk::Id> parseListIds(const std::string& text) {
    std::string v = trimmed(text);
    if (!v.empty() && v.front() == '[' && v.back() == ']') v = v.substr(1, v.size() - 2);
    std::vector<sdk::Id> ids;
    std::size_t from = 0;
    while (from <= v.size()) {
        auto comma = v.find(',', from);
        if (comma == std::string::npos) comma = v.size();
        const std::string item = trimmed(v.substr(from, comma - from));
        if (!item.empty()) ids.push_back(parseListId(item));
        from = comma + 1;
    }
    return ids;
}

/// One printable ASCII character other than the quote, or a tab ("\t", "tab" or the character
/// itself). A byte of 0x80 or above is no character on its own in UTF-8, and a control byte
/// (CR, LF, NUL) would cut records instead of fields.
char parseDelimiter(const std::string& text) {
    if (text == "\\t" || text == "tab" || text == "\t") return '\t';
    const bool printable = text.size() == 1 && text[0] >= 0x20 && text[0] < 0x7f;
    if (!printable || text == "\"") {
        throw HttpError(400, "delim: must be one printable ASCII character other than a quote, or \\t for a tab");
    }
    return text[0];
}

/// Every parameter as text, from `params` JSON first, then separate fields over it.
std::vector<std::pair<std::string, std::string>> collect(const MultipartBody& body) {
    std::vector<std::pair<std::string, std::string>> out;
    if (const std::string* params = body.field("params"); params && !trimmed(*params).empty()) {
        Poco::JSON::Object::Ptr obj;
        try {
            obj = Poco::JSON::Parser().parse(*params).extract<Poco::JSON::Object::Ptr>();
        } catch (const std::exception&) {
            throw HttpError(400, "params: must be a JSON object");
        }
        for (const auto& [key, value] : *obj) {
            if (value.isEmpty()) continue;
            if (key == "lists" && value.type() == typeid(Poco::JSON::Array::Ptr)) {
                std::string joined;
                for (const auto& item : *value.extract<Poco::JSON::Array::Ptr>()) {
                    joined += (joined.empty() ? "" : ",") + item.convert<std::string>();
                }
                out.emplace_back(key, joined);
            } else {
                out.emplace_back(key, value.convert<std::string>());
            }
        }
    }
    for (const auto& [key, value] : body.fields) {
        if (key != "params") out.emplace_back(key, value);
    }
    return out;
}

/// The file name to show: the last path component, printable, at most 200 bytes.
std::string displayName(const std::string& filename) {
    std::string name = filename.substr(filename.find_last_of("/\\") == std::string::npos
                                           ? 0
                                           : filename.find_last_of("/\\") + 1);
    std::string out;
    for (char c : name) {
        if (static_cast<unsigned char>(c) >= 0x20 && c != 0x7f) out.push_back(c);
    }
    if (out.size() > 200) out.resize(200);
    return out.empty() ? "import.csv" : out;
}

}  // namespace

ImportRequest importRequest(const MultipartBody& body, const std::string& filename) {
    ImportRequest request;
    request.name = displayName(filename);
    std::optional<std::string> mode, status;
    std::optional<bool> overwrite, overwrite_userinfo, overwrite_status;
    std::vector<sdk::Id> lists;
    for (const auto& [key, value] : collect(body)) {
        if (key == "mode") mode = lowercase(trimmed(value));
        else if (key == "subscription_status") status = lowercase(trimmed(value));
        else if (key == "delim" || key == "delimiter") request.delimiter = parseDelimiter(value);
        else if (key == "lists" || key == "list_ids") {
            for (sdk::Id id : parseListIds(value)) lists.push_back(id);
        } else if (key == "overwrite") overwrite = parseBool(key, value);
        else if (key == "overwrite_userinfo") overwrite_userinfo = parseBool(key, value);
        else if (key == "overwrite_subscription_status") overwrite_status = parseBool(key, value);
    }
    if (!mode || *mode == "subscribe") {
        request.load.mode = sdk::ImportMode::Subscribe;
    } else if (*mode == "blocklist") {
        request.load.mode = sdk::ImportMode::Blocklist;
    } else {
        throw HttpError(400, "mode: must be subscribe or blocklist");
    }
    const bool subscribe = request.load.mode == sdk::ImportMode::Subscribe;
    if (status && !status->empty()) {
        auto parsed = sdk::parseEnum<sdk::SubscriptionStatus>(*status);
        if (!parsed) throw HttpError(400, "subscription_status: must be one of unconfirmed, confirmed, unsubscribed");
        request.load.subscription_status = *parsed;
    } else {
        request.load.subscription_status =
            subscribe ? sdk::SubscriptionStatus::Unconfirmed : sdk::SubscriptionStatus::Unsubscribed;
    }
    // listmonk's `overwrite` is shorthand for both finer switches.
    request.load.overwrite_userinfo = overwrite_userinfo.value_or(overwrite.value_or(false));
    request.load.overwrite_subscription_status = overwrite_status.value_or(overwrite.value_or(false));
    std::sort(lists.begin(), lists.end());
    lists.erase(std::unique(lists.begin(), lists.end()), lists.end());
    if (subscribe) request.load.list_ids = std::move(lists);
    return request;
}

}  // namespace tidings::kernel
