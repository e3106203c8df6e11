#include "kernel/public/page_renderer.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <boost/dll/runtime_symbol_info.hpp>

#include "kernel/core/json_value.hpp"
#include "kernel/template/template_set.hpp"

namespace tidings::kernel {

struct PageRenderer::Compiled {
    TemplateSet set;
};

PageRenderer::PageRenderer(const std::string& templates_dir) {
    namespace fs = std::filesystem;
    if (!fs::is_directory(templates_dir)) {
        throw std::runtime_error("page templates not found in " + templates_dir + " (set [app] web_dir)");
    }
    auto compiled = std::make_unique<Compiled>();
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(templates_dir)) {
        auto ext = entry.path().extension();
        if (entry.is_regular_file() && (ext == ".html" || ext == ".txt")) files.push_back(entry.path());
    }
    // Shared layouts (files starting with '_') first, so their defines exist for every page.
    std::sort(files.begin(), files.end(), [](const fs::path& a, const fs::path& b) {
        bool la = a.filename().string().front() == '_', lb = b.filename().string().front() == '_';
        return la != lb ? la : a < b;
    });
    for (const auto& path : files) {
        std::ifstream in(path);
        std::stringstream text;
        text << in.rdbuf();
        compiled->set.add(path.filename().string(), text.str(),
                          path.extension() == ".html" ? Escaping::Html : Escaping::None);
    }
    compiled_ = std::move(compiled);
}

PageRenderer::~PageRenderer() = default;

std::string PageRenderer::render(const std::string& name, const std::string& data_json) const {
    return compiled_->set.render(name, parseJsonValue(data_json));
}

std::string locateWebDir(const std::string& configured) {
    namespace fs = std::filesystem;
    if (!configured.empty()) return configured;
    fs::path exe_dir = boost::dll::program_location().parent_path().string();
    for (const fs::path& candidate : {exe_dir / ".." / "share" / "tidings" / "web", exe_dir / ".." / ".." / "web"}) {
        if (fs::is_directory(candidate / "templates")) return fs::weakly_canonical(candidate).string();
    }
    return "web";
}

}  // namespace tidings::kernel
