/* The processes of the churn test (test_churn.cc). Each reports to LOG, one line an event:
 * "ARGV0 PID ready", "ARGV0 PID sig N" for every signal it catches, "ARGV0 PID killed N"
 * (written by the churn loop) for a child that died of a signal it could not catch.
 *   marker target LOG                 a long-lived target: catches, reports, lives on
 *   marker churn LOG SECONDS PARALLEL forks and reaps short-lived children for SECONDS, with
 *                                     PARALLEL alive at once; ends with "churn PID done N"
 *   marker child LOG                  one short-lived child (1-3 ms)
 * A churn child is forked and exec'd with the reported signals blocked, and unblocks them only
 * once its handler is in place: a signal sent at any moment of its life is reported, never lost
 * to the default action (which would kill it silently). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int log_fd = -1;
static const char* self_name = "?";
static const int reported[] = {SIGHUP, SIGINT, SIGUSR1, SIGUSR2, SIGTERM, SIGCONT, SIGWINCH};

/* Async-signal-safe: one write(2) of one line, O_APPEND keeps lines whole. */
static void report(const char* name, pid_t pid, const char* what, long n) {
  char line[256];
  int len = 0;
  len += snprintf(line + len, sizeof line - len, "%s %d %s", name, (int)pid, what);
  if (n >= 0) len += snprintf(line + len, sizeof line - len, " %ld", n);
  line[len++] = '\n';
  (void)!write(log_fd, line, (size_t)len);
}

static void on_signal(int sig) { report(self_name, getpid(), "sig", sig); }

static void install(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sa.sa_flags = SA_RESTART;
  for (size_t i = 0; i < sizeof reported / sizeof *reported; ++i) sigaction(reported[i], &sa, 0);
}

static sigset_t reported_set(void) {
  sigset_t s;
  sigemptyset(&s);
  for (size_t i = 0; i < sizeof reported / sizeof *reported; ++i) sigaddset(&s, reported[i]);
  return s;
}

static void nap_ms(long ms) {
  struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
  while (nanosleep(&t, &t) < 0) {
  }
}

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void reap(int flags, long* alive) {
  int status;
  pid_t pid;
  while ((pid = waitpid(-1, &status, flags)) > 0) {
    --*alive;
    if (WIFSIGNALED(status)) report("churn-child", pid, "killed", WTERMSIG(status));
    flags |= WNOHANG;
  }
}

static int churn(const char* log, double seconds, long parallel) {
  sigset_t blocked = reported_set(), old;
  long alive = 0, spawned = 0;
  double end = now() + seconds;
  while (now() < end) {
    while (alive < parallel) {
      sigprocmask(SIG_BLOCK, &blocked, &old);
      pid_t pid = fork();
      if (pid == 0) {
        execl("/proc/self/exe", "churn-child", "child", log, (char*)0);
        _exit(127);
      }
      sigprocmask(SIG_SETMASK, &old, 0);
      if (pid > 0) ++alive, ++spawned;
    }
    reap(0, &alive);
  }
  while (alive > 0) reap(0, &alive);
  report(self_name, getpid(), "done", spawned);
  return 0;
}

int main(int argc, char** argv) {
  if (argc < 3) return 2;
  self_name = argv[0];
  log_fd = open(argv[2], O_WRONLY | O_APPEND | O_CLOEXEC);
  if (log_fd < 0) return 1;
  install();
  if (strcmp(argv[1], "child") == 0) {
    sigset_t s = reported_set();
    sigprocmask(SIG_UNBLOCK, &s, 0);
    nap_ms(1 + getpid() % 3);
    return 0;
  }
  if (strcmp(argv[1], "target") == 0) {
    report(self_name, getpid(), "ready", -1);
    for (;;) pause();
  }
  if (strcmp(argv[1], "churn") == 0 && argc == 5) {
    report(self_name, getpid(), "ready", -1);
    return churn(argv[2], atof(argv[3]), atol(argv[4]));
  }
  return 2;
}
