// SPDX-License-Identifier: Apache-2.0
/*
 * File maps on the FUSE wire: struct famfs_fmap -> GET_FMAP reply, the
 * GET_DAXDEV reply, and file offset -> device offset resolution.
 *
 * The wire is in host byte order (fuse_famfs.h).  Records are assembled in
 * local structs and copied out with memcpy, so @buf needs no alignment.
 * famfs_fmap_encode() refuses every map the kernel would refuse before it
 * writes anything; famfs_fmap_resolve() is the kernel's iomap arithmetic
 * (KERNEL.md "6 Interleave math"), kept here to pin it down in tests.
 */
#include <limits.h>
#include <string.h>

#include "famfs_fmap.h"

#define HDR_SIZE	sizeof(struct fuse_famfs_fmap_header)
#define EXT_SIZE	sizeof(struct fuse_famfs_simple_ext)
#define IEXT_SIZE	sizeof(struct fuse_famfs_iext)

/* Largest file the kernel accepts: MAX_LFS_FILESIZE on 64-bit. */
#define FMAP_FILE_SIZE_MAX	((uint64_t)INT64_MAX)

/* The largest map that passes validation always fits a reply. */
_Static_assert(HDR_SIZE + FUSE_FAMFS_MAX_EXTENTS * EXT_SIZE <= FAMFS_FMAP_MAX,
	       "simple extent limit exceeds FAMFS_FMAP_MAX");
_Static_assert(HDR_SIZE + IEXT_SIZE + FUSE_FAMFS_MAX_STRIPS * EXT_SIZE <=
	       FAMFS_FMAP_MAX, "strip limit exceeds FAMFS_FMAP_MAX");
_Static_assert(FAMFS_EXT_SIMPLE == FAMFS_FMAP_SIMPLE &&
	       FAMFS_EXT_INTERLEAVE == FAMFS_FMAP_INTERLEAVE,
	       "log and wire extent types differ");

static uint64_t min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

static uint64_t div_round_up(uint64_t a, uint64_t b)
{
	return a / b + !!(a % b);
}

static int is_pow2(uint64_t v)
{
	return v && !(v & (v - 1));
}

int famfs_fmap_reply_size(const struct famfs_fmap *m)
{
	uint64_t len = HDR_SIZE + (uint64_t)m->nextents * EXT_SIZE;

	switch (m->ext_type) {
	case FAMFS_EXT_SIMPLE:
		break;
	case FAMFS_EXT_INTERLEAVE:
		len += IEXT_SIZE;
		break;
	default:
		return -EINVAL;
	}
	if (len > INT_MAX)
		return -EINVAL;
	return (int)len;
}

/* ---- validation: the kernel's rules for one reply ---------------------- */

/*
 * One simple extent or strip: a known device, nonempty, page aligned, no
 * wrap-around.
 */
static int check_extent(const struct famfs_extent *x)
{
	if (x->dev >= FAMFS_MAX_DEVICES)
		return -EINVAL;
	if (x->len == 0 || x->offset + x->len < x->offset)
		return -EINVAL;
	if ((x->offset | x->len) % FAMFS_FMAP_ALIGN)
		return -EINVAL;
	return 0;
}

/* 1..32 extents whose lengths add up, without overflow, to file_size. */
static int check_simple(const struct famfs_fmap *m, uint64_t file_size)
{
	uint64_t total = 0;
	int rc;

	if (m->nextents == 0 || m->nextents > FUSE_FAMFS_MAX_EXTENTS)
		return -EINVAL;
	for (uint32_t i = 0; i < m->nextents; i++) {
		rc = check_extent(&m->ext[i]);
		if (rc)
			return rc;
		if (__builtin_add_overflow(total, m->ext[i].len, &total))
			return -EINVAL;
	}
	return total < file_size ? -EINVAL : 0;
}

/*
 * 1..32 strips and a power-of-two chunk, page aligned, that fits the u32
 * on the wire.
 * Every strip must hold its share of the file: S = ceil(ceil(size / C) / N)
 * chunks, so no offset below the file size maps past the end of a strip.
 */
static int check_interleave(const struct famfs_fmap *m, uint64_t file_size)
{
	uint64_t chunks, per_strip;
	int rc;

	if (m->nextents == 0 || m->nextents > FUSE_FAMFS_MAX_STRIPS)
		return -EINVAL;
	if (!is_pow2(m->chunk) || m->chunk > UINT32_MAX ||
	    m->chunk % FAMFS_FMAP_ALIGN)
		return -EINVAL;
	if (file_size == 0)			/* the kernel wants ie_nbytes > 0 */
		return -EINVAL;
	chunks = div_round_up(file_size, m->chunk);
	if (__builtin_mul_overflow(div_round_up(chunks, m->nextents),
				   m->chunk, &per_strip))
		return -EINVAL;
	for (uint32_t i = 0; i < m->nextents; i++) {
		rc = check_extent(&m->ext[i]);
		if (rc)
			return rc;
		if (m->ext[i].len < per_strip)
			return -EINVAL;
	}
	return 0;
}

static int check_map(const struct famfs_fmap *m, uint8_t file_type,
		     uint64_t file_size)
{
	if (file_type > FAMFS_FMAP_LOG || file_size > FMAP_FILE_SIZE_MAX)
		return -EINVAL;
	switch (m->ext_type) {
	case FAMFS_EXT_SIMPLE:
		return check_simple(m, file_size);
	case FAMFS_EXT_INTERLEAVE:
		return check_interleave(m, file_size);
	}
	return -EINVAL;
}

/* ---- encoding ----------------------------------------------------------- */

static uint8_t *put_header(uint8_t *p, const struct famfs_fmap *m,
			   uint8_t file_type, uint64_t file_size)
{
	struct fuse_famfs_fmap_header h = {
		.file_type = file_type,
		.fmap_version = FAMFS_FMAP_VERSION,
		.ext_type = m->ext_type,
		.nextents = m->ext_type == FAMFS_EXT_SIMPLE ? m->nextents : 1,
		.file_size = file_size,
	};

	memcpy(p, &h, sizeof(h));
	return p + sizeof(h);
}

static uint8_t *put_iext(uint8_t *p, const struct famfs_fmap *m,
			 uint64_t file_size)
{
	struct fuse_famfs_iext ie = {
		.ie_nstrips = m->nextents,
		.ie_chunk_size = (uint32_t)m->chunk,
		.ie_nbytes = file_size,
	};

	memcpy(p, &ie, sizeof(ie));
	return p + sizeof(ie);
}

static uint8_t *put_ext(uint8_t *p, const struct famfs_extent *x)
{
	struct fuse_famfs_simple_ext se = {
		.se_devindex = x->dev,
		.se_offset = x->offset,
		.se_len = x->len,
	};

	memcpy(p, &se, sizeof(se));
	return p + sizeof(se);
}

int famfs_fmap_encode(const struct famfs_fmap *m, uint8_t file_type,
		      uint64_t file_size, void *buf, size_t room)
{
	uint8_t *p = buf;
	int len, rc;

	rc = check_map(m, file_type, file_size);
	if (rc)
		return rc;
	len = famfs_fmap_reply_size(m);
	if (len < 0)
		return len;
	if ((size_t)len > room || len > FAMFS_FMAP_MAX)
		return -ERANGE;
	p = put_header(p, m, file_type, file_size);
	if (m->ext_type == FAMFS_EXT_INTERLEAVE)
		p = put_iext(p, m, file_size);
	for (uint32_t i = 0; i < m->nextents; i++)
		p = put_ext(p, &m->ext[i]);
	return len;
}

int famfs_fmap_check_devs(const struct famfs_fmap *m, const uint64_t *dev_size,
			  uint32_t ndevs)
{
	uint64_t end;

	if (m->nextents > FAMFS_MAX_EXTENTS)
		return -ERANGE;
	for (uint32_t i = 0; i < m->nextents; i++) {
		const struct famfs_extent *x = &m->ext[i];

		if (x->dev >= ndevs ||
		    __builtin_add_overflow(x->offset, x->len, &end) ||
		    end > dev_size[x->dev])
			return -ERANGE;
	}
	return 0;
}

/* ---- GET_DAXDEV ---------------------------------------------------------- */

uint64_t famfs_new_encode_dev(unsigned int major, unsigned int minor)
{
	if (major > 0xfff || minor > 0xfffff)
		return 0;
	return (minor & 0xffu) | ((uint64_t)major << 8) |
	       ((uint64_t)(minor & ~0xffu) << 12);
}

int famfs_daxdev_encode(uint32_t index, uint64_t devnum, int chardev,
			const char *name, struct fuse_daxdev_out *out)
{
	size_t n;

	if (!name || index > UINT16_MAX || devnum > UINT32_MAX ||
	    (chardev && !devnum))
		return -EINVAL;
	n = strnlen(name, FAMFS_DAXDEV_NAME_LEN);
	if (n >= FAMFS_DAXDEV_NAME_LEN)
		return -ENAMETOOLONG;
	if (n == 0 && devnum == 0)		/* names no device at all */
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	out->index = (uint16_t)index;
	if (devnum) {
		out->reserved |= FAMFS_DAXDEV_HAS_DEVNUM;
		if (chardev)
			out->reserved |= FAMFS_DAXDEV_CHARDEV;
		out->reserved3 = devnum;
	}
	memcpy(out->name, name, n);		/* the NUL is in the zeroing */
	return 0;
}

/* ---- offset resolution --------------------------------------------------- */

/* Extents in file order; foff, the running file offset, never passes off. */
static int resolve_simple(const struct famfs_fmap *m, uint64_t off,
			  uint32_t *dev, uint64_t *doff, uint64_t *len)
{
	uint64_t foff = 0, local;

	for (uint32_t i = 0; i < m->nextents; i++) {
		const struct famfs_extent *x = &m->ext[i];

		local = off - foff;
		if (local >= x->len) {
			foff += x->len;
			continue;
		}
		if (x->offset + x->len < x->offset)
			return -EINVAL;
		*dev = x->dev;
		*doff = x->offset + local;
		*len = min_u64(x->len - local, m->size - off);
		return 0;
	}
	return -EINVAL;
}

/*
 * RAID-0: chunk k of the file is chunk k / N of strip k % N.  The offset in
 * the strip, stripe * C + chunk_off, is at most @off, so it cannot overflow.
 */
static int resolve_interleave(const struct famfs_fmap *m, uint64_t off,
			      uint32_t *dev, uint64_t *doff, uint64_t *len)
{
	const struct famfs_extent *x;
	uint64_t c = m->chunk, chunk_num, chunk_off, soff;

	if (c == 0)
		return -EINVAL;
	chunk_num = off / c;
	chunk_off = off % c;
	x = &m->ext[chunk_num % m->nextents];
	soff = chunk_num / m->nextents * c + chunk_off;
	if (soff >= x->len || x->offset + x->len < x->offset)
		return -EINVAL;
	*dev = x->dev;
	*doff = x->offset + soff;
	*len = min_u64(min_u64(c - chunk_off, x->len - soff), m->size - off);
	return 0;
}

int famfs_fmap_resolve(const struct famfs_fmap *m, uint64_t off,
		       uint32_t *dev, uint64_t *doff, uint64_t *len)
{
	if (m->nextents == 0 || off >= m->size)
		return -EINVAL;
	switch (m->ext_type) {
	case FAMFS_EXT_SIMPLE:
		return resolve_simple(m, off, dev, doff, len);
	case FAMFS_EXT_INTERLEAVE:
		return resolve_interleave(m, off, dev, doff, len);
	}
	return -EINVAL;
}
