#pragma once
// Waiting at no CPU until told to stop: the sidecar's idle state. SIGTERM, SIGINT and SIGCHLD are
// blocked and read from a signalfd, so the process sleeps in the kernel (no polling loop) and,
// as PID 1 of a PID namespace, still receives them: the kernel drops a signal PID 1 has at its
// default action, but never a blocked one.
#include <sys/types.h>

#include "core/base/error.h"
#include "core/base/unique_fd.h"

namespace nsdebug {

class StopSignals {
 public:
  // Blocks the three signals in this thread and opens the signalfd. Children we spawn must get
  // them unblocked (posix_spawnattr_setsigmask with an empty set), or they would ignore TERM.
  static Result<StopSignals> open();

  enum class Wake { stop, input };
  struct Event {
    Wake wake = Wake::stop;
    int signal = 0;  // SIGTERM or SIGINT when wake is stop
  };

  // Sleeps until SIGTERM or SIGINT (stop) or until `input_fd` is readable (input; -1: none;
  // a hung-up input_fd is no longer watched).
  // Every SIGCHLD on the way reaps each exited child: the zombies of a PID namespace whose
  // PID 1 we are are reparented to us.
  Result<Event> wait(int input_fd = -1);

  // The signalfd, for an event loop that must also wake on SIGTERM (the TUI's).
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
