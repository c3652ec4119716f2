#include "tui/text.h"

#include <cstdio>

namespace nsdebug::tui {

std::string fit(std::string_view s, std::size_t width, bool right) {
  if (s.size() > width) {
    std::string out(s.substr(0, width));
    if (width) out.back() = '>';
    return out;
  }
  std::string pad(width - s.size(), ' ');
  return right ? pad + std::string(s) : std::string(s) + pad;
}

std::string human_kb(std::uint64_t kb) { return human_bytes(kb * 1024); }

std::string human_bytes(std::uint64_t bytes) {
  static constexpr const char* kUnits[] = {"B", "K", "M", "G", "T"};
  double v = static_cast<double>(bytes);
  int u = 0;
  while (v >= 1024 && u < 4) {
    v /= 1024;
    ++u;
  }
  char buf[32];
  if (u == 0 || v >= 100)
    std::snprintf(buf, sizeof buf, "%.0f%s", v, kUnits[u]);
  else
    std::snprintf(buf, sizeof buf, "%.1f%s", v, kUnits[u]);
  return buf;
}

}  // namespace nsdebug::tui
