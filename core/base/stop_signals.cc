// The stop signals' one behaviour (stop_signals.h says why each rule holds).
#include "core/base/stop_signals.h"

#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>

namespace nsdebug {
namespace {

constexpr int kStops[] = {SIGINT, SIGTERM, SIGHUP};

sigset_t watched(bool reap_children) {
  sigset_t set;
  sigemptyset(&set);
  for (int sig : kStops) sigaddset(&set, sig);
  if (reap_children) sigaddset(&set, SIGCHLD);
  return set;
}

// SIGINT and SIGTERM reach us even when started ignored; SIGHUP keeps nohup's wish.
void default_actions() {
  struct sigaction dfl{};
  dfl.sa_handler = SIG_DFL;
  sigemptyset(&dfl.sa_mask);
  ::sigaction(SIGINT, &dfl, nullptr);
  ::sigaction(SIGTERM, &dfl, nullptr);
}

}  // namespace

Result<StopSignals> StopSignals::open(Options options) {
  sigset_t set = watched(options.reap_children);
  // Blocked before the actions are reset: a signal arriving in between stays pending.
  if (int e = pthread_sigmask(SIG_BLOCK, &set, nullptr); e != 0)
    return fail(e, "block SIGINT, SIGTERM and SIGHUP");
  default_actions();
  int fd = ::signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
  if (fd < 0) return fail_errno("signalfd");
  StopSignals s{UniqueFd(fd)};
  if (options.reap_children) s.reap_all();  // children that exited before we watched
  return s;
}

void StopSignals::reap_all() {
  // SIGCHLDs coalesce: one may stand for many exits, so reap until none is left.
  while (::waitpid(-1, nullptr, WNOHANG) > 0) ++reaped_;
}

int StopSignals::take() {
  signalfd_siginfo info{};
  while (::read(fd_.get(), &info, sizeof info) == static_cast<ssize_t>(sizeof info)) {
    int sig = static_cast<int>(info.ssi_signo);
    if (sig != SIGCHLD) return sig;
    reap_all();
  }
  return 0;
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
    if (int sig = take()) return Event{Wake::stop, sig};
  }
}

}  // namespace nsdebug
