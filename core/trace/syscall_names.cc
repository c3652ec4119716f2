#include "core/trace/syscall_names.h"

#include <algorithm>
#include <array>
#include <vector>

namespace nsdebug {
namespace {

struct SyscallEntry {
  std::string_view name;
  long nr;
};

constexpr SyscallEntry kSyscalls[] = {
#include "syscall_table.inc"
};

// By number: the numbers are dense from 0 (x86_64 has a gap below 512 for x32).
const std::vector<std::string_view>& by_number() {
  static const std::vector<std::string_view> table = [] {
    long top = 0;
    for (const auto& e : kSyscalls) top = std::max(top, e.nr);
    std::vector<std::string_view> t(static_cast<std::size_t>(top) + 1);
    for (const auto& e : kSyscalls) t[static_cast<std::size_t>(e.nr)] = e.name;
    return t;
  }();
  return table;
}

}  // namespace

std::string_view syscall_name(long nr) {
  const auto& t = by_number();
  return nr >= 0 && static_cast<std::size_t>(nr) < t.size() ? t[static_cast<std::size_t>(nr)] : "";
}

std::optional<long> syscall_number(std::string_view name) {
  for (const auto& e : kSyscalls)
    if (e.name == name) return e.nr;
  return std::nullopt;
}

std::size_t syscall_count() { return std::size(kSyscalls); }

}  // namespace nsdebug
