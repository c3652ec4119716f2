#include "core/present/cells.h"

#include <algorithm>
#include <charconv>
#include <ctime>

#include "core/proc/procfs.h"

namespace nsdebug {

std::uint64_t pcpu_permille(std::uint64_t cpu_ticks, std::uint64_t start_ticks, double uptime_s,
                            long ticks_per_second) {
  if (ticks_per_second <= 0) return 0;
  auto hz = static_cast<double>(ticks_per_second);
  // procps-ng 4.0.2: the life in ticks, truncated (libproc2's TIME_ELAPSED, a real number of
  // seconds, times Hertz), under the process's ticks. The 1e-6 keeps /proc/uptime's
  // centiseconds from losing a tick to binary rounding (2.91 * 100 = 290.99999...).
  double life = (uptime_s - static_cast<double>(start_ticks) / hz) * hz + 1e-6;
  if (life < 1) return 0;
  return cpu_ticks * 1000 / static_cast<std::uint64_t>(life);
}

void append_permille(std::string& out, std::uint64_t permille, bool whole_above_999) {
  char buf[24];
  if (whole_above_999 && permille > 999) {
    out.append(buf, std::to_chars(buf, buf + sizeof buf, permille / 10).ptr);
    return;
  }
  out.append(buf, std::to_chars(buf, buf + sizeof buf, permille / 10).ptr);
  out += '.';
  out += static_cast<char>('0' + permille % 10);
}

std::uint64_t pmem_permille(std::uint64_t rss_kb, std::uint64_t mem_total_kb) {
  if (mem_total_kb == 0) return 0;
  return std::min<std::uint64_t>(rss_kb * 1000 / mem_total_kb, 999);
}

std::string tty_name(int tty_nr) {
  // The kernel's encoding of a dev_t in stat's tty_nr (new_encode_dev).
  auto dev = static_cast<unsigned>(tty_nr);
  unsigned major = (dev >> 8) & 0xfff, minor = (dev & 0xff) | ((dev >> 12) & 0xfff00);
  if (dev == 0) return "?";
  // Unix98 pty slaves: 136..143 held 256 each before minors grew to 20 bits.
  if (major >= 136 && major <= 143) return "pts/" + std::to_string((major - 136) * 256 + minor);
  if (major == 4 && minor < 64) return "tty" + std::to_string(minor);
  if (major == 4) return "ttyS" + std::to_string(minor - 64);
  if (major == 5 && minor == 0) return "tty";
  if (major == 5 && minor == 1) return "console";
  if (major == 229) return "hvc" + std::to_string(minor);  // virtio and Xen consoles
  return "?";
}

std::string wchan_text(std::string_view raw) {
  if (raw.empty()) return "?";
  if (raw == "0") return "-";
  if (raw.front() == '.') raw.remove_prefix(1);  // ppc64 function descriptors
  while (raw.starts_with('_')) raw.remove_prefix(1);
  return std::string(raw);
}

std::string read_wchan(pid_t pid) {
  auto text = read_pid_file(pid, PidFile::wchan);
  // libproc2 reads 63 bytes; a symbol is shorter.
  return wchan_text(text ? std::string_view(*text).substr(0, 63) : std::string_view());
}

void append_lstart(std::string& out, double start_epoch) {
  auto t = static_cast<std::time_t>(start_epoch);
  std::tm tm{};
  ::localtime_r(&t, &tm);
  char buf[64];
  out.append(buf, std::strftime(buf, sizeof buf, "%a %b %e %H:%M:%S %Y", &tm));
}

}  // namespace nsdebug
