#pragma once
// What each thread of a process is doing: its state, CPU over a short sample, wait channel, the
// system call it is in (with descriptors named) and its kernel stack, read from
// /proc/PID/task/TID through the process's own /proc/PID directory, checked against the
// handle's start time, so a recycled PID is never read.
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/base/error.h"
#include "core/proc/process_handle.h"
#include "core/threads/thread_parse.h"

namespace nsdebug {

struct ThreadInfo {
  pid_t tid = 0;
  std::string comm;        // raw: the target's bytes
  char state = '?';
  std::optional<double> cpu_percent;  // nullopt for a thread born during the sample
  std::uint64_t cpu_ticks = 0;        // utime + stime
  std::string wchan;       // "" when the kernel says 0 (running, or not in the kernel)
  std::optional<SyscallLine> syscall;  // nullopt: unreadable (see syscall_error)
  std::string call;        // decoded: "read(5 → pipe:[123], 0x.., 0x1000)", "running"
  std::vector<std::string> stack;      // kernel frames, innermost first
};

struct ThreadsReport {
  pid_t pid = 0;
  std::string comm;
  double interval = 0;  // seconds between the two reads of each thread's ticks
  std::vector<ThreadInfo> threads;  // by TID
  std::optional<Error> syscall_error;  // why no thread's syscall could be read (explained)
  std::optional<Error> stack_error;    // why no kernel stack could be read (explained)
  std::string summary;  // "14 threads: 12 in futex, 1 in epoll_wait, 1 running"
};

struct ThreadsOptions {
  std::chrono::milliseconds interval{500};
  bool stacks = true;
};

// ESRCH when the process exited (or its PID was reused) before or during the look.
Result<ThreadsReport> read_threads(const ProcessHandle& process, const ThreadsOptions& options);

}  // namespace nsdebug
