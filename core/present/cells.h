#pragma once
// Cells of ps columns that procps computes rather than copies (%CPU, %MEM, TT, WCHAN,
// STARTED), each as procps-ng 4 prints it. Pure but for read_wchan: unit-tested.
#include <sys/types.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace nsdebug {

// %CPU: CPU time over the whole life, in tenths of a percent, as procps-ng 4.0.2: CPU ticks
// over the ticks since the process started (truncated), 0 when under one tick old.
std::uint64_t pcpu_permille(std::uint64_t cpu_ticks, std::uint64_t start_ticks, double uptime_s,
                            long ticks_per_second);
// "0.0", "12.5", "250" (over 99.9: whole percents, as procps prints them).
void append_permille(std::string& out, std::uint64_t permille, bool whole_above_999);

// %MEM: resident over MemTotal, in tenths of a percent, at most 999 as procps caps it.
std::uint64_t pmem_permille(std::uint64_t rss_kb, std::uint64_t mem_total_kb);

// TT: "pts/3", "tty1", "ttyS0", "console", "?" for none or a device it cannot name.
std::string tty_name(int tty_nr);

// WCHAN from /proc/PID/wchan's text: "-" for "0" (running, or not ours to see), "?" when
// unreadable (empty), else the symbol, as libproc2 shows it.
std::string wchan_text(std::string_view raw);
std::string read_wchan(pid_t pid);

// STARTED: "Wed Dec  2 09:29:17 2026", ctime's form, local time.
void append_lstart(std::string& out, double start_epoch);

}  // namespace nsdebug
