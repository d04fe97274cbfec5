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
	if (famfs_mountinfo_find(FAMFS_MOUNTINFO, real, "fuse.famfs", mnt,
				 mntlen)) {
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

	c->io = NULL;
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

/* A failed or short transfer (@n bytes): -errno and why. */
static int xfer_failed(const struct famfs_client *c, ssize_t n,
		       const char *what, struct famfs_why *why)
{
	int rc = n < 0 ? -errno : -EIO;

	famfs_why_set(why, "control request to %s failed: %s", c->mnt,
		      n < 0 ? strerror(-rc) : what);
	return rc;
}

/*
 * Send @q, encoded as its op wants, and read the reply into @dr: the
 * reply's length, or -errno (with why) when the exchange failed.
 */
static ssize_t exchange(struct famfs_client *c, const struct famfs_ctl_req *q,
			struct famfs_ctl_dreq_long *dq, struct famfs_ctl_drep *dr,
			struct famfs_why *why)
{
	size_t len = famfs_ctl_op_long(q->op) ? sizeof(*dq) : sizeof(dq->base);
	ssize_t n;

	if (len == sizeof(*dq))
		famfs_ctl_req_encode_long(q, dq);
	else
		famfs_ctl_req_encode(q, &dq->base);
	if (c->ioctl && len != sizeof(dq->base)) {
		/* an ioctl carries a short request only; long ones create */
		famfs_why_set(why, "%s is mounted read-only: only a read-write master mount can create",
			      c->mnt);
		return -EROFS;
	}
	if (c->ioctl) {
		memcpy(dr, &dq->base, len);
		memset((char *)dr + len, 0, sizeof(*dr) - len);
		n = ioctl(c->fd, FAMFS_CTL_IOC, dr) ? -1 : (ssize_t)sizeof(*dr);
	} else {
		n = pwrite(c->fd, dq, len, 0);
		if (n == (ssize_t)len)
			n = pread(c->fd, dr, sizeof(*dr), 0);
		else
			n = xfer_failed(c, n, "short request", why);
	}
	return n == -1 ? xfer_failed(c, n, "", why) : n;
}

/* One request and its reply; the reply's err is the operation's result. */
int famfs_client_call(struct famfs_client *c, const struct famfs_ctl_req *q,
		      struct famfs_ctl_rep *r, struct famfs_why *why)
{
	struct famfs_ctl_dreq_long *dq;
	struct famfs_ctl_drep *dr;
	ssize_t n;
	int rc;

	/* one buffer for the life of @c: a tree copy makes many requests */
	if (!c->io)
		c->io = malloc(sizeof(*dq) + sizeof(*dr));
	if (!c->io)
		return -ENOMEM;
	dq = c->io;
	dr = (struct famfs_ctl_drep *)(dq + 1);
	n = exchange(c, q, dq, dr, why);
	if (n < 0)
		rc = (int)n;
	else if (n != (ssize_t)sizeof(*dr))
		rc = xfer_failed(c, n, "short reply", why);
	else
		rc = famfs_ctl_rep_decode(dr, sizeof(*dr), r, why);
	if (!rc && r->err) {
		famfs_why_set(why, "%s", r->msg);
		rc = -r->err;
	}
	return rc;
}

/*
 * A read-only mount takes no batch: its first record goes alone, by
 * ioctl, and its refusal (a client host, a read-only mount) is the
 * batch's.
 */
static int batch_by_ioctl(struct famfs_client *c, const void *buf,
			  struct famfs_ctl_rep *r, struct famfs_why *why)
{
	struct famfs_ctl_req *q = malloc(sizeof(*q));
	size_t off = sizeof(struct famfs_ctl_dbatch);
	int rc = q ? famfs_ctl_batch_next(buf, famfs_ctl_batch_len(buf), &off,
					  q, why) : -ENOMEM;

	if (!rc)
		rc = famfs_client_call(c, q, r, why);
	free(q);
	if (rc == -ENOMEM || rc == -EINVAL)
		return rc;
	r->err = rc < 0 ? -rc : 0;
	r->count = !rc;
	snprintf(r->msg, sizeof(r->msg), "%s%s", rc ? " " : "1",
		 rc ? why->msg : "");
	return 0;
}

/*
 * Send the batch at @buf (famfs_ctl_batch_add) and decode the reply into
 * @r: 0 when the exchange worked, whatever r->err says of the records.
 */
int famfs_client_batch(struct famfs_client *c, const void *buf,
		       struct famfs_ctl_rep *r, struct famfs_why *why)
{
	size_t len = famfs_ctl_batch_len(buf);
	struct famfs_ctl_drep *dr;
	ssize_t n;

	if (c->ioctl)
		return batch_by_ioctl(c, buf, r, why);
	if (!c->io)
		c->io = malloc(sizeof(struct famfs_ctl_dreq_long) + sizeof(*dr));
	if (!c->io)
		return -ENOMEM;
	dr = (struct famfs_ctl_drep *)((struct famfs_ctl_dreq_long *)c->io + 1);
	n = pwrite(c->fd, buf, len, 0);
	if (n != (ssize_t)len)
		return xfer_failed(c, n, "short request", why);
	n = pread(c->fd, dr, sizeof(*dr), 0);
	if (n != (ssize_t)sizeof(*dr))
		return xfer_failed(c, n, "short reply", why);
	return famfs_ctl_rep_decode(dr, sizeof(*dr), r, why);
}

void famfs_client_close(struct famfs_client *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	free(c->io);
	c->io = NULL;
}

/* One request to the server of mount point @mnt; the reply in @r. */
int famfs_client_request(const char *mnt, const struct famfs_ctl_req *q,
			  struct famfs_ctl_rep *r, struct famfs_why *why)
{
	struct famfs_client c;
	int rc;

	rc = famfs_client_open(&c, mnt, why);
	if (rc) {
		if (rc == -EACCES)
			famfs_why_set(why, "only root may use the control file of %s",
				      mnt);
		return rc;
	}
	rc = famfs_client_call(&c, q, r, why);
	famfs_client_close(&c);
	return rc;
}
