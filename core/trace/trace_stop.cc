#include "core/trace/trace_stop.h"

#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>

#include "core/base/sys.h"

namespace nsdebug {
namespace {

volatile sig_atomic_t g_requested = 0;
volatile pid_t g_waker = 0;

void on_stop_signal(int sig) {
  g_requested = sig;
  // Once: after its death the tracer may reap it, and its PID could then be another's.
  pid_t waker = g_waker;
  g_waker = 0;
  if (waker > 0) sys::forward_signal_from_handler(waker, SIGKILL);  // async-signal-safe: ends the waitpid
}

[[noreturn]] void be_waker(pid_t parent) {
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != parent) ::_exit(0);  // the parent died before the line above
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) ::signal(sig, SIG_IGN);
  for (;;) ::pause();
}

}  // namespace

Result<TraceStop> TraceStop::install() {
  g_requested = 0;
  pid_t parent = ::getpid();
  pid_t waker = ::fork();
  if (waker < 0) return fail_errno("trace: fork");
  if (waker == 0) be_waker(parent);
  g_waker = waker;
  struct sigaction sa {};
  sa.sa_handler = on_stop_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;  // no SA_RESTART: a waitpid in progress returns EINTR as well
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) {
    struct sigaction old {};
    ::sigaction(sig, nullptr, &old);
    // nohup's request to outlive the terminal stands.
    if (sig == SIGHUP && old.sa_handler == SIG_IGN) continue;
    ::sigaction(sig, &sa, nullptr);
  }
  ::signal(SIGPIPE, SIG_IGN);
  sigset_t set;
  sigemptyset(&set);
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) sigaddset(&set, sig);
  ::sigprocmask(SIG_UNBLOCK, &set, nullptr);
  return TraceStop(waker);
}

int TraceStop::requested() const { return g_requested; }

TraceStop::~TraceStop() {
  if (waker_ <= 0) return;
  if (g_waker == waker_) {
    g_waker = 0;
    sys::forward_signal_from_handler(waker_, SIGKILL);
  }
  ::waitpid(waker_, nullptr, 0);  // ECHILD when the tracer's waitpid reaped it already
}

}  // namespace nsdebug
