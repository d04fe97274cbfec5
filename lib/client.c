// SPDX-License-Identifier: Apache-2.0
/*
 * Finding the famfs mount a path lives in, and talking to its server
 * through MNT/.meta/.ctl.  A path belongs to a mount when the mount point
 * is a whole-component prefix of its resolved form: /mnt/famfs2 is not in
 * /mnt/famfs.
 */
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "famfs_client.h"

/* Resolve @path, which may not exist yet (its parent must). */
static int resolve_path(const char *path, char *out, size_t len,
			struct famfs_why *why)
{
	char tmp[PATH_MAX], dir[PATH_MAX], *base;
	size_t n;

	if (realpath(path, out))
		return 0;
	if (errno != ENOENT || strlen(path) >= sizeof(tmp)) {
		famfs_why_set(why, "%s: %s", path, strerror(errno));
		return -errno;
	}
	memcpy(tmp, path, strlen(path) + 1);
	base = basename(tmp);
	memcpy(dir, path, strlen(path) + 1);
	if (!realpath(dirname(dir), out)) {
		famfs_why_set(why, "%s: %s", path, strerror(errno));
		return -errno;
	}
	if (!strcmp(base, ".") || !strcmp(base, "..") || !strcmp(base, "/")) {
		famfs_why_set(why, "%s: not a file name", path);
		return -EINVAL;
	}
	n = strlen(out);
	if (n + 1 + strlen(base) >= len) {
		famfs_why_set(why, "%s: path too long", path);
		return -ENAMETOOLONG;
	}
	snprintf(out + n, len - n, "%s%s", strcmp(out, "/") ? "/" : "", base);
	return 0;
}

/* Longest famfs mount point that is a whole-component prefix of @real. */
static int find_mount(const char *real, char *mnt, size_t mntlen)
{
	char *line = NULL, *f[12], *save;
	size_t cap = 0, best = 0;
	FILE *fp = fopen("/proc/self/mountinfo", "re");

	if (!fp)
		return -errno;
	while (getline(&line, &cap, fp) > 0) {
		int n = 0, sep;
		size_t l;

		save = NULL;
		for (char *t = strtok_r(line, " \n", &save); t && n < 12;
		     t = strtok_r(NULL, " \n", &save))
			f[n++] = t;
		for (sep = 6; sep < n && strcmp(f[sep], "-"); sep++)
			;
		if (sep + 1 >= n || strcmp(f[sep + 1], "fuse.famfs"))
			continue;
		l = strlen(f[4]);
		if (l > best && l < mntlen && !strncmp(real, f[4], l) &&
		    (real[l] == '/' || real[l] == 0 || l == 1)) {
			memcpy(mnt, f[4], l + 1);
			best = l;
		}
	}
	free(line);
	fclose(fp);
	return best ? 0 : -ENOENT;
}

/*
 * The famfs mount @path is in (@mnt) and the path relative to its root
 * (@rel, "" for the root itself).  -ENOTTY if @path is not in famfs.
 */
int famfs_client_resolve(const char *path, char *mnt, size_t mntlen,
			 char *rel, size_t rellen, struct famfs_why *why)
{
	char real[PATH_MAX];
	const char *r;
	int rc = resolve_path(path, real, sizeof(real), why);

	if (rc)
		return rc;
	if (find_mount(real, mnt, mntlen)) {
		famfs_why_set(why, "%s is not in a famfs filesystem", path);
		return -ENOTTY;
	}
	r = real + strlen(mnt);
	while (*r == '/')
		r++;
	if (strlen(r) >= rellen) {
		famfs_why_set(why, "%s: path too long", path);
		return -ENAMETOOLONG;
	}
	memcpy(rel, r, strlen(r) + 1);
	return 0;
}

int famfs_client_open(struct famfs_client *c, const char *mnt,
		      struct famfs_why *why)
{
	char path[PATH_MAX + 16];

	snprintf(c->mnt, sizeof(c->mnt), "%s", mnt);
	snprintf(path, sizeof(path), "%s/%s/%s", mnt, FAMFS_META_DIR_NAME,
		 FAMFS_CTL_NAME);
	c->fd = open(path, O_RDWR | O_CLOEXEC);
	c->ioctl = c->fd < 0 && errno == EROFS;	/* a read-only mount */
	if (c->ioctl)
		c->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (c->fd < 0) {
		famfs_why_set(why, "cannot open the control file %s: %s", path,
			      strerror(errno));
		return -errno;
	}
	return 0;
}

/* One request and its reply; the reply's err is the operation's result. */
int famfs_client_call(struct famfs_client *c, const struct famfs_ctl_req *q,
		      struct famfs_ctl_rep *r, struct famfs_why *why)
{
	struct famfs_ctl_dreq dq;
	struct famfs_ctl_drep *dr = malloc(sizeof(*dr));
	ssize_t n;
	int rc;

	if (!dr)
		return -ENOMEM;
	famfs_ctl_req_encode(q, &dq);
	if (c->ioctl) {
		memcpy(dr, &dq, sizeof(dq));
		memset((char *)dr + sizeof(dq), 0, sizeof(*dr) - sizeof(dq));
		n = ioctl(c->fd, FAMFS_CTL_IOC, dr) ? -1 : (ssize_t)sizeof(*dr);
	} else {
		n = pwrite(c->fd, &dq, sizeof(dq), 0);
		if (n == (ssize_t)sizeof(dq))
			n = pread(c->fd, dr, sizeof(*dr), 0);
		else if (n >= 0)
			errno = EIO;
	}
	if (n != (ssize_t)sizeof(*dr)) {
		famfs_why_set(why, "control request to %s failed: %s", c->mnt,
			      n < 0 ? strerror(errno) : "short reply");
		free(dr);
		return n < 0 ? -errno : -EIO;
	}
	rc = famfs_ctl_rep_decode(dr, sizeof(*dr), r, why);
	free(dr);
	if (!rc && r->err) {
		famfs_why_set(why, "%s", r->msg);
		rc = -r->err;
	}
	return rc;
}

void famfs_client_close(struct famfs_client *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
}
