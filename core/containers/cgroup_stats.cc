#include "core/containers/cgroup_stats.h"

#include <charconv>
#include <string>

namespace nsdebug {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.remove_suffix(1);
  return s;
}

std::optional<std::uint64_t> number(std::string_view s) {
  s = trim(s);
  std::uint64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

// "key value" lines (memory.events, cpu.stat).
std::optional<std::uint64_t> keyed(std::string_view text, std::string_view key) {
  while (!text.empty()) {
    auto nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    if (line.size() > key.size() && line.starts_with(key) && line[key.size()] == ' ')
      return number(line.substr(key.size() + 1));
  }
  return std::nullopt;
}

// "max 100000" or "50000 100000".
std::optional<double> quota_cores(std::string_view text) {
  text = trim(text);
  auto sp = text.find(' ');
  if (sp == std::string_view::npos) return std::nullopt;
  auto quota = number(text.substr(0, sp));
  auto period = number(text.substr(sp + 1));
  if (!quota || !period || *period == 0) return std::nullopt;
  return static_cast<double>(*quota) / static_cast<double>(*period);
}

}  // namespace

std::optional<CgroupStats> parse_cgroup_stats(const CgroupFiles& f) {
  auto current = number(f.memory_current);
  if (!current) return std::nullopt;
  CgroupStats st;
  st.memory_bytes = current;
  st.memory_max_bytes = number(f.memory_max);  // "max": no limit
  st.oom_kills = keyed(f.memory_events, "oom_kill");
  st.nr_throttled = keyed(f.cpu_stat, "nr_throttled");
  st.throttled_usec = keyed(f.cpu_stat, "throttled_usec");
  st.cpu_quota_cores = quota_cores(f.cpu_max);
  return st;
}

std::optional<CgroupStats> read_cgroup_stats(const RootedFs& root) {
  auto read = [&](const char* name) {
    auto text = root.read_small(std::string("/sys/fs/cgroup/") + name, 64 << 10);
    return text ? std::move(*text) : std::string();
  };
  std::string current = read("memory.current");
  if (current.empty()) return std::nullopt;
  std::string max = read("memory.max"), events = read("memory.events"), cpu = read("cpu.stat"),
              cpu_max = read("cpu.max");
  return parse_cgroup_stats({current, max, events, cpu, cpu_max});
}

}  // namespace nsdebug
