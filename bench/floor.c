/* floor: the syscall floor of a process list.
 *
 * For every numeric entry of /proc it does what any `ps` with a user, state,
 * RSS, command line and container key must do, and nothing more:
 *
 *   fstatat(/proc/PID)          -> effective uid (owner of the directory)
 *   open+read /proc/PID/stat    -> state, rss
 *   open+read /proc/PID/cmdline -> command line
 *   fstatat(/proc/PID/ns/mnt)   -> mount-namespace inode (the container key)
 *
 * and writes "pid uid state rss_kb cmdline" per process to stdout.
 * All paths are resolved with the *at() calls relative to one /proc dirfd;
 * output goes through one 64 KiB buffer. No user-name lookup, no sorting.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char obuf[1 << 16];
static size_t olen;

static void oflush(void)
{
	size_t off = 0;
	while (off < olen) {
		ssize_t w = write(1, obuf + off, olen - off);
		if (w <= 0)
			exit(1);
		off += (size_t)w;
	}
	olen = 0;
}

static void oput(const char *s, size_t n)
{
	if (olen + n > sizeof obuf)
		oflush();
	if (n > sizeof obuf) {
		/* cannot happen with the buffers below; keep it safe anyway */
		n = sizeof obuf;
	}
	memcpy(obuf + olen, s, n);
	olen += n;
}

/* Read once into buf (size cap); returns bytes read or -1. */
static ssize_t slurp(int dirfd, const char *path, char *buf, size_t cap)
{
	int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, buf, cap);
	close(fd);
	return n;
}

int main(void)
{
	DIR *d = opendir("/proc");
	if (!d) {
		perror("floor: /proc");
		return 1;
	}
	int pfd = dirfd(d);
	long kb_per_page = sysconf(_SC_PAGESIZE) / 1024;

	struct dirent *de;
	char path[sizeof de->d_name + 16], stat_buf[1024], cmd_buf[4096], line[4096 + 128];
	struct stat st, nst;

	while ((de = readdir(d)) != NULL) {
		const char *name = de->d_name;
		if (name[0] < '1' || name[0] > '9')
			continue;

		if (fstatat(pfd, name, &st, 0) < 0)
			continue; /* gone */

		snprintf(path, sizeof path, "%s/stat", name);
		ssize_t n = slurp(pfd, path, stat_buf, sizeof stat_buf - 1);
		if (n <= 0)
			continue;
		stat_buf[n] = '\0';
		/* "pid (comm) S ppid ... rss(24) ..." ; comm may contain ')' */
		char *rp = strrchr(stat_buf, ')');
		if (!rp || rp[1] != ' ')
			continue;
		char state = rp[2];
		char *comm = strchr(stat_buf, '(');
		size_t comm_len = comm ? (size_t)(rp - comm - 1) : 0;
		/* field 3 is state; rss is field 24: skip 21 more separators */
		char *p = rp + 2;
		for (int f = 3; f < 24 && p; f++) {
			p = strchr(p, ' ');
			if (p)
				p++;
		}
		long rss = p ? strtol(p, NULL, 10) * kb_per_page : 0;

		snprintf(path, sizeof path, "%s/cmdline", name);
		n = slurp(pfd, path, cmd_buf, sizeof cmd_buf);
		if (n < 0)
			n = 0;
		while (n > 0 && cmd_buf[n - 1] == '\0')
			n--;
		for (ssize_t i = 0; i < n; i++)
			if (cmd_buf[i] == '\0')
				cmd_buf[i] = ' ';

		snprintf(path, sizeof path, "%s/ns/mnt", name);
		if (fstatat(pfd, path, &nst, 0) < 0)
			nst.st_ino = 0; /* kernel thread, or no permission */

		int len;
		if (n > 0)
			len = snprintf(line, sizeof line, "%s %u %c %ld %.*s\n", name,
				       (unsigned)st.st_uid, state, rss, (int)n, cmd_buf);
		else
			len = snprintf(line, sizeof line, "%s %u %c %ld [%.*s]\n", name,
				       (unsigned)st.st_uid, state, rss, (int)comm_len,
				       comm ? comm + 1 : "");
		if (len > (int)sizeof line - 1)
			len = (int)sizeof line - 1;
		oput(line, (size_t)len);
	}
	oflush();
	closedir(d);
	return 0;
}
