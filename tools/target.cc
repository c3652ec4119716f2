#include "tools/target.h"

#include <algorithm>
#include <cctype>
#include <charconv>

#include <fmt/format.h>

namespace nsdebug::cli {
namespace {

constexpr const char* kTargetHint =
    "write TARGET:PATH, TARGET a pod PID or a container name (see 'nsdebug containers'), "
    "e.g. nginx:/etc/nginx/nginx.conf";

bool all_digits(std::string_view s) {
  return !s.empty() && std::ranges::all_of(s, [](char c) {
    return std::isdigit(static_cast<unsigned char>(c));
  });
}

}  // namespace

Result<Target> parse_target(std::string_view text) {
  if (text.empty()) return fail(EINVAL, "target ''", "empty target", kTargetHint);
  if (text.find_first_of("/:") != std::string_view::npos)
    return fail(EINVAL, fmt::format("target '{}'", text),
                "a target is a PID or a container name", kTargetHint);
  // "-5": a negative PID (a process group to kill(1)); no container name starts with '-'.
  if (text.front() == '-')
    return fail(EINVAL, fmt::format("target '{}'", text), "not a valid PID", kTargetHint);
  Target t{std::string(text), 0};
  if (all_digits(text)) {
    int pid = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), pid);
    if (ec != std::errc() || end != text.data() + text.size() || pid <= 0)
      return fail(EINVAL, fmt::format("target '{}'", text), "not a valid PID", kTargetHint);
    t.pid = pid;
  }
  return t;
}

Result<TargetPath> parse_target_path(std::string_view text) {
  auto colon = text.find(':');
  if (colon == std::string_view::npos)
    return fail(EINVAL, fmt::format("'{}'", text), "no TARGET: before the path", kTargetHint);
  auto target = parse_target(text.substr(0, colon));
  if (!target) return std::unexpected(target.error());
  auto path = text.substr(colon + 1);
  if (path.empty())
    return fail(EINVAL, fmt::format("'{}'", text), "empty path", kTargetHint);
  return TargetPath{std::move(*target), std::string(path)};
}

}  // namespace nsdebug::cli
