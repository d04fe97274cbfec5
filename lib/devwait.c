// SPDX-License-Identifier: Apache-2.0
/*
 * A famfs server outlives its mount by a moment: umount(8) returns when
 * the kernel has let go, and the server then notices, closes the device
 * and exits (about 0.4 s for a large namespace).  A command that finds
 * the device (or the mount registry) locked by such a server, one whose
 * mount is gone, waits for it, a bounded time.  Anything else holding the
 * lock (a live mount, a running mkfs or fsck) is not waited for.
 *
 * The holders of a lock come from /proc/locks; a famfs mount process is
 * one whose command line is "famfs [...] mount ...", "@famfs mount ..."
 * (the appliance) or "mount.famfs ..." / "mount.fuse.famfs ...", or a
 * famfs mount that has returned, leaving the lock to the server it forked.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "famfs.h"

#define HOLDERS_MAX	16
#define POLL_NS		10000000L	/* 10 ms between looks */

/* Up to @max pids that hold a lock on @st's inode; -errno. */
static int lock_holders(const struct stat *st, pid_t *pids, int max)
{
	unsigned int maj, min;
	unsigned long ino;
	char *line = NULL;
	size_t cap = 0;
	int n = 0, pid;
	FILE *f = fopen("/proc/locks", "re");

	if (!f)
		return -errno;
	while (getline(&line, &cap, f) > 0) {
		/* "1: FLOCK  ADVISORY  WRITE 1234 fd:01:5678 0 EOF" */
		if (strstr(line, "->") ||
		    sscanf(line, "%*d: %*s %*s %*s %d %x:%x:%lu", &pid, &maj,
			   &min, &ino) != 4)
			continue;
		if (makedev(maj, min) != st->st_dev || ino != st->st_ino)
			continue;
		if (n >= max) {
			n = -E2BIG;
			break;
		}
		pids[n++] = (pid_t)pid;
	}
	free(line);
	fclose(f);
	return n;
}

static const char *base_name(const char *s)
{
	const char *b = strrchr(s, '/');

	return b ? b + 1 : s;
}

/*
 * Is @pid a famfs mount (a server, or one about to be)?  A pid that is
 * gone is one too: /proc/locks names the process that took the lock, and
 * famfs mount takes it before it forks the server and returns.
 */
static int is_mount_process(pid_t pid)
{
	char path[64], buf[512];
	const char *a0;
	ssize_t len;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT;
	len = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (len <= 0)
		return 0;
	buf[len] = 0;
	a0 = base_name(buf);
	if (!strcmp(a0, "mount.famfs") || !strcmp(a0, "mount.fuse.famfs"))
		return 1;
	if (strcmp(a0, "famfs") && strcmp(a0, "@famfs"))
		return 0;
	for (const char *p = buf + strlen(buf) + 1; p < buf + len;
	     p += strlen(p) + 1)
		if (!strcmp(p, "mount"))
			return 1;
	return 0;
}

/*
 * 1 when the lock on @fd's file is held only by famfs mount processes and
 * device @dev is not mounted: a server on its way out.  0 otherwise.
 */
static int held_by_exiting_server(int fd, const char *dev)
{
	pid_t pids[HOLDERS_MAX];
	struct famfs_why why;
	struct stat st;
	int n;

	if (fstat(fd, &st) || famfs_dev_in_use(dev, &why) != 0)
		return 0;
	n = lock_holders(&st, pids, HOLDERS_MAX);
	if (n <= 0)
		return n == 0;		/* released meanwhile: try again */
	for (int i = 0; i < n; i++)
		if (pids[i] == getpid() || !is_mount_process(pids[i]))
			return 0;
	return 1;
}

/*
 * flock(@fd, @op | LOCK_NB) has just failed with EWOULDBLOCK.  Wait up to
 * @ms for the lock while its holder is an exiting server of device @dev.
 * 0 once locked, -EBUSY when the holder is anything else or stays.
 */
int famfs_lock_wait_server(int fd, int op, const char *dev, unsigned int ms)
{
	const struct timespec tick = { 0, POLL_NS };
	struct timespec t0, t;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		if (!held_by_exiting_server(fd, dev))
			return flock(fd, op | LOCK_NB) ? -EBUSY : 0;
		nanosleep(&tick, NULL);
		if (flock(fd, op | LOCK_NB) == 0)
			return 0;
		clock_gettime(CLOCK_MONOTONIC, &t);
		if ((t.tv_sec - t0.tv_sec) * 1000 +
		    (t.tv_nsec - t0.tv_nsec) / 1000000 >= (long)ms)
			return -EBUSY;
	}
}
