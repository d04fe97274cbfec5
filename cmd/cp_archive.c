// SPDX-License-Identifier: Apache-2.0
/*
 * famfs cp -a: archive copies.  Each source name becomes one control
 * request: MKNODE of its type with its mode, owner, group and mtime (the
 * ctime is the server's clock: the time of the copy, as with cp -a), or
 * LINK when it is another name of a source inode copied already; then one
 * SETXATTR per extended attribute.  The data of regular files is queued
 * for the fan-out of dataio.c, as plain cp does, and their extended
 * attributes are set once it is written: a write through the mount drops
 * security.capability (the kernel's file_remove_privs), and an attribute
 * in the log says the data before it was written.
 *
 * Every request carries FAMFS_CTL_F_EXIST_OK: a node a previous run made
 * is reused (its attributes brought back to the source's), and what is
 * already so is not logged again, so an interrupted copy is finished by
 * running it again.  A request refused for lack of room (device or log
 * full), or by a filesystem that refuses every change, stops the copy.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "cmd.h"
#include "cp.h"
#include "famfs_ctl.h"

#define FAMFS_CPA_SERVER_XATTR	"user.famfs.identity"

/* Sources with several names: (st_dev, st_ino) -> first name copied. */
struct cpa_link {
	dev_t dev;
	ino_t ino;
	char *rel;			/* NULL: free slot */
};

struct cpa_links {
	struct cpa_link *tab;
	size_t cap, used;		/* cap: a power of two */
};

static struct cpa_link *link_slot(const struct cpa_links *l, dev_t dev,
				  ino_t ino)
{
	uint64_t h = (uint64_t)ino * 0x9e3779b97f4a7c15ull ^ (uint64_t)dev;
	size_t i = (size_t)(h ^ (h >> 29)) & (l->cap - 1);

	while (l->tab[i].rel && (l->tab[i].dev != dev || l->tab[i].ino != ino))
		i = (i + 1) & (l->cap - 1);
	return &l->tab[i];
}

static int links_grow(struct cpa_links *l)
{
	struct cpa_links n = { .cap = l->cap ? 2 * l->cap : 256, .used = l->used };

	n.tab = calloc(n.cap, sizeof(*n.tab));
	if (!n.tab)
		return -ENOMEM;
	for (size_t i = 0; i < l->cap; i++)
		if (l->tab[i].rel)
			*link_slot(&n, l->tab[i].dev, l->tab[i].ino) = l->tab[i];
	free(l->tab);
	*l = n;
	return 0;
}

static const char *link_find(const struct cp_ctx *cp, const struct stat *st)
{
	if (!cp->links || !cp->links->cap)
		return NULL;
	return link_slot(cp->links, st->st_dev, st->st_ino)->rel;
}

/* Remember @rel as the first name of @st's inode (best effort). */
static void link_add(struct cp_ctx *cp, const struct stat *st, const char *rel)
{
	struct cpa_link *s;

	if (!cp->links)
		cp->links = calloc(1, sizeof(*cp->links));
	if (!cp->links ||
	    ((cp->links->used + 1) * 2 > cp->links->cap && links_grow(cp->links)))
		return;
	s = link_slot(cp->links, st->st_dev, st->st_ino);
	s->rel = strdup(rel);
	if (!s->rel)
		return;
	s->dev = st->st_dev;
	s->ino = st->st_ino;
	cp->links->used++;
}

void famfs_cpa_free(struct cp_ctx *cp)
{
	free(cp->q);
	cp->q = NULL;
	if (!cp->links)
		return;
	for (size_t i = 0; i < cp->links->cap; i++)
		free(cp->links->tab[i].rel);
	free(cp->links->tab);
	free(cp->links);
	cp->links = NULL;
}

/*
 * Queue @q made for @src (@kind, @size bytes of data for a file); its
 * outcome is reported by cp_done (cp.c) when its batch is sent.
 */
static int call(struct cp_ctx *cp, const char *src, struct famfs_ctl_req *q,
		int kind, uint64_t size)
{
	char *dst = famfs_path_join(famfs_make_mnt(cp->c), q->path);
	int rc;

	if (!dst) {
		famfs_cp_err(cp, src, "out of memory");
		return -ENOMEM;
	}
	rc = famfs_cp_queue(cp, q, src, dst, size, kind);
	free(dst);
	return rc;
}

static void req_init(struct famfs_ctl_req *q, uint32_t op, const char *rel)
{
	memset(q, 0, sizeof(*q));
	q->op = op;
	q->flags = FAMFS_CTL_F_EXIST_OK;
	memcpy(q->path, rel, strlen(rel) + 1);
}

/* A symbolic link's target into q->data; 0 or -errno (reported). */
static int read_target(struct cp_ctx *cp, const char *src,
		       struct famfs_ctl_req *q)
{
	ssize_t n = readlink(src, (char *)q->data, FAMFS_SYMLINK_MAX + 1);

	if (n < 0) {
		famfs_cp_err(cp, src, strerror(errno));
		return -errno;
	}
	if (n > (ssize_t)FAMFS_SYMLINK_MAX || !n) {
		famfs_cp_err(cp, src, n ? "symbolic link target longer than 4095 bytes" :
			     "symbolic link with an empty target");
		return n ? -ENAMETOOLONG : -EINVAL;
	}
	q->data_len = (uint32_t)n;
	q->data[n] = 0;
	return 0;
}

/*
 * MKNODE @rel as a copy of @src (@st); a regular file's data is queued
 * once it is made, its extended attributes set after it (*@queued).
 */
static int make_inode(struct cp_ctx *cp, const char *src, const char *rel,
		      const struct stat *st, struct famfs_ctl_req *q,
		      int *queued)
{
	uint64_t size = S_ISREG(st->st_mode) ? (uint64_t)st->st_size : 0;
	int rc = 0;

	req_init(q, FAMFS_CTL_MKNODE, rel);
	q->mode = (uint32_t)st->st_mode & (S_IFMT | 07777);
	if (S_ISREG(st->st_mode) && cp->o.mode)
		q->mode = S_IFREG | cp->o.mode;
	q->uid = cp->uid_set ? cp->o.uid : (uint32_t)st->st_uid;
	q->gid = cp->gid_set ? cp->o.gid : (uint32_t)st->st_gid;
	q->mtime.sec = st->st_mtim.tv_sec;
	q->mtime.nsec = (uint32_t)st->st_mtim.tv_nsec;
	q->size = size;
	if (size && cp->o.nstrips) {
		q->nstrips = cp->o.nstrips;
		q->chunk = cp->o.chunk;
	}
	if (S_ISCHR(st->st_mode) || S_ISBLK(st->st_mode)) {
		q->rdev_major = major(st->st_rdev);
		q->rdev_minor = minor(st->st_rdev);
	}
	if (S_ISLNK(st->st_mode))
		rc = read_target(cp, src, q);
	if (!rc)
		rc = call(cp, src, q, size ? CPB_AFILE : CPB_NODE, size);
	*queued = !rc && size;
	return rc;
}

/* One extended attribute @name of @src onto @rel. */
static int copy_xattr(struct cp_ctx *cp, const char *src, const char *rel,
		      const char *name, struct famfs_ctl_req *q)
{
	char msg[FAMFS_XATTR_NAME_MAX + 128];
	ssize_t n;

	req_init(q, FAMFS_CTL_SETXATTR, rel);
	if (strlen(name) > FAMFS_XATTR_NAME_MAX) {
		famfs_cp_err(cp, src, "an extended attribute name is longer than 255 bytes");
		return -ERANGE;
	}
	memcpy(q->src, name, strlen(name) + 1);
	n = lgetxattr(src, name, q->data, FAMFS_CTL_DATA_MAX);
	if (n < 0) {
		snprintf(msg, sizeof(msg), "extended attribute %s: %s", name,
			 errno == ERANGE ? "value larger than 8192 bytes" :
			 strerror(errno));
		famfs_cp_err(cp, src, msg);
		return errno == ERANGE ? -E2BIG : -errno;
	}
	q->data_len = (uint32_t)n;
	return call(cp, src, q, CPB_XATTR, 0);
}

/* Every extended attribute of @src (not followed) onto @rel. */
static int copy_xattrs(struct cp_ctx *cp, const char *src, const char *rel,
		       struct famfs_ctl_req *q)
{
	ssize_t len = llistxattr(src, NULL, 0);
	char *names = NULL;
	int rc = 0;

	while (len > 0) {
		free(names);
		names = malloc((size_t)len);
		if (!names) {
			len = -1;
			errno = ENOMEM;
			break;
		}
		len = llistxattr(src, names, (size_t)len);
		if (len >= 0 || errno != ERANGE)
			break;
		len = llistxattr(src, NULL, 0);	/* grew meanwhile */
	}
	if (len < 0 && errno != ENOTSUP) {
		famfs_cp_err(cp, src, strerror(errno));
		rc = -errno;
	}
	for (ssize_t i = 0; i < len && !cp->stop; i += (ssize_t)strlen(names + i) + 1) {
		int r = 0;

		/* what a famfs server shows of itself, not a stored attribute */
		if (strcmp(names + i, FAMFS_CPA_SERVER_XATTR))
			r = copy_xattr(cp, src, rel, names + i, q);
		rc = rc ? rc : r;
	}
	free(names);
	return rc;
}

/* The extended attributes of the files whose data is now written. */
void famfs_cpa_after_data(struct cp_ctx *cp)
{
	size_t skip = strlen(famfs_make_mnt(cp->c)) + 1;

	for (size_t i = 0; i < cp->n && !cp->stop; i++) {
		const struct famfs_dataio_file *f = &cp->f[i];

		if (f->tag && !f->rc && cp->q && strlen(f->path) > skip)
			copy_xattrs(cp, f->src, f->path + skip, cp->q);
	}
}

/*
 * Copy the node @src (@st, not followed) to @rel: every type, its
 * attributes and extended attributes; a second name of an inode already
 * copied becomes a hard link.  0 or -errno (reported).
 */
/* The request buffer, allocated once; NULL (reported) without memory. */
static struct famfs_ctl_req *req_buf(struct cp_ctx *cp, const char *src)
{
	if (!cp->q)
		cp->q = malloc(sizeof(*cp->q));
	if (!cp->q)
		famfs_cp_err(cp, src, "out of memory");
	return cp->q;
}

/*
 * cp -r (not -a): a symbolic link inside a tree is copied as a link with
 * the same target, never followed, as cp -r does: owned by the caller (or
 * -u/-g), with the time of the copy.  0 or -errno (reported).
 */
int famfs_cp_symlink(struct cp_ctx *cp, const char *src, const char *rel,
		     const struct stat *st)
{
	struct famfs_ctl_req *q = req_buf(cp, src);
	struct stat ls = *st;
	int queued = 0;

	if (!q)
		return -ENOMEM;
	ls.st_uid = cp->o.uid;
	ls.st_gid = cp->o.gid;
	clock_gettime(CLOCK_REALTIME, &ls.st_mtim);
	return make_inode(cp, src, rel, &ls, q, &queued);
}

int famfs_cpa_node(struct cp_ctx *cp, const char *src, const char *rel,
		   const struct stat *st)
{
	int multi = !S_ISDIR(st->st_mode) && st->st_nlink > 1;
	const char *first = multi ? link_find(cp, st) : NULL;
	struct famfs_ctl_req *q;
	int rc, queued = 0;

	if (cp->stop)
		return -ECANCELED;
	if (!*rel)			/* the root of the filesystem */
		return 0;
	if (strlen(rel) > FAMFS_PATH_MAX) {
		famfs_cp_err(cp, src, "its path in famfs would be longer than 1023 bytes");
		return -ENAMETOOLONG;
	}
	q = req_buf(cp, src);
	if (!q)
		return -ENOMEM;
	if (first) {
		req_init(q, FAMFS_CTL_LINK, rel);
		memcpy(q->src, first, strlen(first) + 1);
		rc = call(cp, src, q, CPB_NODE, 0);
	} else {
		rc = make_inode(cp, src, rel, st, q, &queued);
		if (!rc && multi)
			link_add(cp, st, rel);
		if (!rc && !queued)
			rc = copy_xattrs(cp, src, rel, q);
	}
	return rc;
}
