#pragma once
// The signals that end a trace (SIGINT, SIGTERM, SIGHUP), caught so the trace detaches before
// nsdebug goes. Unlike core/base/stop_signals.h (blocked, read from a signalfd), these are
// handled: the tracer sleeps in waitpid, which no signalfd can wake, and a poll before each
// waitpid would double the cost of every traced call. To close the gap between checking the
// flag and sleeping, the handler also kills a "waker", a child of ours that only waits: its
// death ends any waitpid(-1) at once, however late the signal came. The waker dies with us
// (PR_SET_PDEATHSIG), so a SIGKILL of nsdebug leaves nothing behind.
// SIGPIPE is ignored for the trace's life: a reader that goes away (trace | head) is a write
// error, and the trace detaches, instead of dying with its tracees held.
#include <sys/types.h>

#include "core/base/error.h"

namespace nsdebug {

class TraceStop {
 public:
  static Result<TraceStop> install();
  TraceStop(TraceStop&& other) noexcept : waker_(other.waker_) { other.waker_ = 0; }
  TraceStop& operator=(TraceStop&&) = delete;
  ~TraceStop();

  // The signal that asked us to stop; 0 while none has.
  int requested() const;
  // The waker's PID: waitpid(-1) returns it when a stop signal came.
  pid_t waker() const { return waker_; }

 private:
  explicit TraceStop(pid_t waker) : waker_(waker) {}
  pid_t waker_ = 0;
};

}  // namespace nsdebug
