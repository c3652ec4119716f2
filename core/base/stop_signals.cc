#include "core/base/stop_signals.h"

#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <sys/wait.h>

#include <array>

namespace nsdebug {
namespace {

sigset_t watched() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGCHLD);
  return set;
}

}  // namespace

Result<StopSignals> StopSignals::open() {
  sigset_t set = watched();
  if (int e = pthread_sigmask(SIG_BLOCK, &set, nullptr); e != 0)
    return fail(e, "block SIGTERM, SIGINT and SIGCHLD");
  int fd = ::signalfd(-1, &set, SFD_CLOEXEC);
  if (fd < 0) return fail_errno("signalfd");
  StopSignals s{UniqueFd(fd)};
  s.reap_all();  // children that exited before we watched
  return s;
}

void StopSignals::reap_all() {
  // SIGCHLDs coalesce: one may stand for many exits, so reap until none is left.
  while (::waitpid(-1, nullptr, WNOHANG) > 0) ++reaped_;
}

Result<StopSignals::Event> StopSignals::wait(int input_fd) {
  for (;;) {
    std::array<pollfd, 2> fds{pollfd{fd_.get(), POLLIN, 0}, pollfd{input_fd, POLLIN, 0}};
    int n = ::poll(fds.data(), input_fd >= 0 ? 2 : 1, -1);
    if (n < 0 && errno == EINTR) continue;  // a signal we do not watch, with a handler (SIGWINCH)
    if (n < 0) return fail_errno("poll");
    if (input_fd >= 0 && (fds[1].revents & POLLIN)) return Event{Wake::input, 0};
    // A terminal that hung up (kubectl attach ended) stays "readable" forever: stop watching it,
    // or this loop would spin.
    if (input_fd >= 0 && (fds[1].revents & (POLLHUP | POLLERR | POLLNVAL))) input_fd = -1;
    if (!(fds[0].revents & POLLIN)) continue;
    signalfd_siginfo info{};
    if (::read(fd_.get(), &info, sizeof info) != static_cast<ssize_t>(sizeof info)) {
      if (errno == EINTR || errno == EAGAIN) continue;
      return fail_errno("read signalfd");
    }
    int sig = static_cast<int>(info.ssi_signo);
    if (sig == SIGCHLD) {
      reap_all();
      continue;
    }
    return Event{Wake::stop, sig};
  }
}

}  // namespace nsdebug
