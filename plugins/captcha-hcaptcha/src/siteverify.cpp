#include "siteverify.hpp"

#include <Poco/Exception.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/URI.h>

#include <memory>
#include <mutex>

namespace tidings::hcaptcha {
namespace {

// siteverify answers are a few hundred bytes; a huge body is not an answer we can use.
constexpr std::size_t kMaxBody = 64 * 1024;

// One TLS client context for the process: creating it loads the CA store, which is too slow to
// repeat per request. Poco contexts are safe to share between sessions.
Poco::Net::Context::Ptr tlsContext() {
    static std::once_flag once;
    static Poco::Net::Context::Ptr context;
    std::call_once(once, [] {
        Poco::Net::Context::Params params;
        params.verificationMode = Poco::Net::Context::VERIFY_RELAXED;
        params.loadDefaultCAs = true;
        params.cipherList = "HIGH:!aNULL:!MD5";
        context = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, params);
    });
    return context;
}

}  // namespace

std::string formEncode(const std::vector<std::pair<std::string, std::string>>& fields) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (const auto& [name, value] : fields) {
        if (!out.empty()) out.push_back('&');
        for (const std::string* part : {&name, &value}) {
            for (unsigned char c : *part) {
                const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                                        (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
                                        c == '~';
                if (unreserved) {
                    out.push_back(static_cast<char>(c));
                } else {
                    out.push_back('%');
                    out.push_back(kHex[c >> 4]);
                    out.push_back(kHex[c & 0x0f]);
                }
            }
            if (part == &name) out.push_back('=');
        }
    }
    return out;
}

HttpAnswer postForm(std::string_view url, const std::string& form_body,
                    std::chrono::milliseconds timeout) noexcept {
    HttpAnswer answer;
    try {
        const Poco::URI uri{std::string(url)};
        std::unique_ptr<Poco::Net::HTTPClientSession> session;
        if (uri.getScheme() == "https") {
            session = std::make_unique<Poco::Net::HTTPSClientSession>(uri.getHost(), uri.getPort(), tlsContext());
        } else if (uri.getScheme() == "http") {
            session = std::make_unique<Poco::Net::HTTPClientSession>(uri.getHost(), uri.getPort());
        } else {
            answer.error = "unsupported URL scheme '" + uri.getScheme() + "'";
            return answer;
        }
        session->setTimeout(Poco::Timespan(std::chrono::duration_cast<std::chrono::microseconds>(timeout).count()));

        Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, uri.getPathAndQuery().empty() ? "/" : uri.getPathAndQuery(),
                                       Poco::Net::HTTPMessage::HTTP_1_1);
        request.setContentType("application/x-www-form-urlencoded");
        request.setContentLength(static_cast<std::streamsize>(form_body.size()));
        request.set("Accept", "application/json");
        session->sendRequest(request) << form_body;

        Poco::Net::HTTPResponse response;
        std::istream& in = session->receiveResponse(response);
        answer.status = static_cast<int>(response.getStatus());
        char buf[4096];
        while (answer.body.size() < kMaxBody && in.read(buf, sizeof buf).gcount() > 0)
            answer.body.append(buf, static_cast<std::size_t>(in.gcount()));
        if (in.bad()) {  // a timeout mid-body surfaces as an exception or a bad stream
            answer.error = "reading the answer failed";
            return answer;
        }
        answer.reached = true;
    } catch (const Poco::Exception& e) {
        answer.error = e.displayText();
    } catch (const std::exception& e) {
        answer.error = e.what();
    } catch (...) {
        answer.error = "unknown error";
    }
    return answer;
}

}  // namespace tidings::hcaptcha
