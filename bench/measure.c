/* measure: run one command and report its CPU time, wall time and peak RSS.
 *
 *   measure [-o OUT] [-a FILE] [-t TAG] -- PROG [ARG...]
 *
 * PROG's stdout goes to OUT (default: inherited); stderr is inherited.
 * One line is written, to FILE (appended) if -a is given, else to stdout:
 *
 *   [TAG ]user_us sys_us wall_us maxrss_kb status
 *
 * user/sys come from wait4()'s rusage of the child (ru_utime, ru_stime),
 * maxrss is ru_maxrss (KiB), wall is CLOCK_MONOTONIC from just before fork()
 * to just after wait4() returns. status is the exit code, 128+signal if the
 * child was killed, 127 if exec failed.
 *
 * Link it statically: ru_maxrss also covers the pre-exec image of the child
 * (a copy of this program), which must stay negligible.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void usage(void)
{
	fprintf(stderr, "usage: measure [-o OUT] [-a FILE] [-t TAG] -- PROG [ARG...]\n");
	exit(2);
}

static long long tv_us(struct timeval tv)
{
	return (long long)tv.tv_sec * 1000000LL + tv.tv_usec;
}

int main(int argc, char **argv)
{
	const char *out = NULL, *append = NULL, *tag = NULL;
	int opt;

	while ((opt = getopt(argc, argv, "+o:a:t:")) != -1) {
		switch (opt) {
		case 'o': out = optarg; break;
		case 'a': append = optarg; break;
		case 't': tag = optarg; break;
		default: usage();
		}
	}
	if (optind >= argc)
		usage();
	char **cmd = argv + optind;

	int outfd = -1;
	if (out) {
		outfd = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (outfd < 0) {
			fprintf(stderr, "measure: %s: %s\n", out, strerror(errno));
			return 2;
		}
	}

	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid_t pid = fork();
	if (pid < 0) {
		perror("measure: fork");
		return 2;
	}
	if (pid == 0) {
		if (outfd >= 0 && dup2(outfd, 1) < 0)
			_exit(127);
		execvp(cmd[0], cmd);
		fprintf(stderr, "measure: exec %s: %s\n", cmd[0], strerror(errno));
		_exit(127);
	}

	int st;
	struct rusage ru;
	pid_t w;
	do
		w = wait4(pid, &st, 0, &ru);
	while (w < 0 && errno == EINTR);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (w < 0) {
		perror("measure: wait4");
		return 2;
	}

	int status = WIFEXITED(st) ? WEXITSTATUS(st)
		   : WIFSIGNALED(st) ? 128 + WTERMSIG(st) : 255;
	long long wall_us = (long long)(t1.tv_sec - t0.tv_sec) * 1000000LL +
			    (t1.tv_nsec - t0.tv_nsec) / 1000;

	char line[256];
	int n = snprintf(line, sizeof line, "%s%s%lld %lld %lld %ld %d\n",
			 tag ? tag : "", tag ? " " : "",
			 tv_us(ru.ru_utime), tv_us(ru.ru_stime), wall_us,
			 ru.ru_maxrss, status);
	if (append) {
		int fd = open(append, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
		if (fd < 0 || write(fd, line, (size_t)n) != n) {
			fprintf(stderr, "measure: %s: %s\n", append, strerror(errno));
			return 2;
		}
		close(fd);
	} else {
		fputs(line, stdout);
	}
	return 0;
}
