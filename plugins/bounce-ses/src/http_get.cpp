#include "http_get.hpp"

#include <memory>

#include <Poco/Exception.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/URI.h>

namespace tidings::ses {
namespace {

// SNS certificates are under 2 KB and confirmation answers a few hundred bytes; anything much
// larger is not what we asked for.
constexpr std::size_t kMaxBody = 64 * 1024;

}  // namespace

HttpAnswer httpGet(std::string_view url, const Poco::Net::Context::Ptr& tls, std::chrono::milliseconds timeout) noexcept {
    HttpAnswer answer;
    try {
        const Poco::URI uri{std::string(url)};
        std::unique_ptr<Poco::Net::HTTPClientSession> session;
        if (uri.getScheme() == "https") {
            session = std::make_unique<Poco::Net::HTTPSClientSession>(uri.getHost(), uri.getPort(), tls);
        } else if (uri.getScheme() == "http") {
            session = std::make_unique<Poco::Net::HTTPClientSession>(uri.getHost(), uri.getPort());
        } else {
            answer.error = "unsupported URL scheme '" + uri.getScheme() + "'";
            return answer;
        }
        session->setTimeout(Poco::Timespan(std::chrono::duration_cast<std::chrono::microseconds>(timeout).count()));
        const std::string target = uri.getPathAndQuery().empty() ? "/" : uri.getPathAndQuery();
        Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, target, Poco::Net::HTTPMessage::HTTP_1_1);
        session->sendRequest(request);

        Poco::Net::HTTPResponse response;
        std::istream& in = session->receiveResponse(response);
        answer.status = static_cast<int>(response.getStatus());
        char buf[4096];
        while (in.read(buf, sizeof buf).gcount() > 0) {
            answer.body.append(buf, static_cast<std::size_t>(in.gcount()));
            if (answer.body.size() > kMaxBody) {
                answer.error = "answer larger than " + std::to_string(kMaxBody) + " bytes";
                return answer;
            }
        }
        if (in.bad()) {
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

}  // namespace tidings::ses
