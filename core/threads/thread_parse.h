#pragma once
// The pure parts of `nsdebug threads`: /proc/PID/task/TID/syscall, a blocked call decoded with
// its descriptors named, CPU% over a sample, and the summary line. No /proc here
// (core/threads/threads.h reads it).
#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nsdebug {

// /proc/PID/task/TID/syscall: "running" (on a CPU now), "-1 SP PC" (blocked, but not in a
// system call: a page fault, a stop), or "NR ARG1 .. ARG6 SP PC" (in call NR).
struct SyscallLine {
  enum class Kind { running, not_in_syscall, in_syscall } kind = Kind::running;
  long nr = -1;
  std::array<std::uint64_t, 6> args{};
};
std::optional<SyscallLine> parse_syscall_line(std::string_view text);

// Names a descriptor of the target ("pipe:[123]", "tcp ... ESTAB"); nullopt when it cannot.
using FdDescriber = std::function<std::optional<std::string>(int fd)>;

// Which arguments of a call are descriptors, by the call's name: read(0), sendfile(0, 1),
// epoll_wait(0). Empty for a call with none (or one we do not know).
std::vector<int> fd_arguments(std::string_view call);

// "read(5 → pipe:[123], 0x7ffd1000, 0x1000)", "futex(0x55d0c0, FUTEX_WAIT_PRIVATE, 0x0)",
// "epoll_wait(7 → epoll: 3 fds, 0x7f.., 0x80, 0xffffffff)". Arguments a call does not take are
// still shown, as the kernel reports all six: only as many as the call has are printed when
// its arity is known. Names come from core/trace/syscall_names.h; an unknown number is
// "syscall_NR". Raw bytes (a descriptor's path): faces escape.
std::string decode_syscall(const SyscallLine& line, const FdDescriber& describe);
// Just the call's name: "read", "running", "-" (not in a syscall), "syscall_451".
std::string syscall_word(const SyscallLine& line);

// FUTEX_WAIT_PRIVATE, FUTEX_WAKE, FUTEX_WAIT_BITSET|FUTEX_CLOCK_REALTIME...; hex when unknown.
std::string futex_op_name(std::uint64_t op);

// CPU% of one thread between two reads `seconds` apart: ticks used / ticks available, as top
// shows a thread (100 = one CPU busy).
double cpu_percent(std::uint64_t ticks_before, std::uint64_t ticks_after, double seconds,
                   long ticks_per_second);

// "14 threads: 12 in futex, 1 in epoll_wait, 1 running": what each thread is in, most common
// first (ties by name); "running" last. `words` holds one syscall_word (or "?" for a thread
// whose syscall file we could not read: said as "N unknown").
std::string summary_line(const std::vector<std::string>& words);

}  // namespace nsdebug
