#include "postback_receiver.hpp"

#include <sstream>
#include <thread>

#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>
#include <Poco/String.h>

namespace tidings::test {

namespace {

class Handler final : public Poco::Net::HTTPRequestHandler {
public:
    explicit Handler(PostbackReceiver& receiver) : receiver_(receiver) {}
    void handleRequest(Poco::Net::HTTPServerRequest& rq, Poco::Net::HTTPServerResponse& rs) override {
        PostbackRequest r;
        r.path = rq.getURI();
        r.authorization = rq.get("Authorization", "");
        r.content_type = rq.getContentType();
        for (const auto& [name, value] : rq) r.headers[Poco::toLower(name)] = value;
        Poco::StreamCopier::copyToString(rq.stream(), r.body);
        const int status = receiver_.record(std::move(r));
        rs.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
        rs.setContentType("text/plain");
        rs.send() << (status == 200 ? "ok" : "refused");
    }

private:
    PostbackReceiver& receiver_;
};

class Factory final : public Poco::Net::HTTPRequestHandlerFactory {
public:
    explicit Factory(PostbackReceiver& receiver) : receiver_(receiver) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
        return new Handler(receiver_);  // Poco's server takes ownership
    }

private:
    PostbackReceiver& receiver_;
};

}  // namespace

Poco::JSON::Object::Ptr PostbackRequest::json() const {
    try {
        return Poco::JSON::Parser().parse(body).extract<Poco::JSON::Object::Ptr>();
    } catch (...) {
        return nullptr;
    }
}

PostbackReceiver::PostbackReceiver(int status) : status_(status) {
    Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
    port_ = socket.address().port();
    Poco::AutoPtr<Poco::Net::HTTPServerParams> params(new Poco::Net::HTTPServerParams);
    params->setKeepAlive(true);
    params->setMaxThreads(16);
    server_ = std::make_unique<Poco::Net::HTTPServer>(new Factory(*this), socket, params);
    server_->start();
}

PostbackReceiver::~PostbackReceiver() { server_->stopAll(true); }

std::string PostbackReceiver::url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
}

void PostbackReceiver::script(std::vector<int> statuses) {
    std::lock_guard lock(mutex_);
    script_.assign(statuses.begin(), statuses.end());
}

void PostbackReceiver::requireAuthorization(std::string header) {
    std::lock_guard lock(mutex_);
    required_authorization_ = std::move(header);
}

int PostbackReceiver::record(PostbackRequest request) {
    std::lock_guard lock(mutex_);
    const bool authorized = required_authorization_.empty() || request.authorization == required_authorization_;
    requests_.push_back(std::move(request));
    if (!authorized) return 401;
    if (!script_.empty()) {
        const int status = script_.front();
        script_.pop_front();
        return status;
    }
    return status_;
}

std::vector<PostbackRequest> PostbackReceiver::requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
}

std::size_t PostbackReceiver::count() const {
    std::lock_guard lock(mutex_);
    return requests_.size();
}

bool PostbackReceiver::waitFor(std::size_t n, std::chrono::milliseconds timeout) const {
    const auto until = std::chrono::steady_clock::now() + timeout;
    while (count() < n) {
        if (std::chrono::steady_clock::now() > until) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return true;
}

std::string messengersSetting(const std::string& name, const std::string& url, const std::string& username,
                              const std::string& password, int max_msg_retries, bool enabled) {
    Poco::JSON::Object m;
    m.set("enabled", enabled);
    m.set("name", name);
    m.set("root_url", url);
    m.set("username", username);
    m.set("password", password);
    m.set("max_conns", 4);
    m.set("timeout", "3s");
    m.set("max_msg_retries", max_msg_retries);
    Poco::JSON::Array a;
    a.add(m);
    Poco::JSON::Object settings;
    settings.set("messengers", a);
    std::ostringstream out;
    settings.stringify(out);
    return out.str();
}

}  // namespace tidings::test
