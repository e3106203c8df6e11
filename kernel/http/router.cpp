#include "kernel/http/router.hpp"

#include <algorithm>
#include <array>

namespace tidings::kernel {
namespace {

template <typename Segment = std::string_view>
std::vector<Segment> segments(std::string_view path) {
    std::vector<Segment> out;
    std::size_t start = 1;
    while (start <= path.size()) {
        auto end = path.find('/', start);
        if (end == std::string_view::npos) end = path.size();
        out.emplace_back(path.substr(start, end - start));
        start = end + 1;
    }
    // "/a/" and "/a" are the same resource; a lone "/" has no segments.
    while (!out.empty() && out.back().empty()) out.pop_back();
    return out;
}

bool isParam(std::string_view segment) { return segment.size() > 1 && segment.front() == ':'; }

/// Whether `pattern` matches `path`, and how specifically: one bit per segment, literal = 1,
/// most significant first, so that literal segments win over parameters at the same position.
std::optional<std::uint64_t> score(const std::vector<std::string>& pattern, const std::vector<std::string_view>& path) {
    if (pattern.size() != path.size() || pattern.size() > 63) return std::nullopt;
    std::uint64_t bits = 0;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        bits <<= 1;
        if (isParam(pattern[i])) {
            if (path[i].empty()) return std::nullopt;
            continue;
        }
        if (pattern[i] != path[i]) return std::nullopt;
        bits |= 1;
    }
    return bits;
}

constexpr std::array kMethods{"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"};

}  // namespace

sdk::Status Router::add(sdk::RouteSpec spec, sdk::RouteHandler handler, std::string owner, bool rate_limited) {
    if (spec.pattern.empty() || spec.pattern.front() != '/') {
        return sdk::Status::invalid("route pattern must start with '/': '" + spec.pattern + "'");
    }
    if (std::find(kMethods.begin(), kMethods.end(), spec.method) == kMethods.end()) {
        return sdk::Status::invalid("unknown HTTP method '" + spec.method + "'");
    }
    if (!handler) return sdk::Status::invalid("route " + spec.method + " " + spec.pattern + " has no handler");
    auto mine = segments<std::string>(spec.pattern);
    for (std::size_t r = 0; r < routes_.size(); ++r) {
        const Route& existing = routes_[r];
        if (existing.spec.method != spec.method) continue;
        const auto& theirs = patterns_[r];
        if (theirs.size() != mine.size()) continue;
        bool same = true;
        for (std::size_t i = 0; i < mine.size() && same; ++i) {
            same = isParam(mine[i]) ? isParam(theirs[i]) : (!isParam(theirs[i]) && mine[i] == theirs[i]);
        }
        if (same) {
            return sdk::Status::conflict("route " + spec.method + " " + spec.pattern + " is already registered by " +
                                         existing.owner + " as " + existing.spec.pattern);
        }
    }
    routes_.push_back(Route{std::move(spec), std::move(handler), std::move(owner), {}, rate_limited});
    patterns_.push_back(std::move(mine));
    return {};
}

sdk::Status Router::addUpload(sdk::RouteSpec spec, UploadHandler handler, std::string owner) {
    if (!handler) return sdk::Status::invalid("route " + spec.method + " " + spec.pattern + " has no handler");
    // The plain handler is never called for an upload route; it only satisfies add()'s checks.
    auto st = add(std::move(spec), [](const sdk::Request&, sdk::Response&) {}, std::move(owner));
    if (st) routes_.back().upload = std::move(handler);
    return st;
}

RouteMatch Router::match(std::string_view method, std::string_view path) const {
    RouteMatch result;
    auto parts = segments(path);
    std::optional<std::uint64_t> best;
    for (std::size_t r = 0; r < routes_.size(); ++r) {
        const Route& route = routes_[r];
        const auto& pattern = patterns_[r];
        auto s = score(pattern, parts);
        if (!s) continue;
        if (route.spec.method != method) {
            if (std::find(result.allowed_methods.begin(), result.allowed_methods.end(), route.spec.method) ==
                result.allowed_methods.end()) {
                result.allowed_methods.push_back(route.spec.method);
            }
            continue;
        }
        if (best && *s <= *best) continue;
        best = s;
        result.route = &route;
        result.params.clear();
        for (std::size_t i = 0; i < pattern.size(); ++i) {
            if (isParam(pattern[i])) result.params.emplace_back(pattern[i].substr(1), std::string(parts[i]));
        }
    }
    if (result.route) result.allowed_methods.clear();
    return result;
}

}  // namespace tidings::kernel
