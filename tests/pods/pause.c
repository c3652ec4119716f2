/* The e2e pods' sandbox process, a stand-in for Kubernetes' pause (registry.k8s.io/pause).
 * It is PID 1 of the pod's shared PID namespace, so it does what the real one does:
 *   - reaps every orphan that gets reparented to it (else zombies pile up in the pod);
 *   - exits on SIGTERM/SIGINT, which ends the sandbox (the kernel then kills the whole pod);
 *   - ignores everything else: as a namespace init it never sees signals it has no handler for
 *     when they come from inside the pod (`kill -KILL 1` from a sidecar is dropped).
 * Built static: the pause "image" is this one file. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void on_term(int sig) {
  (void)sig;
  _exit(0);
}

static void on_chld(int sig) {
  (void)sig;
  while (waitpid(-1, NULL, WNOHANG) > 0) {
  }
}

int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "-v") == 0) {
    puts("pause (nsdebug e2e pods)");
    return 0;
  }
  if (getpid() != 1) fprintf(stderr, "Warning: pause should be the first process\n");

  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sigemptyset(&sa.sa_mask);
  sa.sa_handler = on_term;
  if (sigaction(SIGINT, &sa, NULL) < 0 || sigaction(SIGTERM, &sa, NULL) < 0) return 1;
  sa.sa_handler = on_chld;
  sa.sa_flags = SA_NOCLDSTOP;
  if (sigaction(SIGCHLD, &sa, NULL) < 0) return 2;

  for (;;) pause();
}
