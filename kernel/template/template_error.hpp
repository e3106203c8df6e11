// The one exception type of the template engine.
#pragma once

#include <stdexcept>
#include <string>

namespace tidings::kernel {

/// A template that does not parse or escape (compile time), or a render-time failure. what() is
/// "template: NAME:LINE:COL: message" as Go prints it (with the column added); line and column
/// are 1-based and 0 when unknown.
class TemplateError : public std::runtime_error {
public:
    explicit TemplateError(const std::string& message) : std::runtime_error(message), message_(message) {}
    TemplateError(std::string name, int line, int column, const std::string& message)
        : std::runtime_error(format(name, line, column, message)),
          name_(std::move(name)), line_(line), column_(column), message_(message) {}

    const std::string& templateName() const { return name_; }
    int line() const { return line_; }
    int column() const { return column_; }
    /// The message without the "template: name:line:col: " prefix.
    const std::string& message() const { return message_; }

private:
    static std::string format(const std::string& name, int line, int column, const std::string& msg) {
        std::string s = "template: " + name;
        if (line > 0) s += ":" + std::to_string(line) + ":" + std::to_string(column);
        return s + ": " + msg;
    }
    std::string name_;
    int line_ = 0;
    int column_ = 0;
    std::string message_;
};

namespace tmpl {
using kernel::TemplateError;
}

}  // namespace tidings::kernel
