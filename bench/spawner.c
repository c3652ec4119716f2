/* spawner: fill a PID namespace with N idle processes, run a command, clean up.
 *
 *   spawner N [-- CMD [ARG...]]
 *
 * Meant to run as PID 1 of a fresh PID namespace with its own /proc:
 *
 *   unshare --pid --fork --mount-proc --kill-child spawner 10000 -- cmd ...
 *
 * It forks N children that close every fd and pause() for ever, lets them
 * settle, then forks+execs CMD and reaps whatever dies meanwhile. When CMD
 * exits (or on SIGINT/SIGTERM/SIGHUP) it SIGKILLs every process of the
 * namespace (kill(-1) from PID 1) and exits with CMD's status; the kernel
 * also kills everything left when a namespace's init exits.
 * Without CMD it prints "ready" and waits for a signal.
 *
 * Link it statically: the children are copies of this process, so they
 * stay a few pages each.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void on_signal(int sig)
{
	kill(-1, SIGKILL);
	_exit(128 + sig);
}

static void idle_child(void)
{
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
#ifdef SYS_close_range
	if (syscall(SYS_close_range, 0U, ~0U, 0U) != 0)
#endif
		for (int fd = 0; fd < 1024; fd++)
			close(fd);
	for (;;)
		pause();
}

int main(int argc, char **argv)
{
	if (argc < 2 || (argc > 2 && strcmp(argv[2], "--") != 0) || argc == 3) {
		fprintf(stderr, "usage: spawner N [-- CMD [ARG...]]\n");
		return 2;
	}
	char *end;
	long n = strtol(argv[1], &end, 10);
	if (*end || n < 0) {
		fprintf(stderr, "spawner: bad N: %s\n", argv[1]);
		return 2;
	}
	if (getpid() != 1)
		fprintf(stderr, "spawner: warning: not PID 1 of a namespace; "
				"other processes will be visible\n");

	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);

	for (long i = 0; i < n; i++) {
		pid_t pid = fork();
		if (pid == 0)
			idle_child();
		if (pid < 0) {
			fprintf(stderr, "spawner: fork #%ld of %ld: %s\n", i + 1, n,
				strerror(errno));
			kill(-1, SIGKILL);
			return 3;
		}
	}
	/* let every child run to pause() before anything is measured */
	struct timespec ts = { 0, 200 * 1000 * 1000 + (long)(n * 20000) };
	while (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	nanosleep(&ts, NULL);

	if (argc == 2) {
		printf("ready: %ld idle processes, spawner pid %d\n", n, (int)getpid());
		fflush(stdout);
		for (;;) {
			/* reap anything that gets reparented to us */
			if (waitpid(-1, NULL, 0) < 0 && errno == ECHILD)
				pause();
		}
	}

	pid_t cmd = fork();
	if (cmd < 0) {
		perror("spawner: fork");
		kill(-1, SIGKILL);
		return 3;
	}
	if (cmd == 0) {
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		execvp(argv[3], argv + 3);
		fprintf(stderr, "spawner: exec %s: %s\n", argv[3], strerror(errno));
		_exit(127);
	}

	int st = 0, status = 255;
	for (;;) {
		pid_t w = waitpid(-1, &st, 0);
		if (w == cmd) {
			status = WIFEXITED(st) ? WEXITSTATUS(st)
			       : WIFSIGNALED(st) ? 128 + WTERMSIG(st) : 255;
			break;
		}
		if (w < 0 && errno != EINTR)
			break;
	}
	kill(-1, SIGKILL);
	return status;
}
