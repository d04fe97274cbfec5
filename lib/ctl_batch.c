// SPDX-License-Identifier: Apache-2.0
/*
 * BATCH control requests (famfs_ctl.h): many creates in one write.  The
 * CLI builds one with famfs_ctl_batch_init() and _add(); the server checks
 * the header and every record's bounds once (famfs_ctl_batch_check), then
 * decodes the records one by one (famfs_ctl_batch_next) with the rules a
 * request of the same op obeys alone.
 */
#include <string.h>

#include "famfs_ctl.h"
#include "famfs_endian.h"

#define REC_HDR		sizeof(struct famfs_ctl_drec)

static size_t rec_size(size_t path, size_t src, size_t data)
{
	return (REC_HDR + path + src + data + 7) & ~(size_t)7;
}

void famfs_ctl_batch_init(void *buf)
{
	struct famfs_ctl_dbatch *h = buf;

	famfs_check_ctl_layout();
	memset(h, 0, sizeof(*h));
	h->magic = le32_put(FAMFS_CTL_MAGIC);
	h->op = le32_put(FAMFS_CTL_BATCH);
	h->len = le32_put(sizeof(*h));
}

uint32_t famfs_ctl_batch_count(const void *buf)
{
	return le32_get(((const struct famfs_ctl_dbatch *)buf)->count);
}

size_t famfs_ctl_batch_len(const void *buf)
{
	return le32_get(((const struct famfs_ctl_dbatch *)buf)->len);
}

static void put_rec(struct famfs_ctl_drec *d, const struct famfs_ctl_req *r,
		    size_t pl, size_t sl, size_t len)
{
	memset(d, 0, len);
	d->rec_len = le16_put((uint16_t)len);
	d->op = le16_put((uint16_t)r->op);
	d->path_len = le16_put((uint16_t)pl);
	d->src_len = le16_put((uint16_t)sl);
	d->data_len = le32_put(r->data_len);
	d->flags = le32_put(r->flags);
	d->mode = le32_put(r->mode);
	d->uid = le32_put(r->uid);
	d->gid = le32_put(r->gid);
	d->nstrips = le32_put(r->nstrips);
	d->size = le64_put(r->size);
	d->chunk = le64_put(r->chunk);
	d->rdev_major = le32_put(r->rdev_major);
	d->rdev_minor = le32_put(r->rdev_minor);
	d->mtime_sec = le64_put((uint64_t)r->mtime.sec);
	d->mtime_nsec = le32_put(r->mtime.nsec);
	d->ctime_sec = le64_put((uint64_t)r->ctime.sec);
	d->ctime_nsec = le32_put(r->ctime.nsec);
	d->valid = le32_put(r->valid);
	d->xflags = le32_put(r->xflags);
	memcpy((uint8_t *)d + REC_HDR, r->path, pl);
	memcpy((uint8_t *)d + REC_HDR + pl, r->src, sl);
	memcpy((uint8_t *)d + REC_HDR + pl + sl, r->data, r->data_len);
}

/*
 * Append @r to the batch in @buf (@cap bytes): 0, -ENOSPC when the batch
 * is full (send it and start another), -EINVAL for a request no batch
 * takes (its op, a path or data too long).
 */
int famfs_ctl_batch_add(void *buf, size_t cap, const struct famfs_ctl_req *r)
{
	struct famfs_ctl_dbatch *h = buf;
	size_t pl = strnlen(r->path, FAMFS_PATH_MAX + 1);
	size_t sl = strnlen(r->src, FAMFS_PATH_MAX + 1);
	size_t used = le32_get(h->len), len;

	if (!famfs_ctl_op_batched(r->op) || pl > FAMFS_PATH_MAX ||
	    sl > FAMFS_PATH_MAX || r->data_len > FAMFS_CTL_DATA_MAX)
		return -EINVAL;
	len = rec_size(pl, sl, r->data_len);
	if (cap > FAMFS_CTL_BATCH_LEN)
		cap = FAMFS_CTL_BATCH_LEN;
	if (used + len > cap || le32_get(h->count) >= FAMFS_CTL_BATCH_MAX)
		return -ENOSPC;
	put_rec((struct famfs_ctl_drec *)((uint8_t *)buf + used), r, pl, sl, len);
	h->len = le32_put((uint32_t)(used + len));
	h->count = le32_put(le32_get(h->count) + 1);
	return 0;
}

/* Is the request of @len bytes at @buf a batch (then checked as one)? */
int famfs_ctl_is_batch(const void *buf, size_t len)
{
	const struct famfs_ctl_dbatch *h = buf;

	return len >= sizeof(*h) && le32_get(h->magic) == FAMFS_CTL_MAGIC &&
	       le32_get(h->op) == FAMFS_CTL_BATCH;
}

static int bad(struct famfs_why *why, const char *what)
{
	famfs_why_set(why, "bad batch request: %s", what);
	return -EINVAL;
}

/*
 * Check a batch of @len bytes: its header, and that its records tile it
 * exactly, each within bounds.  *@count is the number of records.
 */
int famfs_ctl_batch_check(const void *buf, size_t len, uint32_t *count,
			  struct famfs_why *why)
{
	const struct famfs_ctl_dbatch *h = buf;
	size_t off = sizeof(*h);
	uint32_t n;

	if (len < sizeof(*h) || len > FAMFS_CTL_BATCH_LEN ||
	    le32_get(h->magic) != FAMFS_CTL_MAGIC ||
	    le32_get(h->op) != FAMFS_CTL_BATCH || le32_get(h->len) != len)
		return bad(why, "not a batch, or its length is not what was written");
	n = le32_get(h->count);
	if (!n || n > FAMFS_CTL_BATCH_MAX || h->reserved[0] || h->reserved[1])
		return bad(why, "no records, too many, or a reserved field set");
	for (uint32_t i = 0; i < n; i++) {
		const struct famfs_ctl_drec *d;
		size_t rl, need;

		if (len - off < REC_HDR)
			return bad(why, "a record runs past the end");
		d = (const struct famfs_ctl_drec *)((const uint8_t *)buf + off);
		rl = le16_get(d->rec_len);
		need = rec_size(le16_get(d->path_len), le16_get(d->src_len),
				le32_get(d->data_len));
		if (rl != need || rl > len - off)
			return bad(why, "a record's length disagrees with its contents");
		off += rl;
	}
	if (off != len)
		return bad(why, "bytes after the last record");
	*count = n;
	return 0;
}

static int get_bytes(char *dst, const uint8_t *src, size_t n, size_t cap)
{
	if (n >= cap || memchr(src, 0, n))
		return -EINVAL;
	memcpy(dst, src, n);
	dst[n] = 0;
	return 0;
}

static void get_fields(const struct famfs_ctl_drec *d, struct famfs_ctl_req *r)
{
	memset(r, 0, offsetof(struct famfs_ctl_req, data) + 1);
	r->op = le16_get(d->op);
	r->flags = le32_get(d->flags);
	r->mode = le32_get(d->mode);
	r->uid = le32_get(d->uid);
	r->gid = le32_get(d->gid);
	r->nstrips = le32_get(d->nstrips);
	r->size = le64_get(d->size);
	r->chunk = le64_get(d->chunk);
	r->rdev_major = le32_get(d->rdev_major);
	r->rdev_minor = le32_get(d->rdev_minor);
	r->mtime.sec = (int64_t)le64_get(d->mtime_sec);
	r->mtime.nsec = le32_get(d->mtime_nsec);
	r->ctime.sec = (int64_t)le64_get(d->ctime_sec);
	r->ctime.nsec = le32_get(d->ctime_nsec);
	r->valid = le32_get(d->valid);
	r->xflags = le32_get(d->xflags);
	r->data_len = le32_get(d->data_len);
}

/* The rules of the same request sent alone. */
static int check_rec(const struct famfs_ctl_req *r, const uint8_t *pad,
		     size_t npad, struct famfs_why *why)
{
	for (size_t i = 0; i < npad; i++)
		if (pad[i])
			return bad(why, "nonzero padding");
	if (!famfs_ctl_op_batched(r->op))
		return bad(why, "an operation a batch does not take");
	if ((r->flags & ~FAMFS_CTL_F_ALL) ||
	    (r->op != FAMFS_CTL_MKNODE && (r->mode & ~07777u)))
		return bad(why, "unknown flags or mode");
	if (r->data_len > FAMFS_CTL_DATA_MAX)
		return bad(why, "data longer than its area");
	if (famfs_ctl_op_long(r->op))
		return famfs_ctl_check_long(r, why);
	if (r->rdev_major || r->rdev_minor || r->mtime.sec || r->mtime.nsec ||
	    r->ctime.sec || r->ctime.nsec || r->valid || r->xflags ||
	    r->data_len)
		return bad(why, "a field of long requests set in a short one");
	return 0;
}

/*
 * Decode the record at *@off of a batch that famfs_ctl_batch_check()
 * accepted into @r, and move *@off to the next one.
 */
int famfs_ctl_batch_next(const void *buf, size_t len, size_t *off,
			 struct famfs_ctl_req *r, struct famfs_why *why)
{
	const struct famfs_ctl_drec *d;
	const uint8_t *p;
	size_t pl, sl, used;

	if (*off < sizeof(struct famfs_ctl_dbatch) || len - *off < REC_HDR)
		return bad(why, "no record here");
	d = (const struct famfs_ctl_drec *)((const uint8_t *)buf + *off);
	p = (const uint8_t *)d + REC_HDR;
	pl = le16_get(d->path_len);
	sl = le16_get(d->src_len);
	get_fields(d, r);
	if (r->data_len > FAMFS_CTL_DATA_MAX ||
	    get_bytes(r->path, p, pl, sizeof(r->path)) ||
	    get_bytes(r->src, p + pl, sl, sizeof(r->src)))
		return bad(why, "a path too long or with a NUL, or data too long");
	memcpy(r->data, p + pl + sl, r->data_len);
	r->data[r->data_len] = 0;
	used = REC_HDR + pl + sl + r->data_len;
	*off += le16_get(d->rec_len);
	return check_rec(r, (const uint8_t *)d + used,
			 le16_get(d->rec_len) - used, why);
}

/* Drop the first @k records of the batch in @buf (the rest is resent). */
void famfs_ctl_batch_drop(void *buf, uint32_t k)
{
	struct famfs_ctl_dbatch *h = buf;
	size_t off = sizeof(*h), len = le32_get(h->len);
	uint32_t n = le32_get(h->count);

	if (k > n)
		k = n;
	for (uint32_t i = 0; i < k; i++)
		off += le16_get(((struct famfs_ctl_drec *)((uint8_t *)buf + off))->rec_len);
	memmove((uint8_t *)buf + sizeof(*h), (uint8_t *)buf + off, len - off);
	h->len = le32_put((uint32_t)(len - off + sizeof(*h)));
	h->count = le32_put(n - k);
}

/* The made bits of records 0..@n-1 as hex digits, 4 records a digit. */
void famfs_ctl_batch_made_put(char *msg, size_t cap, const uint8_t *made,
			      uint32_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t d = 0;

	for (uint32_t i = 0; i < n && d + 1 < cap; i += 4, d++) {
		unsigned int v = 0;

		for (uint32_t b = 0; b < 4 && i + b < n; b++)
			v |= (unsigned int)(made[i + b] != 0) << b;
		msg[d] = hex[v];
	}
	if (cap)
		msg[d < cap ? d : cap - 1] = 0;
}

static int hex_digit(char c)
{
	return c >= '0' && c <= '9' ? c - '0' :
	       c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* The made digits at the start of a reply's @msg (then its text). */
size_t famfs_ctl_batch_made_len(const char *msg)
{
	size_t n = 0;

	while (hex_digit(msg[n]) >= 0)
		n++;
	return n;
}

/*
 * Was record @i made (1), or found in place (0)?  -1: not among the @len
 * made digits of @msg (famfs_ctl_batch_made_len, counted once a reply).
 */
int famfs_ctl_batch_made(const char *msg, size_t len, uint32_t i)
{
	if (i / 4 >= len)
		return -1;
	return (hex_digit(msg[i / 4]) >> (i % 4)) & 1;
}
