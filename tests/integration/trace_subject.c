/* The processes nsdebug trace is tested on (test_trace.cc).
 *   subject script FILE SOCKDIR   waits for a line on stdin (the tracer attaches meanwhile),
 *                                 then: a marker open, reads FILE, a failed open, a unix and a
 *                                 TCP connect, a signal to itself, fork and exec of /bin/true,
 *                                 an end marker; exits 0
 *   subject loop LOG              a getppid and a 1 ms sleep, for ever; every SIGUSR1 it
 *                                 receives is counted and written to LOG ("usr1 N")
 * Markers are opens of /nonexistent/trace-begin and -end: the comparison with strace looks
 * between them. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t usr1_count = 0;
static void on_usr1(int sig) {
  (void)sig;
  ++usr1_count;
}

static int listen_unix(const char* path, struct sockaddr_un* addr) {
  int s = socket(AF_UNIX, SOCK_STREAM, 0);
  memset(addr, 0, sizeof *addr);
  addr->sun_family = AF_UNIX;
  snprintf(addr->sun_path, sizeof addr->sun_path, "%s", path);
  unlink(path);
  if (bind(s, (struct sockaddr*)addr, sizeof *addr) != 0 || listen(s, 4) != 0) exit(3);
  return s;
}

static int listen_tcp(struct sockaddr_in* addr) {
  int s = socket(AF_INET, SOCK_STREAM, 0);
  memset(addr, 0, sizeof *addr);
  addr->sin_family = AF_INET;
  addr->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof *addr;
  if (bind(s, (struct sockaddr*)addr, sizeof *addr) != 0 || listen(s, 4) != 0 ||
      getsockname(s, (struct sockaddr*)addr, &len) != 0)
    exit(3);
  return s;
}

static int script(const char* file, const char* sockdir) {
  char path[200];
  snprintf(path, sizeof path, "%s/subject.sock", sockdir);
  struct sockaddr_un un;
  struct sockaddr_in in;
  int unix_listener = listen_unix(path, &un);
  int tcp_listener = listen_tcp(&in);
  signal(SIGUSR1, on_usr1);
  char go[16];
  if (read(0, go, sizeof go) <= 0) return 4;

  close(open("/nonexistent/trace-begin", O_RDONLY));
  int fd = open(file, O_RDONLY | O_CLOEXEC);
  char buf[256];
  ssize_t n = read(fd, buf, sizeof buf);
  close(fd);
  if (open("/nonexistent/file", O_RDONLY) >= 0 || n < 0) return 5;

  int u = socket(AF_UNIX, SOCK_STREAM, 0);
  if (connect(u, (struct sockaddr*)&un, sizeof un) != 0) return 6;
  int t = socket(AF_INET, SOCK_STREAM, 0);
  if (connect(t, (struct sockaddr*)&in, sizeof in) != 0) return 7;
  close(u);
  close(t);

  kill(getpid(), SIGUSR1);
  pid_t child = fork();
  if (child == 0) {
    execl("/bin/true", "true", "from-subject", (char*)NULL);
    _exit(127);
  }
  int status = 0;
  waitpid(child, &status, 0);
  close(open("/nonexistent/trace-end", O_RDONLY));
  close(unix_listener);
  close(tcp_listener);
  unlink(path);
  return usr1_count == 1 && WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 8;
}

static int loop(const char* log) {
  int out = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_usr1;
  sigaction(SIGUSR1, &sa, NULL);
  dprintf(out, "ready %d\n", (int)getpid());
  int reported = 0;
  for (;;) {
    syscall(SYS_getppid);
    struct timespec ms = {0, 1000 * 1000};
    nanosleep(&ms, NULL);
    int now = usr1_count;
    if (now != reported) {
      reported = now;
      dprintf(out, "usr1 %d\n", now);
    }
  }
}

int main(int argc, char** argv) {
  if (argc == 4 && strcmp(argv[1], "script") == 0) return script(argv[2], argv[3]);
  if (argc == 3 && strcmp(argv[1], "loop") == 0) return loop(argv[2]);
  fprintf(stderr, "usage: subject script FILE SOCKDIR | subject loop LOG\n");
  return 2;
}
