// SPDX-License-Identifier: Apache-2.0
/* Control protocol messages: encode, and decode + validate (famfs_ctl.h). */
#include <string.h>

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

static int get_str(char *dst, const __u8 *src, size_t cap)
{
	const __u8 *nul = memchr(src, 0, cap);

	if (!nul)
		return -EINVAL;
	memcpy(dst, src, (size_t)(nul - src) + 1);
	return 0;
}

int famfs_ctl_req_decode(const void *buf, size_t len,
			 struct famfs_ctl_req *r, struct famfs_why *why)
{
	const struct famfs_ctl_dreq *d = buf;

	if (len != sizeof(*d) || le32_get(d->magic) != FAMFS_CTL_MAGIC) {
		famfs_why_set(why, "not a famfs control request");
		return -EINVAL;
	}
	r->op = le32_get(d->op);
	r->flags = le32_get(d->flags);
	r->mode = le32_get(d->mode);
	r->uid = le32_get(d->uid);
	r->gid = le32_get(d->gid);
	r->nstrips = le32_get(d->nstrips);
	r->size = le64_get(d->size);
	r->chunk = le64_get(d->chunk);
	if (r->op == 0 || r->op > FAMFS_CTL_MAXOP || d->reserved ||
	    (r->flags & ~FAMFS_CTL_F_ALL) || (r->mode & ~07777u)) {
		famfs_why_set(why, "unknown control operation, flags or mode");
		return -EINVAL;
	}
	if (get_str(r->path, d->path, sizeof(d->path)) ||
	    get_str(r->src, d->src, sizeof(d->src))) {
		famfs_why_set(why, "path is not NUL-terminated");
		return -EINVAL;
	}
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
