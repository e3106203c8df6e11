#include "postback_messenger.hpp"

#include <algorithm>
#include <istream>
#include <optional>
#include <ostream>
#include <sstream>
#include <thread>
#include <utility>

#include <Poco/Base64Encoder.h>
#include <Poco/Exception.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/NetException.h>

#include "postback_body.hpp"

namespace tidings::postback {

namespace sdk = ::tidings::sdk::v1;

namespace {

std::string basicAuthorization(const std::string& username, const std::string& password) {
    std::ostringstream out;
    Poco::Base64Encoder encoder(out);
    encoder.rdbuf()->setLineLength(0);
    encoder << username << ':' << password;
    encoder.close();
    return "Basic " + out.str();
}

// Reads the whole answer (so the session can be reused) and keeps its start for error messages.
std::string drain(std::istream& in) {
    std::string head;
    char buf[4096];
    while (in.read(buf, sizeof buf) || in.gcount() > 0) {
        if (head.size() < 300) head.append(buf, std::min<std::size_t>(static_cast<std::size_t>(in.gcount()), 300 - head.size()));
    }
    return head;
}

bool retriableStatus(int status) { return status >= 500 || status == 408 || status == 429; }

}  // namespace

std::shared_ptr<const Endpoint> makeEndpoint(EndpointConfig config, const Endpoint* previous) {
    auto e = std::make_shared<Endpoint>();
    e->uri = Poco::URI(config.root_url);
    e->target = e->uri.getPathAndQuery();
    if (e->target.empty()) e->target = "/";
    // listmonk sends credentials when a user name is set; an empty password is a valid one.
    if (!config.username.empty()) e->authorization = basicAuthorization(config.username, config.password);
    if (previous && previous->config.sameConnection(config)) e->pool = previous->pool;
    else e->pool = std::make_shared<HttpPool>(e->uri, config.max_conns, config.timeout);
    e->config = std::move(config);
    return e;
}

PostbackMessenger::PostbackMessenger(std::string name, std::function<void()> refresh)
    : name_(std::move(name)), refresh_(std::move(refresh)) {}

std::shared_ptr<const Endpoint> PostbackMessenger::endpoint() const {
    std::lock_guard lock(mutex_);
    return endpoint_;
}

void PostbackMessenger::setEndpoint(std::shared_ptr<const Endpoint> endpoint) {
    const HttpPool* next_pool = endpoint ? endpoint->pool.get() : nullptr;
    std::shared_ptr<const Endpoint> old;
    {
        std::lock_guard lock(mutex_);
        old = std::exchange(endpoint_, std::move(endpoint));
    }
    // Sends under way keep the old endpoint alive; its sessions close as they come back.
    if (old && old->pool.get() != next_pool) old->pool->retire();
}

sdk::Status PostbackMessenger::deliver(const Endpoint& ep, const std::string& body) {
    const int attempts = 1 + ep.config.max_msg_retries;
    bool stale_replaced = false;
    std::string last_error;
    for (int attempt = 0; attempt < attempts;) {
        std::optional<HttpPool::Lease> lease;
        try {
            lease.emplace(ep.pool->acquire());
        } catch (const PoolTimeout& e) {
            return sdk::Status::unavailable(e.what());  // already waited a full timeout
        }
        try {
            Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, ep.target, Poco::Net::HTTPMessage::HTTP_1_1);
            request.setHost(ep.uri.getHost(), ep.uri.getPort());
            request.setContentType("application/json");
            request.setContentLength(static_cast<std::streamsize>(body.size()));
            request.setKeepAlive(true);
            request.set("User-Agent", "tidings");
            if (!ep.authorization.empty()) request.set("Authorization", ep.authorization);
            auto& session = lease->session();
            session.sendRequest(request).write(body.data(), static_cast<std::streamsize>(body.size()));
            Poco::Net::HTTPResponse response;
            const std::string answer = drain(session.receiveResponse(response));
            if (!response.getKeepAlive()) lease->discard();
            const int status = static_cast<int>(response.getStatus());
            if (status >= 200 && status < 300) return {};
            last_error = "postback " + name_ + ": " + ep.config.root_url + " answered " + std::to_string(status) + " " +
                         response.getReason() + (answer.empty() ? "" : ": " + answer);
            if (!retriableStatus(status)) return sdk::Status::invalid(last_error);
        } catch (const Poco::Exception& e) {
            lease->discard();
            last_error = "postback " + name_ + ": " + ep.config.root_url + ": " + e.displayText();
            // A kept-alive session the peer closed meanwhile fails at once; that is not the
            // receiver being down, so it costs no retry. A timeout is never such a case.
            const bool timed_out = dynamic_cast<const Poco::TimeoutException*>(&e) != nullptr;
            if (lease->reused() && !timed_out && !stale_replaced) {
                stale_replaced = true;
                continue;
            }
        } catch (const std::exception& e) {
            lease->discard();
            last_error = "postback " + name_ + ": " + e.what();
        }
        lease.reset();
        if (++attempt < attempts) std::this_thread::sleep_for(std::chrono::milliseconds(100LL << std::min(attempt - 1, 6)));
    }
    return sdk::Status::unavailable(last_error);
}

sdk::Status PostbackMessenger::push(const sdk::Message& message) noexcept {
    try {
        if (refresh_) refresh_();
        const auto ep = endpoint();
        if (!ep) return sdk::Status::unavailable("postback: messenger \"" + name_ + "\" is not enabled in the messengers settings");
        return deliver(*ep, postbackBody(message));
    } catch (const std::exception& e) {
        return sdk::Status::internal("postback " + name_ + ": " + e.what());
    } catch (...) {
        return sdk::Status::internal("postback " + name_ + ": unknown error");
    }
}

sdk::Status PostbackMessenger::pushBatch(const std::vector<sdk::Message>& messages,
                                         std::vector<sdk::Status>& results) noexcept {
    try {
        results.assign(messages.size(), sdk::Status{});
        for (std::size_t i = 0; i < messages.size(); ++i) results[i] = push(messages[i]);
        return {};
    } catch (...) {
        return sdk::Status::internal("postback " + name_ + ": out of memory");
    }
}

void PostbackMessenger::close() noexcept {
    if (const auto ep = endpoint()) ep->pool->closeIdle();
}

}  // namespace tidings::postback
