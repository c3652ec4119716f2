/* refresh_floor: the least work a process viewer's refresh needs.
 *
 *   refresh_floor DELAY_MS
 *
 * Every DELAY_MS it opens /proc, and for each numeric entry opens and reads
 * PID/stat once (relative to the /proc dirfd), then closes it. It runs until
 * killed. tui_bench.sh reads its CPU time from /proc, as it does for the
 * viewers, over the same number of refreshes.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static void refresh(void)
{
	char buf[4096], path[64];
	long sum = 0;
	DIR *d = opendir("/proc");
	if (!d)
		return;
	int dfd = dirfd(d);
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] < '1' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof path, "%s/stat", e->d_name);
		int fd = openat(dfd, path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		ssize_t n = read(fd, buf, sizeof buf);
		if (n > 0)
			sum += buf[0];
		close(fd);
	}
	closedir(d);
	if (sum == 42)
		fputc('\n', stderr); /* keep the reads from being optimised away */
}

int main(int argc, char **argv)
{
	long ms = argc > 1 ? atol(argv[1]) : 1000;
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	for (;;) {
		refresh();
		nanosleep(&ts, NULL);
	}
}
