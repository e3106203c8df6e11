#include "pop3_server.hpp"

#include <grp.h>
#include <signal.h>
#include <pwd.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Pipe.h>

namespace tidings::test {
namespace {

namespace fs = std::filesystem;

constexpr const char* kDovecot = "/usr/sbin/dovecot";

int freePort() {
    Poco::Net::ServerSocket s(Poco::Net::SocketAddress("127.0.0.1", 0));
    return s.address().port();
}

std::string readFile(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

std::string userName(uid_t uid) {
    const passwd* pw = getpwuid(uid);
    return pw ? pw->pw_name : std::to_string(uid);
}

std::string groupName(gid_t gid) {
    const group* gr = getgrgid(gid);
    return gr ? gr->gr_name : std::to_string(gid);
}

void chownTree(const fs::path& root, int uid, int gid) {
    if (uid < 0) return;
    if (::chown(root.c_str(), uid, gid) != 0) throw std::runtime_error("chown " + root.string() + " failed");
    for (const auto& entry : fs::recursive_directory_iterator(root))
        if (::chown(entry.path().c_str(), uid, gid) != 0) throw std::runtime_error("chown " + entry.path().string() + " failed");
}

bool answers(int port) {
    try {
        Poco::Net::StreamSocket s;
        s.connect(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(port)), Poco::Timespan(1, 0));
        char buf[64] = {};
        s.setReceiveTimeout(Poco::Timespan(2, 0));
        const int n = s.receiveBytes(buf, sizeof(buf) - 1);
        return n > 3 && std::string(buf, 3) == "+OK";
    } catch (...) {
        return false;
    }
}

}  // namespace

Pop3Server::Pop3Server() {
    if (!fs::exists(kDovecot))
        throw std::runtime_error("dovecot is not installed: apt-get install dovecot-pop3d (see scripts/lib/deps.sh)");
    port_ = freePort();
    tls_port_ = freePort();
    dir_ = fs::temp_directory_path() / ("tidings-pop3-" + std::to_string(std::random_device{}()) + "-" + std::to_string(port_));
    fs::create_directories(dir_ / "run");
    fs::create_directories(dir_ / "state");
    maildir_ = dir_ / "mail" / username_;
    for (const char* sub : {"new", "cur", "tmp"}) fs::create_directories(maildir_ / sub);

    std::string internal_user = userName(getuid()), internal_group = groupName(getgid()), login_user = internal_user;
    int uid = static_cast<int>(getuid()), gid = static_cast<int>(getgid());
    if (uid == 0) {
        const passwd* dovecot = getpwnam("dovecot");
        if (!dovecot || !getpwnam("dovenull")) throw std::runtime_error("dovecot's system users are missing");
        internal_user = "dovecot";
        internal_group = groupName(dovecot->pw_gid);
        login_user = "dovenull";
        uid = static_cast<int>(dovecot->pw_uid);
        gid = static_cast<int>(dovecot->pw_gid);
        mail_uid_ = uid;
        mail_gid_ = gid;
        // Dovecot's unprivileged processes must reach the password file and the maildir.
        fs::permissions(dir_, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                                  fs::perms::others_read | fs::perms::others_exec);
        chownTree(dir_ / "mail", mail_uid_, mail_gid_);
    }
    {
        std::ofstream passwd(dir_ / "passwd");
        passwd << username_ << ":{PLAIN}" << password_ << "::::::\n";
    }
    fs::permissions(dir_ / "passwd", fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read |
                                         fs::perms::others_read);
    // A throwaway certificate for the POP3S listener: never a key committed to the repository.
    // Its progress dots go to a pipe (a few hundred bytes, well within the pipe's buffer).
    Poco::Pipe openssl_chatter;
    Poco::ProcessHandle openssl = Poco::Process::launch(
        "/usr/bin/openssl", {"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
                             "-keyout", (dir_ / "key.pem").string(), "-out", (dir_ / "cert.pem").string()},
        nullptr, nullptr, &openssl_chatter);
    if (openssl.wait() != 0) throw std::runtime_error("openssl could not make a test certificate");
    const std::string d = dir_.string();
    std::ofstream conf(dir_ / "dovecot.conf");
    conf << "base_dir = " << d << "/run\n"
         << "state_dir = " << d << "/state\n"
         << "log_path = " << d << "/dovecot.log\n"
         << "protocols = pop3\n"
         << "listen = 127.0.0.1\n"
         << "ssl = yes\n"
         << "ssl_cert = <" << d << "/cert.pem\n"
         << "ssl_key = <" << d << "/key.pem\n"
         << (fs::exists("/usr/share/dovecot/dh.pem") ? "ssl_dh = </usr/share/dovecot/dh.pem\n" : "")
         << "disable_plaintext_auth = no\n"
         << "auth_mechanisms = plain login cram-md5\n"
         << "default_internal_user = " << internal_user << "\n"
         << "default_internal_group = " << internal_group << "\n"
         << "default_login_user = " << login_user << "\n"
         << "first_valid_uid = " << uid << "\n"
         << "first_valid_gid = " << gid << "\n"
         << "passdb {\n  driver = passwd-file\n  args = scheme=PLAIN username_format=%u " << d << "/passwd\n}\n"
         << "userdb {\n  driver = static\n  args = uid=" << uid << " gid=" << gid << " home=" << d << "/home/%u\n}\n"
         << "mail_location = maildir:" << d << "/mail/%u\n"
         << "pop3_uidl_format = %08Xu%08Xv\n"
         << "service pop3-login {\n  chroot =\n  inet_listener pop3 {\n    address = 127.0.0.1\n    port = " << port_
         << "\n  }\n  inet_listener pop3s {\n    address = 127.0.0.1\n    port = " << tls_port_
         << "\n    ssl = yes\n  }\n}\n"
         << "service anvil {\n  chroot =\n}\n"
         << "service stats {\n  chroot =\n}\n";
    conf.close();

    process_ = std::make_unique<Poco::ProcessHandle>(
        Poco::Process::launch(kDovecot, {"-F", "-c", (dir_ / "dovecot.conf").string()}));
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (!answers(port_)) {
        if (std::chrono::steady_clock::now() > until) {
            const std::string logged = log();
            stop();
            throw std::runtime_error("dovecot did not start:\n" + logged);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
}

Pop3Server::~Pop3Server() {
    stop();
    std::error_code ec;
    fs::remove_all(dir_, ec);
}

void Pop3Server::stop() {
    if (!process_) return;
    try {
        // SIGTERM lets the master stop its login, auth and mail processes; SIGKILL would orphan them.
        ::kill(process_->id(), SIGTERM);
        process_->wait();
    } catch (...) {
    }
    process_.reset();
}

void Pop3Server::deliver(const std::string& raw) {
    // Maildir delivery: write under tmp/, then rename into new/ so dovecot never sees half a file.
    const std::string name = std::to_string(std::chrono::system_clock::now().time_since_epoch().count()) + "." +
                             std::to_string(++delivered_) + ".tidings-test";
    const fs::path tmp = maildir_ / "tmp" / name;
    {
        std::ofstream out(tmp, std::ios::binary);
        out << raw;
    }
    if (mail_uid_ >= 0 && ::chown(tmp.c_str(), mail_uid_, mail_gid_) != 0) throw std::runtime_error("chown failed");
    fs::rename(tmp, maildir_ / "new" / name);
}

std::vector<std::string> Pop3Server::messages() const {
    std::vector<std::string> out;
    for (const char* sub : {"new", "cur"})
        for (const auto& entry : fs::directory_iterator(maildir_ / sub)) out.push_back(readFile(entry.path()));
    return out;
}

std::string Pop3Server::log() const { return readFile(dir_ / "dovecot.log"); }

}  // namespace tidings::test
