#pragma once
// The kill code's one way to the processes it plans for and signals (as ninja's DiskInterface):
// holding a process by pidfd, reading the signals it handles, sending, and explaining a refusal
// of the kernel. plan_kill and deliver take one: the real one goes through pidfds and
// core/proc/procfs, and unit tests give a fake of their own, so the plan's and the guards'
// decisions are checked without root and without touching the test machine's processes
// (tests/integration/test_kill*.cc check the real one in namespaces).
#include <sys/types.h>

#include <cstdint>
#include <optional>

#include "core/base/error.h"
#include "core/signals/kill_guard.h"
#include "core/proc/process_handle.h"

namespace nsdebug {

class ProcessBoundary {
 public:
  virtual ~ProcessBoundary() = default;
  // The process listed with that start time, held (ESRCH: gone, or its PID recycled since).
  virtual Result<ProcessHandle> hold(pid_t pid, std::uint64_t start_ticks) = 0;
  // Which signals it ignores and handles (asked of PID 1, which hears only those it handles).
  virtual std::optional<SignalMasks> signal_masks(pid_t pid) = 0;
  virtual Result<void> send(const ProcessHandle& process, int sig) = 0;
  // An EPERM from send, with why (the uids, CAP_KILL) and the fix.
  virtual Error explain_denied(Error e, pid_t pid) = 0;
};

// The processes themselves: pidfds, /proc.
ProcessBoundary& real_processes();

}  // namespace nsdebug
