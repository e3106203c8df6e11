#include "smtp_test_support.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <boost/dll/shared_library.hpp>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/PipeStream.h>

#include "mime_composer.hpp"

namespace smtp_test {

namespace fs = std::filesystem;

int freePort() {
    Poco::Net::ServerSocket s(Poco::Net::SocketAddress("127.0.0.1", 0));
    const int port = s.address().port();
    s.close();
    return port;
}

RefusingPort::RefusingPort() : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t size = sizeof addr;
    if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), size) != 0 ||
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &size) != 0) {
        if (fd_ >= 0) ::close(fd_);
        throw std::runtime_error("cannot reserve a loopback port");
    }
    port_ = ntohs(addr.sin_port);
}

RefusingPort::~RefusingPort() { ::close(fd_); }

TempDir::TempDir() {
    std::random_device rd;
    path_ = fs::temp_directory_path() / ("tidings-smtp-" + std::to_string(rd()) + std::to_string(rd()));
    fs::create_directories(path_);
}
TempDir::~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
}

namespace {

std::string readFile(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

Poco::JSON::Object::Ptr parseJson(const std::string& text) {
    Poco::JSON::Parser parser;
    return parser.parse(text).extract<Poco::JSON::Object::Ptr>();
}

// Runs a command and returns its stdout; throws with stderr-ish context on failure.
std::string run(const std::string& cmd, const std::vector<std::string>& args) {
    Poco::Pipe out;
    Poco::ProcessHandle ph = Poco::Process::launch(cmd, args, nullptr, &out, nullptr);
    Poco::PipeInputStream is(out);
    std::string result((std::istreambuf_iterator<char>(is)), std::istreambuf_iterator<char>());
    const int rc = ph.wait();
    if (rc != 0) throw std::runtime_error(cmd + " exited with " + std::to_string(rc));
    return result;
}

}  // namespace

const TlsFiles& tlsFiles() {
    static TempDir dir;
    static const TlsFiles files = [] {
        TlsFiles f{(dir.path() / "cert.pem").string(), (dir.path() / "key.pem").string()};
        run("/usr/bin/openssl", {"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
                                 "/CN=127.0.0.1", "-keyout", f.key, "-out", f.cert});
        return f;
    }();
    return files;
}

std::string ParsedMail::header(const std::string& name) const {
    auto headers = json->getObject("headers");
    return headers->has(name) ? headers->getValue<std::string>(name) : "";
}
std::size_t ParsedMail::partCount() const { return json->getArray("parts")->size(); }
std::string ParsedMail::partField(std::size_t i, const std::string& field) const {
    return json->getArray("parts")->getObject(static_cast<unsigned>(i))->getValue<std::string>(field);
}
std::string ParsedMail::partType(std::size_t i) const { return partField(i, "content_type"); }
std::string ParsedMail::partPayload(std::size_t i) const {
    return tidings::smtp::base64Decode(partField(i, "payload_b64"));
}
std::vector<std::string> ParsedMail::defects() const {
    std::vector<std::string> out;
    auto top = json->getArray("defects");
    for (std::size_t i = 0; i < top->size(); ++i) out.push_back(top->getElement<std::string>(static_cast<unsigned>(i)));
    auto parts = json->getArray("parts");
    for (std::size_t p = 0; p < parts->size(); ++p) {
        auto d = parts->getObject(static_cast<unsigned>(p))->getArray("defects");
        for (std::size_t i = 0; i < d->size(); ++i) out.push_back(d->getElement<std::string>(static_cast<unsigned>(i)));
    }
    return out;
}

SmtpServer::SmtpServer(std::vector<std::string> options, int port) : port_(port ? port : freePort()) {
    std::vector<std::string> args{SMTP_TEST_SERVER, "--port", std::to_string(port_), "--dir", dir_.path().string()};
    args.insert(args.end(), options.begin(), options.end());
    in_ = std::make_unique<Poco::Pipe>();
    out_ = std::make_unique<Poco::Pipe>();
    process_ = std::make_unique<Poco::ProcessHandle>(
        Poco::Process::launch(SMTP_TEST_PYTHON, args, in_.get(), out_.get(), nullptr));
    Poco::PipeInputStream is(*out_);
    std::string line;
    if (!std::getline(is, line) || line != "READY")
        throw std::runtime_error("smtp_test_server.py did not start (is python3-aiosmtpd installed?)");
}

SmtpServer::~SmtpServer() { stop(); }

void SmtpServer::stop() {
    if (!process_) return;
    try {
        in_->close(Poco::Pipe::CLOSE_WRITE);  // EOF on its stdin: the server shuts down cleanly
        process_->wait();
    } catch (...) {
    }
    process_.reset();
}

int SmtpServer::messageCount() const {
    try {
        return stat("messages");
    } catch (...) {
        return 0;
    }
}

bool SmtpServer::waitForMessages(int n, std::chrono::milliseconds timeout) const {
    const auto until = std::chrono::steady_clock::now() + timeout;
    while (messageCount() < n) {
        if (std::chrono::steady_clock::now() > until) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return true;
}

int SmtpServer::stat(const std::string& key) const {
    return parseJson(readFile(dir_.path() / "stats.json"))->getValue<int>(key);
}

static std::string messageBase(int i) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "msg-%06d", i);
    return buf;
}

std::string SmtpServer::raw(int i) const { return readFile(dir_.path() / (messageBase(i) + ".eml")); }

ParsedMail SmtpServer::parse(int i) const {
    const auto file = (dir_.path() / (messageBase(i) + ".eml")).string();
    return ParsedMail{parseJson(run(SMTP_TEST_PYTHON, {SMTP_TEST_PARSER, file}))};
}

Poco::JSON::Object::Ptr SmtpServer::envelope(int i) const {
    return parseJson(readFile(dir_.path() / (messageBase(i) + ".json")));
}

namespace {
boost::dll::shared_library& pluginLibrary() {
    // Loaded once and never unloaded, as the kernel does while anything it created is alive.
    static boost::dll::shared_library lib(SMTP_PLUGIN_PATH,
                                          boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
    return lib;
}
}  // namespace

LoadedPlugin::LoadedPlugin(std::optional<std::string> smtp_setting,
                           std::vector<std::pair<std::string, std::string>> config) {
    auto& lib = pluginLibrary();
    auto& manifest = lib.get_alias<sdk::ManifestFn>(sdk::kManifestSymbol);
    if (std::string(manifest()->kind) != "messenger") throw std::runtime_error("not a messenger plugin");
    if (smtp_setting) host_.setSetting("smtp", *smtp_setting);
    for (auto& [k, v] : config) host_.setConfig(k, v);
    plugin_ = lib.get_alias<sdk::CreateFn>(sdk::kCreateSymbol)(&host_);
    if (!plugin_) throw std::runtime_error("plugin create failed");
    if (auto st = plugin_->attach(registrar_); !st) throw std::runtime_error("attach: " + st.message());
    if (auto st = plugin_->start(); !st) throw std::runtime_error("start: " + st.message());
}

LoadedPlugin::~LoadedPlugin() {
    if (!plugin_) return;
    plugin_->stop();
    pluginLibrary().get_alias<sdk::DestroyFn>(sdk::kDestroySymbol)(plugin_);
}

sdk::Messenger* LoadedPlugin::messenger(const std::string& name) const {
    for (auto* m : registrar_.messengers())
        if (m->name() == name) return m;
    return nullptr;
}

std::vector<std::string> LoadedPlugin::messengerNames() const {
    std::vector<std::string> out;
    for (auto* m : registrar_.messengers()) out.emplace_back(m->name());
    return out;
}

std::string relayJson(int port, const std::string& extra) {
    return "{\"enabled\":true,\"host\":\"127.0.0.1\",\"port\":" + std::to_string(port) +
           ",\"max_conns\":4,\"wait_timeout\":\"3s\",\"idle_timeout\":\"15s\",\"max_msg_retries\":2" +
           (extra.empty() ? "" : "," + extra) + "}";
}

sdk::Message simpleMessage(const std::string& to) {
    sdk::Message m;
    m.from = "Tidings Test <sender@example.com>";
    m.to = {to};
    m.subject = "Hello";
    m.content_type = "plain";
    m.body = "Hello there.\n";
    return m;
}

}  // namespace smtp_test
