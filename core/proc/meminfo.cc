#include "core/proc/meminfo.h"

#include <charconv>
#include <fstream>
#include <sstream>
#include <string>

namespace nsdebug {

std::optional<std::uint64_t> parse_mem_total_kb(std::string_view meminfo) {
  constexpr std::string_view kKey = "MemTotal:";
  auto at = meminfo.find(kKey);
  if (at == std::string_view::npos || (at != 0 && meminfo[at - 1] != '\n')) return std::nullopt;
  auto rest = meminfo.substr(at + kKey.size());
  auto digits = rest.find_first_not_of(' ');
  if (digits == std::string_view::npos) return std::nullopt;
  std::uint64_t kb = 0;
  auto [end, ec] = std::from_chars(rest.data() + digits, rest.data() + rest.size(), kb);
  if (ec != std::errc() || end == rest.data() + digits) return std::nullopt;
  return kb;
}

std::optional<std::uint64_t> mem_total_kb() {
  std::ifstream in("/proc/meminfo");
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return parse_mem_total_kb(text.str());
}

}  // namespace nsdebug
