// SPDX-License-Identifier: Apache-2.0
/* Control protocol messages: encode, and decode + validate (famfs_ctl.h). */
#include <string.h>
#include <sys/stat.h>

#include "famfs_ctl.h"
#include "famfs_endian.h"

static void copy_str(__u8 *dst, const char *src, size_t cap)
{
	size_t n = strnlen(src, cap - 1);

	memcpy(dst, src, n);
	dst[n] = 0;
}

void famfs_ctl_req_encode(const struct famfs_ctl_req *r,
			  struct famfs_ctl_dreq *d)
{
	famfs_check_ctl_layout();
	memset(d, 0, sizeof(*d));
	d->magic = le32_put(FAMFS_CTL_MAGIC);
	d->op = le32_put(r->op);
	d->flags = le32_put(r->flags);
	d->mode = le32_put(r->mode);
	d->uid = le32_put(r->uid);
	d->gid = le32_put(r->gid);
	d->nstrips = le32_put(r->nstrips);
	d->size = le64_put(r->size);
	d->chunk = le64_put(r->chunk);
	copy_str(d->path, r->path, sizeof(d->path));
	copy_str(d->src, r->src, sizeof(d->src));
}

/* A long request: the header as above, then the extension. */
void famfs_ctl_req_encode_long(const struct famfs_ctl_req *r,
			       struct famfs_ctl_dreq_long *d)
{
	struct famfs_ctl_dext *x = &d->ext;
	uint32_t n = r->data_len < FAMFS_CTL_DATA_MAX ? r->data_len :
		     FAMFS_CTL_DATA_MAX;

	famfs_ctl_req_encode(r, &d->base);
	memset(x, 0, sizeof(*x));
	x->rdev_major = le32_put(r->rdev_major);
	x->rdev_minor = le32_put(r->rdev_minor);
	x->mtime_sec = le64_put((uint64_t)r->mtime.sec);
	x->mtime_nsec = le32_put(r->mtime.nsec);
	x->ctime_sec = le64_put((uint64_t)r->ctime.sec);
	x->ctime_nsec = le32_put(r->ctime.nsec);
	x->valid = le32_put(r->valid);
	x->xflags = le32_put(r->xflags);
	x->data_len = le32_put(n);
	memcpy(x->data, r->data, n);
}

static int get_str(char *dst, const __u8 *src, size_t cap)
{
	const __u8 *nul = memchr(src, 0, cap);

	if (!nul)
		return -EINVAL;
	memcpy(dst, src, (size_t)(nul - src) + 1);
	return 0;
}

static int bad_ext(struct famfs_why *why, const char *what)
{
	famfs_why_set(why, "bad control request: %s", what);
	return -EINVAL;
}

/* Is @mode (S_IFMT included) a type MKNODE makes, with no stray bits? */
static int node_mode_ok(uint32_t mode)
{
	uint32_t fmt = mode & S_IFMT;

	if (mode & ~(uint32_t)(S_IFMT | 07777))
		return 0;
	return fmt == S_IFREG || fmt == S_IFDIR || fmt == S_IFLNK ||
	       fmt == S_IFIFO || fmt == S_IFSOCK || fmt == S_IFCHR ||
	       fmt == S_IFBLK;
}

/* What the op of a long request says about its fields (also ctl_batch.c). */
int famfs_ctl_check_long(const struct famfs_ctl_req *r, struct famfs_why *why)
{
	uint32_t fmt = r->mode & S_IFMT;

	if (r->mtime.nsec >= 1000000000u || r->ctime.nsec >= 1000000000u)
		return bad_ext(why, "nanoseconds of 10^9 or more");
	if ((r->valid && r->op != FAMFS_CTL_SETATTR) ||
	    (r->xflags && r->op != FAMFS_CTL_SETXATTR) ||
	    ((r->rdev_major || r->rdev_minor) &&
	     (r->op != FAMFS_CTL_MKNODE || (fmt != S_IFCHR && fmt != S_IFBLK))))
		return bad_ext(why, "a field this operation does not use is set");
	switch (r->op) {
	case FAMFS_CTL_MKNODE:
		if (!node_mode_ok(r->mode))
			return bad_ext(why, "mode is not a file type and permission bits");
		if (fmt == S_IFLNK && (!r->data_len || r->data_len > FAMFS_SYMLINK_MAX ||
				       memchr(r->data, 0, r->data_len)))
			return bad_ext(why, "symbolic link target is empty, too long or has a NUL");
		if (fmt != S_IFLNK && r->data_len)
			return bad_ext(why, "data given for a node that is not a symbolic link");
		if (fmt != S_IFREG && (r->size || r->nstrips))
			return bad_ext(why, "size or layout given for a node that is not a file");
		return 0;
	case FAMFS_CTL_LINK:
		if (!r->src[0] || r->data_len)
			return bad_ext(why, "a link needs the existing name, and no data");
		break;
	case FAMFS_CTL_SETXATTR:
		if (!r->src[0] || (r->xflags & ~FAMFS_CTL_X_ALL) ||
		    (r->xflags & FAMFS_CTL_X_CREATE && r->xflags & FAMFS_CTL_X_REPLACE) ||
		    (r->xflags & FAMFS_CTL_X_REMOVE && r->data_len))
			return bad_ext(why, "an attribute needs a name, and one of set, create, replace or remove");
		break;
	case FAMFS_CTL_SETATTR:
		if (!r->valid || (r->valid & ~FAMFS_CTL_A_ALL) || r->data_len)
			return bad_ext(why, "no known attribute to change, or data given");
		break;
	}
	if (r->size || r->nstrips || r->chunk ||
	    (r->op != FAMFS_CTL_SETATTR && r->mode))
		return bad_ext(why, "a field this operation does not use is set");
	return 0;
}

/* The extension of a long request @d into @r. */
static int decode_ext(const struct famfs_ctl_dext *x, struct famfs_ctl_req *r,
		      struct famfs_why *why)
{
	r->rdev_major = le32_get(x->rdev_major);
	r->rdev_minor = le32_get(x->rdev_minor);
	r->mtime.sec = (int64_t)le64_get(x->mtime_sec);
	r->mtime.nsec = le32_get(x->mtime_nsec);
	r->ctime.sec = (int64_t)le64_get(x->ctime_sec);
	r->ctime.nsec = le32_get(x->ctime_nsec);
	r->valid = le32_get(x->valid);
	r->xflags = le32_get(x->xflags);
	r->data_len = le32_get(x->data_len);
	if (x->reserved || r->data_len > FAMFS_CTL_DATA_MAX)
		return bad_ext(why, "reserved field set or data longer than its area");
	memcpy(r->data, x->data, r->data_len);
	r->data[r->data_len] = 0;
	return famfs_ctl_check_long(r, why);
}

int famfs_ctl_req_decode(const void *buf, size_t len,
			 struct famfs_ctl_req *r, struct famfs_why *why)
{
	const struct famfs_ctl_dreq *d = buf;
	uint32_t op;
	int islong;

	if ((len != sizeof(*d) && len != sizeof(struct famfs_ctl_dreq_long)) ||
	    le32_get(d->magic) != FAMFS_CTL_MAGIC) {
		famfs_why_set(why, "not a famfs control request");
		return -EINVAL;
	}
	op = le32_get(d->op);
	islong = len != sizeof(*d);
	if (op && op <= FAMFS_CTL_MAXOP && famfs_ctl_op_long(op) != islong) {
		famfs_why_set(why, "control request of the wrong length for operation %u",
			      op);
		return -EINVAL;
	}
	memset(r, 0, offsetof(struct famfs_ctl_req, data) + 1);
	r->op = op;
	r->flags = le32_get(d->flags);
	r->mode = le32_get(d->mode);
	r->uid = le32_get(d->uid);
	r->gid = le32_get(d->gid);
	r->nstrips = le32_get(d->nstrips);
	r->size = le64_get(d->size);
	r->chunk = le64_get(d->chunk);
	if (r->op == 0 || r->op > FAMFS_CTL_MAXOP || d->reserved ||
	    r->op == FAMFS_CTL_BATCH ||
	    (r->flags & ~FAMFS_CTL_F_ALL) ||
	    (r->op != FAMFS_CTL_MKNODE && (r->mode & ~07777u))) {
		famfs_why_set(why, "unknown control operation, flags or mode");
		return -EINVAL;
	}
	if (get_str(r->path, d->path, sizeof(d->path)) ||
	    get_str(r->src, d->src, sizeof(d->src))) {
		famfs_why_set(why, "path is not NUL-terminated");
		return -EINVAL;
	}
	if (islong)
		return decode_ext(&((const struct famfs_ctl_dreq_long *)buf)->ext,
				  r, why);
	return 0;
}

void famfs_ctl_rep_encode(const struct famfs_ctl_rep *r,
			  struct famfs_ctl_drep *d)
{
	memset(d, 0, offsetof(struct famfs_ctl_drep, msg));
	d->magic = le32_put(FAMFS_CTL_MAGIC);
	d->err = le32_put((uint32_t)r->err);
	d->ino = le64_put(r->ino);
	d->count = le64_put(r->count);
	copy_str((__u8 *)d->msg, r->msg, sizeof(d->msg));
}

int famfs_ctl_rep_decode(const void *buf, size_t len,
			 struct famfs_ctl_rep *r, struct famfs_why *why)
{
	const struct famfs_ctl_drep *d = buf;

	if (len != sizeof(*d) || le32_get(d->magic) != FAMFS_CTL_MAGIC ||
	    !memchr(d->msg, 0, sizeof(d->msg))) {
		famfs_why_set(why, "not a famfs control reply");
		return -EBADMSG;
	}
	r->err = (int)le32_get(d->err);
	r->ino = le64_get(d->ino);
	r->count = le64_get(d->count);
	memcpy(r->msg, d->msg, strlen(d->msg) + 1);
	return 0;
}
