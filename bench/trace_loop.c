/* trace_bench.sh's tracee: waits for a line on stdin (the tracer attaches meanwhile), then makes
 * N getppid calls (or N one-byte reads of /dev/zero with "zero") and prints the seconds they
 * took. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char** argv) {
  long n = argc > 1 ? atol(argv[1]) : 1000000;
  int zero = argc > 2 && strcmp(argv[2], "zero") == 0 ? open("/dev/zero", O_RDONLY) : -1;
  char go[8], byte;
  if (read(0, go, sizeof go) <= 0) return 1;
  struct timespec a, b;
  clock_gettime(CLOCK_MONOTONIC, &a);
  for (long i = 0; i < n; ++i) {
    if (zero >= 0) {
      if (read(zero, &byte, 1) != 1) return 1;
    } else {
      syscall(SYS_getppid);
    }
  }
  clock_gettime(CLOCK_MONOTONIC, &b);
  printf("%.6f\n", (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9);
  return 0;
}
