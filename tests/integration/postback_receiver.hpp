// A local HTTP server standing in for a postback messenger's receiver: it records every request
// (Authorization header and JSON body) and answers with scripted statuses, so tests can check
// bodies, credentials, retries and failures.
#pragma once

#include <chrono>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <Poco/JSON/Object.h>

namespace Poco::Net {
class HTTPServer;
}

namespace tidings::test {

struct PostbackRequest {
    std::string path;
    std::string authorization;  ///< "" when the request carried none
    std::string content_type;
    std::string body;
    std::map<std::string, std::string> headers;  ///< Every header, names lower-cased.
    /// The body parsed (null when it was not a JSON object).
    Poco::JSON::Object::Ptr json() const;
};

class PostbackReceiver {
public:
    /// Listens on 127.0.0.1 on a free port; every request is answered `status` unless scripted.
    explicit PostbackReceiver(int status = 200);
    ~PostbackReceiver();
    PostbackReceiver(const PostbackReceiver&) = delete;
    PostbackReceiver& operator=(const PostbackReceiver&) = delete;

    /// http://127.0.0.1:<port><path>
    std::string url(const std::string& path = "/postback") const;

    /// The next requests get these statuses, in order; then the default again.
    void script(std::vector<int> statuses);
    /// Only requests with this exact Authorization header get their scripted/default answer;
    /// others get 401 (empty: no check).
    void requireAuthorization(std::string header);

    std::vector<PostbackRequest> requests() const;
    std::size_t count() const;
    /// Waits until at least `n` requests arrived.
    bool waitFor(std::size_t n, std::chrono::milliseconds timeout) const;

    /// Called by the request handler.
    int record(PostbackRequest request);

private:
    mutable std::mutex mutex_;
    std::vector<PostbackRequest> requests_;
    std::deque<int> script_;
    std::string required_authorization_;
    int status_;
    std::unique_ptr<Poco::Net::HTTPServer> server_;
    int port_ = 0;
};

/// listmonk's `messengers` setting with one entry, as PUT /api/settings takes it.
std::string messengersSetting(const std::string& name, const std::string& url, const std::string& username = "",
                              const std::string& password = "", int max_msg_retries = 2, bool enabled = true);

}  // namespace tidings::test
