#include "http_delivery.hpp"

#include <memory>

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

namespace tidings::webhooks {
namespace {

// Enough of a refusal's body to explain it in the deliveries listing, not a whole error page.
constexpr std::size_t kKeptAnswer = 200;

std::string readAnswer(std::istream& in) {
    std::string answer;
    char buffer[1024];
    while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
        if (answer.size() < kKeptAnswer) answer.append(buffer, static_cast<std::size_t>(in.gcount()));
    }
    if (answer.size() > kKeptAnswer) answer.resize(kKeptAnswer);
    return answer;
}

}  // namespace

HttpDelivery::HttpDelivery()
    : tls_(Poco::makeAuto<Poco::Net::Context>(Poco::Net::Context::TLS_CLIENT_USE, "", Poco::Net::Context::VERIFY_RELAXED,
                                              9, true)) {}

PostOutcome HttpDelivery::post(const std::string& url, const std::vector<std::pair<std::string, std::string>>& headers,
                               const std::string& body, std::chrono::milliseconds timeout) noexcept {
    PostOutcome out;
    try {
        const Poco::URI uri(url);
        std::unique_ptr<Poco::Net::HTTPClientSession> session;
        if (uri.getScheme() == "https")
            session = std::make_unique<Poco::Net::HTTPSClientSession>(uri.getHost(), uri.getPort(), tls_);
        else
            session = std::make_unique<Poco::Net::HTTPClientSession>(uri.getHost(), uri.getPort());
        const Poco::Timespan t(static_cast<Poco::Timespan::TimeDiff>(timeout.count()) * 1000);
        session->setTimeout(t, t, t);
        Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, uri.getPathAndQuery().empty() ? "/" : uri.getPathAndQuery(),
                                       Poco::Net::HTTPMessage::HTTP_1_1);
        request.setHost(uri.getHost(), uri.getPort());
        request.setContentType("application/json");
        request.setContentLength(static_cast<std::streamsize>(body.size()));
        request.set("User-Agent", "tidings-webhooks");
        for (const auto& [name, value] : headers) request.set(name, value);
        session->sendRequest(request).write(body.data(), static_cast<std::streamsize>(body.size()));
        Poco::Net::HTTPResponse response;
        const std::string answer = readAnswer(session->receiveResponse(response));
        out.status = static_cast<int>(response.getStatus());
        if (!out.ok())
            out.error = "HTTP " + std::to_string(out.status) + " " + response.getReason() +
                        (answer.empty() ? "" : ": " + answer);
    } catch (const Poco::Exception& e) {
        out.status = 0;
        out.error = e.displayText();
    } catch (const std::exception& e) {
        out.status = 0;
        out.error = e.what();
    } catch (...) {
        out.status = 0;
        out.error = "unknown error";
    }
    return out;
}

}  // namespace tidings::webhooks
