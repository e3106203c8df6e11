#include "mail_sink.hpp"

#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/MailMessage.h>
#include <Poco/Net/MessageHeader.h>
#include <Poco/Net/PartHandler.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/PipeStream.h>

namespace tidings::test {
namespace {

std::string readFile(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

Poco::JSON::Object::Ptr readJson(const std::filesystem::path& p) {
    Poco::JSON::Parser parser;
    return parser.parse(readFile(p)).extract<Poco::JSON::Object::Ptr>();
}

}  // namespace

MailSink::MailSink(std::vector<std::string> options, int port) {
    if (port == 0) {
        Poco::Net::ServerSocket s(Poco::Net::SocketAddress("127.0.0.1", 0));
        port = s.address().port();
    }
    port_ = port;
    dir_ = std::filesystem::temp_directory_path() /
           ("tidings-mail-" + std::to_string(std::random_device{}()) + "-" + std::to_string(port_));
    std::filesystem::create_directories(dir_);
    std::vector<std::string> args{SMTP_TEST_SERVER, "--port", std::to_string(port_), "--dir", dir_.string()};
    args.insert(args.end(), options.begin(), options.end());
    in_ = std::make_unique<Poco::Pipe>();
    out_ = std::make_unique<Poco::Pipe>();
    process_ = std::make_unique<Poco::ProcessHandle>(Poco::Process::launch(SMTP_TEST_PYTHON, args, in_.get(), out_.get(), nullptr));
    Poco::PipeInputStream is(*out_);
    std::string line;
    if (!std::getline(is, line) || line != "READY") {
        throw std::runtime_error("smtp_test_server.py did not start (is python3-aiosmtpd installed?)");
    }
}

MailSink::~MailSink() {
    stop();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
}

void MailSink::stop() {
    if (!process_) return;
    try {
        in_->close(Poco::Pipe::CLOSE_WRITE);
        process_->wait();
    } catch (...) {
    }
    process_.reset();
}

int MailSink::stat(const std::string& key) const {
    try {
        return readJson(dir_ / "stats.json")->optValue<int>(key, 0);
    } catch (...) {
        return 0;  // being rewritten; the caller polls
    }
}

bool MailSink::waitForMessages(int n, std::chrono::milliseconds timeout) const {
    const auto until = std::chrono::steady_clock::now() + timeout;
    while (messageCount() < n) {
        if (std::chrono::steady_clock::now() > until) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return true;
}

std::map<std::string, int> MailSink::recipientCounts() const {
    std::map<std::string, int> counts;
    for (const auto& entry : std::filesystem::directory_iterator(dir_)) {
        if (entry.path().extension() != ".json" || entry.path().filename() == "stats.json") continue;
        auto rcpts = readJson(entry.path())->getArray("rcpt_tos");
        for (std::size_t i = 0; rcpts && i < rcpts->size(); ++i) ++counts[rcpts->getElement<std::string>(static_cast<unsigned>(i))];
    }
    return counts;
}

std::vector<std::string> MailSink::messagesTo(const std::string& email) const {
    std::vector<std::string> out;
    for (const auto& entry : std::filesystem::directory_iterator(dir_)) {
        if (entry.path().extension() != ".json" || entry.path().filename() == "stats.json") continue;
        auto rcpts = readJson(entry.path())->getArray("rcpt_tos");
        for (std::size_t i = 0; rcpts && i < rcpts->size(); ++i) {
            if (rcpts->getElement<std::string>(static_cast<unsigned>(i)) == email) {
                auto eml = entry.path();
                out.push_back(readFile(eml.replace_extension(".eml")));
            }
        }
    }
    return out;
}

std::vector<SmtpTransaction> MailSink::transactions() const {
    std::vector<SmtpTransaction> out;
    std::ifstream in(dir_ / "transactions.jsonl");
    std::string line;
    Poco::JSON::Parser parser;
    while (std::getline(in, line)) {
        Poco::JSON::Object::Ptr o;
        try {
            parser.reset();
            o = parser.parse(line).extract<Poco::JSON::Object::Ptr>();
        } catch (...) {
            continue;  // the last line may be half written while the server runs
        }
        SmtpTransaction t;
        t.conn = o->getValue<int>("conn");
        t.result = o->get("result").toString();
        auto rcpts = o->getArray("rcpt");
        for (std::size_t i = 0; rcpts && i < rcpts->size(); ++i)
            t.rcpt.push_back(rcpts->getElement<std::string>(static_cast<unsigned>(i)));
        out.push_back(std::move(t));
    }
    return out;
}

std::string MailSink::smtpSettingsJson(int max_conns, int max_msg_retries) const {
    return R"({"smtp":[{"enabled":true,"host":"127.0.0.1","port":)" + std::to_string(port_) +
           R"(,"auth_protocol":"none","tls_type":"none","max_conns":)" + std::to_string(max_conns) +
           R"(,"idle_timeout":"15s","wait_timeout":"5s","max_msg_retries":)" + std::to_string(max_msg_retries) +
           "}]}";
}

std::optional<std::string> attachmentOf(const std::string& raw_message, const std::string& filename) {
    // Poco hands each part to the handler with its transfer encoding already undone.
    struct Finder : Poco::Net::PartHandler {
        std::string wanted;
        std::optional<std::string> found;
        void handlePart(const Poco::Net::MessageHeader& header, std::istream& stream) override {
            const std::string disposition = header.get("Content-Disposition", "");
            if (disposition.find("\"" + wanted + "\"") == std::string::npos) return;
            std::ostringstream content;
            content << stream.rdbuf();
            found = content.str();
        }
    } finder;
    finder.wanted = filename;
    std::istringstream in(raw_message);
    Poco::Net::MailMessage message;
    message.read(in, finder);
    return finder.found;
}

}  // namespace tidings::test
