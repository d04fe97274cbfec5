// SPDX-License-Identifier: Apache-2.0
/*
 * The mount registry: DIR/HOST-DEV-INO.lock, one file per (host identity,
 * device), flock()ed by the process that serves the mount and holding
 * "pid N at MOUNTPOINT".  The device is named by st_rdev for a device node,
 * by (st_dev, st_ino) for an image file.  The lock dies with its holder, so
 * a stale file never blocks a mount.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "famfs_registry.h"

void famfs_registry_init(struct famfs_registry *r)
{
	r->fd = -1;
	r->locked = 0;
	r->path[0] = 0;
}

/* Record which process serves the mount at @mnt (after a fork too). */
int famfs_registry_note(struct famfs_registry *r, const char *mnt)
{
	char line[PATH_MAX + 32];
	int n = snprintf(line, sizeof(line), "pid %d at %s\n", (int)getpid(),
			 mnt);

	if (r->fd < 0 || !r->locked)
		return -EBADF;
	if (n < 0 || n >= (int)sizeof(line))
		return -ENAMETOOLONG;
	if (ftruncate(r->fd, 0) || pwrite(r->fd, line, (size_t)n, 0) != n)
		return -EIO;
	return 0;
}

static int registry_path(struct famfs_registry *r, const char *dir,
			 const uint8_t host[16], const struct stat *st)
{
	char uuid[FAMFS_UUID_STR];
	int reg = S_ISREG(st->st_mode);
	dev_t id = reg ? st->st_dev : st->st_rdev;
	int n;

	famfs_uuid_str(host, uuid);
	n = snprintf(r->path, sizeof(r->path), "%s/%s-%lx-%lx.lock", dir,
		     uuid, (unsigned long)id,
		     (unsigned long)(reg ? st->st_ino : 0));
	return n < 0 || n >= (int)sizeof(r->path) ? -ENAMETOOLONG : 0;
}

/* The holder's line ("pid N at MNT"), for the refusal. */
static void read_holder(int fd, char *buf, size_t len)
{
	ssize_t n = pread(fd, buf, len - 1, 0);

	buf[n > 0 ? n : 0] = 0;
	buf[strcspn(buf, "\n")] = 0;
}

/*
 * Open and flock the registry file: 0, -EBUSY while a live process holds
 * it, or -errno.  A famfs server whose mount of @devpath is gone is waited
 * for (it is on its way out, FAMFS_SERVER_EXIT_MS at most); as it unlinks
 * the file when it leaves, a lock on an unlinked file is retaken on the
 * new one.
 */
static int registry_take(struct famfs_registry *r, const char *devpath,
			 struct famfs_why *why)
{
	struct stat a, b;

	for (int tries = 0; tries < 3; tries++) {
		r->fd = open(r->path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
		if (r->fd < 0) {
			famfs_why_set(why, "cannot create %s: %s", r->path,
				      strerror(errno));
			return -errno;
		}
		if (flock(r->fd, LOCK_EX | LOCK_NB)) {
			if (errno != EWOULDBLOCK) {
				famfs_why_set(why, "cannot lock %s: %s",
					      r->path, strerror(errno));
				return -errno;
			}
			if (famfs_lock_wait_server(r->fd, LOCK_EX, devpath,
						   FAMFS_SERVER_EXIT_MS))
				return -EBUSY;
		}
		if (!fstat(r->fd, &a) && !stat(r->path, &b) &&
		    a.st_ino == b.st_ino && a.st_dev == b.st_dev)
			return 0;
		close(r->fd);		/* unlinked by the server that left */
		r->fd = -1;
	}
	famfs_why_set(why, "%s keeps being replaced", r->path);
	return -EBUSY;
}

/*
 * Take the lock of (@host, device @dev, at @devpath) in @dir (created if
 * missing) and note @mnt in it.  -EBUSY when another process holds it (why
 * names it), else 0 or -errno.
 */
int famfs_registry_lock(struct famfs_registry *r, const char *dir,
			const uint8_t host[16], const struct stat *dev,
			const char *devpath, const char *mnt,
			struct famfs_why *why)
{
	char holder[PATH_MAX + 32];
	int rc = registry_path(r, dir, host, dev);

	if (rc) {
		famfs_why_set(why, "%s: registry path too long", dir);
		return rc;
	}
	if (mkdir(dir, 0755) && errno != EEXIST) {
		famfs_why_set(why, "cannot create %s: %s", dir, strerror(errno));
		return -errno;
	}
	rc = registry_take(r, devpath, why);
	if (rc == -EBUSY && r->fd >= 0) {
		read_holder(r->fd, holder, sizeof(holder));
		famfs_why_set(why, "already mounted by this host (server %s)",
			      holder);
	}
	if (rc)
		return rc;
	r->locked = 1;
	return famfs_registry_note(r, mnt);
}

/* Close the lock file; @remove: the mount is gone, delete it too. */
void famfs_registry_release(struct famfs_registry *r, int remove)
{
	if (r->locked && remove)
		unlink(r->path);
	if (r->fd >= 0)
		close(r->fd);
	famfs_registry_init(r);
}
