#include "core/threads/thread_parse.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <charconv>

#include "core/trace/syscall_names.h"

namespace nsdebug {
namespace {

// The calls a thread is commonly found waiting in: how many arguments each takes and which are
// descriptors. A call not listed shows all six arguments in hex.
struct CallShape {
  std::string_view name;
  int arity;
  std::array<int, 2> fds;  // argument indexes, -1 for none
};

constexpr CallShape kShapes[] = {
    {"read", 3, {0, -1}},          {"write", 3, {0, -1}},        {"pread64", 4, {0, -1}},
    {"pwrite64", 4, {0, -1}},      {"readv", 3, {0, -1}},        {"writev", 3, {0, -1}},
    {"preadv", 5, {0, -1}},        {"pwritev", 5, {0, -1}},      {"preadv2", 6, {0, -1}},
    {"pwritev2", 6, {0, -1}},      {"recvfrom", 6, {0, -1}},     {"sendto", 6, {0, -1}},
    {"recvmsg", 3, {0, -1}},       {"sendmsg", 3, {0, -1}},      {"recvmmsg", 5, {0, -1}},
    {"sendmmsg", 4, {0, -1}},      {"accept", 3, {0, -1}},       {"accept4", 4, {0, -1}},
    {"connect", 3, {0, -1}},       {"epoll_wait", 4, {0, -1}},   {"epoll_pwait", 6, {0, -1}},
    {"epoll_pwait2", 6, {0, -1}},  {"epoll_ctl", 4, {0, 2}},     {"ioctl", 3, {0, -1}},
    {"fcntl", 3, {0, -1}},         {"flock", 2, {0, -1}},        {"fsync", 1, {0, -1}},
    {"fdatasync", 1, {0, -1}},     {"close", 1, {0, -1}},        {"lseek", 3, {0, -1}},
    {"fstat", 2, {0, -1}},         {"getdents64", 3, {0, -1}},   {"sendfile", 4, {0, 1}},
    {"splice", 6, {0, 2}},         {"tee", 4, {0, 1}},           {"copy_file_range", 6, {0, 2}},
    {"sync_file_range", 4, {0, -1}}, {"ftruncate", 2, {0, -1}},  {"fallocate", 4, {0, -1}},
    {"io_uring_enter", 6, {0, -1}}, {"shutdown", 2, {0, -1}},    {"listen", 2, {0, -1}},
    {"bind", 3, {0, -1}},          {"getsockopt", 5, {0, -1}},   {"setsockopt", 5, {0, -1}},
    {"futex", 6, {-1, -1}},        {"nanosleep", 2, {-1, -1}},   {"clock_nanosleep", 4, {-1, -1}},
    {"poll", 3, {-1, -1}},         {"ppoll", 5, {-1, -1}},       {"select", 5, {-1, -1}},
    {"pselect6", 6, {-1, -1}},     {"wait4", 4, {-1, -1}},       {"waitid", 5, {-1, -1}},
    {"pause", 0, {-1, -1}},        {"rt_sigsuspend", 2, {-1, -1}}, {"rt_sigtimedwait", 4, {-1, -1}},
    {"sched_yield", 0, {-1, -1}},  {"msgrcv", 5, {-1, -1}},      {"semop", 3, {-1, -1}},
    {"semtimedop", 4, {-1, -1}},   {"mq_timedreceive", 5, {-1, -1}},
};

const CallShape* shape_of(std::string_view name) {
  auto it = std::ranges::find(kShapes, name, &CallShape::name);
  return it == std::end(kShapes) ? nullptr : &*it;
}

bool parse_hex(std::string_view word, std::uint64_t& out) {
  if (word.starts_with("0x")) word.remove_prefix(2);
  if (word.empty()) return false;
  auto [end, ec] = std::from_chars(word.data(), word.data() + word.size(), out, 16);
  return ec == std::errc{} && end == word.data() + word.size();
}

std::vector<std::string_view> words_of(std::string_view text) {
  std::vector<std::string_view> words;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t start = text.find_first_not_of(" \t\n", pos);
    if (start == std::string_view::npos) break;
    std::size_t end = text.find_first_of(" \t\n", start);
    if (end == std::string_view::npos) end = text.size();
    words.push_back(text.substr(start, end - start));
    pos = end;
  }
  return words;
}

std::string fd_argument(std::uint64_t raw, const FdDescriber& describe) {
  int fd = static_cast<int>(static_cast<std::uint32_t>(raw));  // an int in the ABI
  if (fd < 0) return std::to_string(fd);
  auto what = describe ? describe(fd) : std::nullopt;
  return what ? fmt::format("{} \u2192 {}", fd, *what) : std::to_string(fd);
}

}  // namespace

std::optional<SyscallLine> parse_syscall_line(std::string_view text) {
  auto words = words_of(text);
  if (words.size() == 1 && words[0] == "running") return SyscallLine{};
  if (words.empty()) return std::nullopt;
  SyscallLine line;
  if (words[0] == "-1") {
    if (words.size() != 3) return std::nullopt;
    line.kind = SyscallLine::Kind::not_in_syscall;
    return line;
  }
  // NR ARG1..ARG6 SP PC
  if (words.size() != 9) return std::nullopt;
  auto [end, ec] = std::from_chars(words[0].data(), words[0].data() + words[0].size(), line.nr);
  if (ec != std::errc{} || end != words[0].data() + words[0].size() || line.nr < 0)
    return std::nullopt;
  for (std::size_t i = 0; i < 6; ++i)
    if (!parse_hex(words[i + 1], line.args[i])) return std::nullopt;
  line.kind = SyscallLine::Kind::in_syscall;
  return line;
}

std::vector<int> fd_arguments(std::string_view call) {
  std::vector<int> out;
  if (const CallShape* s = shape_of(call))
    for (int i : s->fds)
      if (i >= 0) out.push_back(i);
  return out;
}

std::string syscall_word(const SyscallLine& line) {
  switch (line.kind) {
    case SyscallLine::Kind::running: return "running";
    case SyscallLine::Kind::not_in_syscall: return "-";
    case SyscallLine::Kind::in_syscall: break;
  }
  auto name = syscall_name(line.nr);
  return name.empty() ? fmt::format("syscall_{}", line.nr) : std::string(name);
}

std::string futex_op_name(std::uint64_t op) {
  constexpr std::uint64_t kPrivate = 128, kRealtime = 256;
  static constexpr std::string_view kOps[] = {
      "FUTEX_WAIT", "FUTEX_WAKE", "FUTEX_FD", "FUTEX_REQUEUE", "FUTEX_CMP_REQUEUE",
      "FUTEX_WAKE_OP", "FUTEX_LOCK_PI", "FUTEX_UNLOCK_PI", "FUTEX_TRYLOCK_PI",
      "FUTEX_WAIT_BITSET", "FUTEX_WAKE_BITSET", "FUTEX_WAIT_REQUEUE_PI",
      "FUTEX_CMP_REQUEUE_PI", "FUTEX_LOCK_PI2"};
  std::uint64_t cmd = op & ~(kPrivate | kRealtime);
  if (cmd >= std::size(kOps) || (op >> 32) != 0) return fmt::format("{:#x}", op);
  std::string name(kOps[cmd]);
  if (op & kPrivate) name += "_PRIVATE";
  if (op & kRealtime) name += "|FUTEX_CLOCK_REALTIME";
  return name;
}

std::string decode_syscall(const SyscallLine& line, const FdDescriber& describe) {
  std::string name = syscall_word(line);
  if (line.kind != SyscallLine::Kind::in_syscall) return name;
  const CallShape* shape = shape_of(name);
  int arity = shape ? shape->arity : 6;
  std::vector<std::string> args;
  for (int i = 0; i < arity; ++i) {
    auto raw = line.args[static_cast<std::size_t>(i)];
    bool is_fd = shape && (shape->fds[0] == i || shape->fds[1] == i);
    if (is_fd)
      args.push_back(fd_argument(raw, describe));
    else if (name == "futex" && i == 1)
      args.push_back(futex_op_name(raw));
    else
      args.push_back(fmt::format("{:#x}", raw));
  }
  // futex's later arguments (timeout, second address, bitset) mean little to a reader: the
  // address and the operation say which lock and how it waits.
  if (name == "futex" && args.size() > 3) args.resize(3);
  return fmt::format("{}({})", name, fmt::join(args, ", "));
}

double cpu_percent(std::uint64_t ticks_before, std::uint64_t ticks_after, double seconds,
                   long ticks_per_second) {
  if (seconds <= 0 || ticks_per_second <= 0 || ticks_after < ticks_before) return 0;
  return 100.0 * static_cast<double>(ticks_after - ticks_before) /
         (seconds * static_cast<double>(ticks_per_second));
}

std::string summary_line(const std::vector<std::string>& words) {
  std::map<std::string, int> counts;
  for (const auto& w : words) counts[w == "-" ? "no syscall" : w]++;
  int running = 0, unknown = 0;
  if (auto it = counts.find("running"); it != counts.end()) running = it->second, counts.erase(it);
  if (auto it = counts.find("?"); it != counts.end()) unknown = it->second, counts.erase(it);
  std::vector<std::pair<std::string, int>> in(counts.begin(), counts.end());
  std::ranges::stable_sort(in, [](const auto& a, const auto& b) { return a.second > b.second; });
  std::vector<std::string> parts;
  for (const auto& [word, n] : in)
    parts.push_back(word == "no syscall" ? fmt::format("{} not in a syscall", n)
                                         : fmt::format("{} in {}", n, word));
  if (running) parts.push_back(fmt::format("{} running", running));
  if (unknown) parts.push_back(fmt::format("{} unknown", unknown));
  std::string head = fmt::format("{} thread{}", words.size(), words.size() == 1 ? "" : "s");
  if (parts.empty()) return head;
  return fmt::format("{}: {}", head, fmt::join(parts, ", "));
}

}  // namespace nsdebug
