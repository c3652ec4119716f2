#pragma once
// The signals that end a long-running nsdebug cleanly (the sidecar's idle state, the TUI, tail
// -f), in one place and with one behaviour. SIGINT, SIGTERM and SIGHUP are blocked and read
// from a signalfd, so each face ends through its own loop (the TUI puts the terminal back, tail
// flushes what it read) instead of dying mid-write, and the process sleeps in the kernel with
// no polling loop. Why each rule:
//  - Blocked, not handled: a blocked signal is never dropped, even by PID 1 of a PID namespace
//    (the kernel drops one PID 1 has at its default action), and a handler could not call
//    endwin safely.
//  - SIGINT and SIGTERM are reset to their default action first: a shell starts background jobs
//    with SIGINT ignored, and an ignored signal is discarded before a signalfd sees it; the
//    user's kill -INT and the pod's TERM must still end us.
//  - SIGHUP is left ignored when it was ignored at start: that is nohup's request to keep
//    running after the terminal goes.
//  - SIGCHLD is watched only with reap_children (the sidecar, possibly PID 1 and then parent of
//    every orphan): elsewhere a child's exit must not look like a request to stop.
// Children we spawn must get the signals unblocked (posix_spawnattr_setsigmask with an empty
// set), or they would ignore TERM.
#include <sys/types.h>

#include "core/base/error.h"
#include "core/base/unique_fd.h"

namespace nsdebug {

class StopSignals {
 public:
  struct Options {
    bool reap_children = false;  // SIGCHLD too: every exited child is reaped, never a stop
  };
  // Blocks the signals in this thread and opens the signalfd (non-blocking).
  static Result<StopSignals> open(Options options);
  static Result<StopSignals> open() { return open(Options{}); }

  enum class Wake { stop, input };
  struct Event {
    Wake wake = Wake::stop;
    int signal = 0;  // SIGINT, SIGTERM or SIGHUP when wake is stop
  };

  // Sleeps until a stop signal (stop) or until `input_fd` is readable (input; -1: none; a
  // hung-up input_fd is no longer watched).
  Result<Event> wait(int input_fd = -1);

  // For a loop that polls fd() beside its own fds: the stop signal pending (0: none, as after
  // a SIGCHLD, which is reaped here).
  int take();

  // Readable when a signal is pending: polled by the TUI's loop and by tail -f's follow.
  int fd() const { return fd_.get(); }

  // Children reaped so far.
  int reaped() const { return reaped_; }

 private:
  explicit StopSignals(UniqueFd fd) : fd_(std::move(fd)) {}
  void reap_all();
  UniqueFd fd_;
  int reaped_ = 0;
};

}  // namespace nsdebug
