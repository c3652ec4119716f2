#pragma once
// A live system call trace through ptrace, which never harms its tracee:
//  - PTRACE_SEIZE, not ATTACH: the tracee is not stopped to be attached, and group-stops are
//    reported as such (PTRACE_EVENT_STOP), left in place with PTRACE_LISTEN as strace does;
//  - every signal delivered to a tracee is passed on (re-injected at its delivery stop);
//  - no PTRACE_O_EXITKILL: when nsdebug dies, even by SIGKILL, the kernel detaches its
//    tracees and a tracee held in a stop runs on;
//  - detach() (and the destructor) interrupts each tracee, waits for its stop and detaches it
//    there, re-injecting a signal caught on its way, so none is lost.
// PTRACE_GET_SYSCALL_INFO (Linux 5.3) reads each call's number, arguments and return.
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string_view>

#include "core/base/error.h"
#include "core/proc/process_handle.h"
#include "core/trace/decode.h"
#include "core/trace/selection.h"
#include "core/trace/trace_stop.h"

namespace nsdebug {

struct TraceSettings {
  bool follow = false;         // -f: every thread, and children as they are made
  SyscallSelection selection;  // -e
  DecodeOptions decode;        // -s, naming descriptors
  bool durations = false;      // -T: time spent in each call
  int timestamps = 0;          // -t: 1 wall clock, 2 with microseconds, 3 seconds since 1970
  bool lines = true;           // false for --summary alone: counts, no decoding
};

struct SyscallStats {
  std::uint64_t calls = 0;
  std::uint64_t errors = 0;
  std::chrono::nanoseconds time{0};  // between entry and exit stops, wall clock
};

// A line of the trace (without its newline); false when it could not be written: the trace
// then detaches and ends.
using TraceSink = std::function<bool(std::string_view line)>;

class Tracer {
 public:
  // Seizes the process `target` holds (with follow, each of its threads), after checking it is
  // still the process the handle was opened on. Errors explain themselves (trace_access.h).
  static Result<Tracer> attach(const ProcessHandle& target, TraceSettings settings);
  Tracer(Tracer&&) noexcept;
  Tracer& operator=(Tracer&&) = delete;
  ~Tracer();  // detaches what is still attached

  enum class End { exited, stopped, output_failed };
  // Traces until every tracee exited, a stop signal came (then detaches) or the sink failed.
  End run(const TraceSink& sink, const TraceStop& stop);
  // Interrupts and detaches every tracee; idempotent.
  void detach();

  // Per syscall number, the calls selected so far.
  const std::map<long, SyscallStats>& stats() const;
  pid_t pid() const;

  struct State;

 private:
  explicit Tracer(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

// Pure. A --summary table as strace -c prints it, most time first.
std::string summary_table(const std::map<long, SyscallStats>& stats);

}  // namespace nsdebug
