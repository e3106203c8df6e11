// Test support for the SMTP messenger suite: a real SMTP server (smtp_test_server.py on
// aiosmtpd) run as a child process per test, a parser that reads messages back with Python's
// email package, a self-signed certificate made with openssl, and the plugin loaded the way the
// kernel loads it (Boost.DLL entry points) against sdk/tests/fake_host.hpp.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <Poco/JSON/Object.h>
#include <Poco/Pipe.h>
#include <Poco/Process.h>

#include <fake_host.hpp>
#include <tidings/sdk/v1/plugin.hpp>

namespace smtp_test {

namespace sdk = ::tidings::sdk::v1;

/// A port nothing listens on right now (bound and released).
int freePort();

/// A loopback port where connections are refused for as long as this lives: the port is bound
/// but never listened on, so no other test (they run in parallel) can start a server there,
/// as could happen with a port that freePort() found and let go.
class RefusingPort {
public:
    RefusingPort();
    ~RefusingPort();
    RefusingPort(const RefusingPort&) = delete;
    RefusingPort& operator=(const RefusingPort&) = delete;
    int port() const { return port_; }

private:
    int fd_ = -1;
    int port_ = 0;
};

/// A unique scratch directory, removed on destruction.
class TempDir {
public:
    TempDir();
    ~TempDir();
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

/// Self-signed certificate and key for 127.0.0.1, generated once per test run with openssl.
struct TlsFiles {
    std::string cert, key;
};
const TlsFiles& tlsFiles();

/// One parsed message.
struct ParsedMail {
    Poco::JSON::Object::Ptr json;          ///< parse_mail.py's output
    std::string header(const std::string& name) const;  ///< decoded, "" when absent
    std::size_t partCount() const;
    std::string partType(std::size_t i) const;
    std::string partPayload(std::size_t i) const;  ///< decoded bytes
    std::string partField(std::size_t i, const std::string& field) const;
    std::vector<std::string> defects() const;
};

class SmtpServer {
public:
    /// Starts the server with extra options (see smtp_test_server.py) on `port` (0: a free one).
    explicit SmtpServer(std::vector<std::string> options = {}, int port = 0);
    ~SmtpServer();
    SmtpServer(const SmtpServer&) = delete;
    SmtpServer& operator=(const SmtpServer&) = delete;

    int port() const { return port_; }
    void stop();

    /// Messages received so far.
    int messageCount() const;
    /// Waits until at least n messages arrived (false on timeout).
    bool waitForMessages(int n, std::chrono::milliseconds timeout = std::chrono::seconds(10)) const;
    /// stats.json: connections, concurrent, max_concurrent, messages, tempfailed.
    int stat(const std::string& key) const;
    /// Message i (1-based) parsed by Python's email package; its envelope as JSON.
    ParsedMail parse(int i) const;
    Poco::JSON::Object::Ptr envelope(int i) const;
    std::string raw(int i) const;

private:
    TempDir dir_;
    int port_ = 0;
    std::unique_ptr<Poco::Pipe> in_, out_;
    std::unique_ptr<Poco::ProcessHandle> process_;
};

/// messenger-smtp loaded as the kernel loads it, attached and started against a FakeHost.
class LoadedPlugin {
public:
    /// `smtp_setting`: the JSON of the `smtp` runtime setting (nullopt: unset).
    explicit LoadedPlugin(std::optional<std::string> smtp_setting,
                          std::vector<std::pair<std::string, std::string>> config = {});
    ~LoadedPlugin();
    sdk::Messenger* messenger(const std::string& name) const;  ///< null when not registered
    std::vector<std::string> messengerNames() const;
    tidings::sdk::testing::FakeHost& host() { return host_; }
    tidings::sdk::testing::FakeRegistrar& registrar() { return registrar_; }

private:
    tidings::sdk::testing::FakeHost host_;
    tidings::sdk::testing::FakeRegistrar registrar_{host_};
    sdk::Plugin* plugin_ = nullptr;
};

/// One relay entry of the `smtp` setting for a local test server.
std::string relayJson(int port, const std::string& extra = "");

/// A simple message to one recipient.
sdk::Message simpleMessage(const std::string& to = "reader@example.org");

}  // namespace smtp_test
