// Renders the subscriber-facing pages and system e-mails from the templates in web/templates.
//
// Every template is compiled once at start-up (a syntax error stops the server with the file,
// line and column), then rendered concurrently. Data arrives as JSON text so that callers build
// it with the same writer as API responses; HTML templates escape every value by context.
#pragma once

#include <memory>
#include <string>

namespace tidings::kernel {

class PageRenderer {
public:
    /// Loads and compiles every *.html and *.txt file in `templates_dir`, with `_layout.html`
    /// (shared `define`s) available to each.
    explicit PageRenderer(const std::string& templates_dir);
    ~PageRenderer();
    PageRenderer(const PageRenderer&) = delete;
    PageRenderer& operator=(const PageRenderer&) = delete;

    /// Renders template `name` ("optin.html") with `data_json` (a JSON object).
    std::string render(const std::string& name, const std::string& data_json) const;

private:
    struct Compiled;
    std::unique_ptr<Compiled> compiled_;
};

/// Finds the web/ directory: `configured` if set, else next to the binary (installed layout
/// ../share/tidings/web, build tree ../../web), else ./web.
std::string locateWebDir(const std::string& configured);

}  // namespace tidings::kernel
