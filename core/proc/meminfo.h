#pragma once
// The machine's memory, for MEM% (as top and htop compute it: RSS over MemTotal).
#include <cstdint>
#include <optional>
#include <string_view>

namespace nsdebug {

// /proc/meminfo's MemTotal in kB; nullopt when absent.
std::optional<std::uint64_t> parse_mem_total_kb(std::string_view meminfo);
// Read from /proc/meminfo; nullopt when unreadable.
std::optional<std::uint64_t> mem_total_kb();

}  // namespace nsdebug
