#include "kernel/core/settings_ranges.hpp"

#include <cmath>
#include <string>

#include "kernel/core/json_path.hpp"
#include "kernel/core/status_error.hpp"

namespace tidings::kernel {
namespace {

// Bounds are what the send engine and the plugins can honour: app.concurrency is the number of
// send workers per campaign, app.batch_size the recipients claimed at a time. 0 means "never
// pause" for app.max_send_errors, as the engine reads it.
constexpr NumericRange kRanges[] = {
    {"app.batch_size", "", 1, 100000, true},
    {"app.concurrency", "", 1, 256, true},
    {"app.max_send_errors", "", 0, 1e9, true},
    {"app.message_rate", "", 1, 1e6, true},
    {"app.message_sliding_window_rate", "", 1, 1e9, true},
    {"upload.max_file_size", "", 1, 1e7, true},
    {"security.captcha", "altcha.complexity", 1, 1e8, true},
    {"smtp", "[].port", 1, 65535, true},
    {"smtp", "[].max_conns", 1, 1000, true},
    {"smtp", "[].max_msg_retries", 0, 100, true},
    {"messengers", "[].max_conns", 1, 1000, true},
    {"messengers", "[].max_msg_retries", 0, 100, true},
    {"bounce.actions", "soft.count", 1, 1e6, true},
    {"bounce.actions", "hard.count", 1, 1e6, true},
    {"bounce.actions", "complaint.count", 1, 1e6, true},
    {"bounce.mailboxes", "[].port", 1, 65535, true},
};

std::string describe(const NumericRange& r) {
    auto number = [](double d) { return std::to_string(static_cast<long long>(d)); };
    return std::string(r.integer ? "an integer" : "a number") + " from " + number(r.min) + " to " + number(r.max);
}

}  // namespace

void checkNumericRanges(std::string_view key, Poco::Dynamic::Var& value) {
    for (const auto& range : kRanges) {
        if (range.key != key) continue;
        forEachAtPath(value, nullptr, range.path, std::string(key),
                      [&](Poco::Dynamic::Var& leaf, const Poco::Dynamic::Var*, const std::string& where) {
                          const auto refuse = [&] { invalid("settings: '" + where + "' must be " + describe(range)); };
                          if (leaf.isEmpty() || leaf.isString() || leaf.type() == typeid(bool) || !leaf.isNumeric())
                              refuse();
                          double d = 0;
                          try {
                              d = leaf.convert<double>();
                          } catch (const Poco::Exception&) {
                              refuse();
                          }
                          if (!std::isfinite(d) || d < range.min || d > range.max) refuse();
                          if (range.integer) {
                              if (std::floor(d) != d) refuse();
                              leaf = static_cast<Poco::Int64>(d);
                          }
                      });
    }
}

}  // namespace tidings::kernel
