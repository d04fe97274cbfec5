// SPDX-License-Identifier: GPL-2.0
/*
 * famfs: parse and validate FUSE_GET_FMAP replies, resolve file offsets
 *
 * A famfs server describes each regular file as a fixed list of extents on
 * DAX devices.  The reply is untrusted input that ends up as physical
 * addresses, so every field is checked here before anything is stored:
 * exact reply length, version and reserved fields, extent and strip counts,
 * device indices (before they are used as a shift), alignment, overflow of
 * offset + length and of the running file offset, per-strip capacity of
 * interleaved extents, coverage of the file size and, through @dev_size,
 * the end of every extent against the size of its device.  Any violation
 * is -EIO with a ratelimited message.
 *
 * This file is compiled unchanged by the famfs userspace unit tests, which
 * supply the few kernel helpers used here; see famfs_fmap_parse.h.
 */
#define pr_fmt(fmt) "famfs: " fmt

#ifdef __KERNEL__
#include <linux/bitops.h>
#include <linux/errno.h>
#include <linux/fs.h>
#include <linux/math64.h>
#include <linux/overflow.h>
#include <linux/printk.h>
#include <linux/slab.h>
#include <linux/string.h>
#endif

#include "famfs_fmap_parse.h"

#define FAMFS_HDR_SZ	sizeof(struct fuse_famfs_fmap_header)
#define FAMFS_SEXT_SZ	sizeof(struct fuse_famfs_simple_ext)
#define FAMFS_IEXT_SZ	sizeof(struct fuse_famfs_iext)

/* Log why a reply is refused and evaluate to -EIO */
#define famfs_reject(fmt, ...)						\
	({								\
		pr_warn_ratelimited("bad fmap: " fmt "\n", ##__VA_ARGS__); \
		-EIO;							\
	})

/* What the validation pass learns about a reply */
struct famfs_walk {
	u64 mapped;
	u64 dev_mask;
	u32 nstrips;
};

static u64 famfs_div_round_up(u64 n, u64 d)
{
	u64 rem;
	u64 q = div64_u64_rem(n, d, &rem);

	return q + (rem ? 1 : 0);
}

/* Checks common to simple extents and strips; none needs the device */
static int famfs_check_ext(const struct fuse_famfs_simple_ext *se, u64 align,
			   const char *what, u32 i)
{
	u64 end;

	if (se->se_devindex >= FAMFS_MAX_DEVS)
		return famfs_reject("%s %u: device index %u out of range",
				    what, i, se->se_devindex);
	if (se->reserved)
		return famfs_reject("%s %u: reserved field set", what, i);
	if (!se->se_len)
		return famfs_reject("%s %u: zero length", what, i);
	if ((se->se_offset | se->se_len) & (align - 1))
		return famfs_reject("%s %u: offset 0x%llx or length 0x%llx not %llu-byte aligned",
				    what, i, (unsigned long long)se->se_offset,
				    (unsigned long long)se->se_len,
				    (unsigned long long)align);
	if (check_add_overflow(se->se_offset, se->se_len, &end))
		return famfs_reject("%s %u: offset + length overflows",
				    what, i);
	return 0;
}

static int famfs_walk_simple(const u8 *buf, size_t len, u32 n, u64 align,
			     struct famfs_walk *w)
{
	struct fuse_famfs_simple_ext se;
	u32 i;
	int err;

	if (len != FAMFS_HDR_SZ + (size_t)n * FAMFS_SEXT_SZ)
		return famfs_reject("reply is %zu bytes, %u extents need %zu",
				    len, n, FAMFS_HDR_SZ + n * FAMFS_SEXT_SZ);
	for (i = 0; i < n; i++) {
		memcpy(&se, buf + FAMFS_HDR_SZ + i * FAMFS_SEXT_SZ, sizeof(se));
		err = famfs_check_ext(&se, align, "extent", i);
		if (err)
			return err;
		w->dev_mask |= BIT_ULL(se.se_devindex);
		if (check_add_overflow(w->mapped, se.se_len, &w->mapped))
			return famfs_reject("extent %u: file offset overflows",
					    i);
	}
	return 0;
}

/*
 * Every strip must hold its share of the interleaved extent: with chunk C
 * and N strips, the extent's nbytes span ceil(nbytes / C) chunks, and a
 * strip receives up to S = ceil(ceil(nbytes / C) / N) of them.  Checking
 * only the sum of the strip lengths would let a file offset map past the
 * end of a short strip.
 */
static int famfs_check_iext(const struct fuse_famfs_iext *ie, u32 i, u32 n,
			    u64 align, u64 *need)
{
	u64 per_strip;

	if (!ie->ie_nstrips || ie->ie_nstrips > FUSE_FAMFS_MAX_STRIPS)
		return famfs_reject("iext %u: %u strips, expected 1..%u",
				    i, ie->ie_nstrips, FUSE_FAMFS_MAX_STRIPS);
	if (!ie->ie_chunk_size || ie->ie_chunk_size & (align - 1))
		return famfs_reject("iext %u: chunk size %u is not a nonzero multiple of %llu",
				    i, ie->ie_chunk_size,
				    (unsigned long long)align);
	if (!ie->ie_nbytes)
		return famfs_reject("iext %u: zero length", i);
	if (ie->reserved)
		return famfs_reject("iext %u: reserved field set", i);
	/* A page must not straddle two interleaved extents */
	if (i + 1 < n && ie->ie_nbytes & (align - 1))
		return famfs_reject("iext %u: length 0x%llx not %llu-byte aligned",
				    i, (unsigned long long)ie->ie_nbytes,
				    (unsigned long long)align);
	per_strip = famfs_div_round_up(famfs_div_round_up(ie->ie_nbytes,
							  ie->ie_chunk_size),
				       ie->ie_nstrips);
	if (check_mul_overflow(per_strip, (u64)ie->ie_chunk_size, need))
		return famfs_reject("iext %u: strip size overflows", i);
	return 0;
}

static int famfs_walk_interleave(const u8 *buf, size_t len, u32 n, u64 align,
				 struct famfs_walk *w)
{
	struct fuse_famfs_simple_ext se;
	struct fuse_famfs_iext ie;
	size_t off = FAMFS_HDR_SZ;
	u64 need;
	u32 i, s;
	int err;

	for (i = 0; i < n; i++) {
		if (len - off < FAMFS_IEXT_SZ)
			return famfs_reject("reply truncated in iext %u", i);
		memcpy(&ie, buf + off, sizeof(ie));
		off += FAMFS_IEXT_SZ;
		err = famfs_check_iext(&ie, i, n, align, &need);
		if (err)
			return err;
		if ((len - off) / FAMFS_SEXT_SZ < ie.ie_nstrips)
			return famfs_reject("reply truncated in the strips of iext %u",
					    i);
		for (s = 0; s < ie.ie_nstrips; s++) {
			memcpy(&se, buf + off, sizeof(se));
			off += FAMFS_SEXT_SZ;
			err = famfs_check_ext(&se, align, "strip", s);
			if (err)
				return err;
			if (se.se_len < need)
				return famfs_reject("iext %u strip %u: 0x%llx bytes, needs 0x%llx",
						    i, s,
						    (unsigned long long)se.se_len,
						    (unsigned long long)need);
			w->dev_mask |= BIT_ULL(se.se_devindex);
		}
		w->nstrips += ie.ie_nstrips;
		if (check_add_overflow(w->mapped, ie.ie_nbytes, &w->mapped))
			return famfs_reject("iext %u: file offset overflows", i);
	}
	if (off != len)
		return famfs_reject("%zu trailing bytes after %u iexts",
				    len - off, n);
	return 0;
}

/* The end of every extent must lie within its device */
static int famfs_check_bounds(u32 dev, u64 doff, u64 len,
			      int (*dev_size)(void *ctx, u32 dev, u64 *size),
			      void *ctx)
{
	u64 size;
	int err;

	err = dev_size(ctx, dev, &size);
	if (err)
		return err;
	if (doff + len > size)
		return famfs_reject("[0x%llx, 0x%llx) is beyond the 0x%llx bytes of device %u",
				    (unsigned long long)doff,
				    (unsigned long long)(doff + len),
				    (unsigned long long)size, dev);
	return 0;
}

static int famfs_fill_simple(struct famfs_kfmap *fmap, const u8 *buf,
			     int (*dev_size)(void *ctx, u32 dev, u64 *size),
			     void *ctx)
{
	struct fuse_famfs_simple_ext se;
	u64 foff = 0;
	u32 i;
	int err;

	for (i = 0; i < fmap->nr; i++) {
		memcpy(&se, buf + FAMFS_HDR_SZ + i * FAMFS_SEXT_SZ, sizeof(se));
		err = famfs_check_bounds(se.se_devindex, se.se_offset,
					 se.se_len, dev_size, ctx);
		if (err)
			return err;
		fmap->se[i].foff = foff;
		fmap->se[i].doff = se.se_offset;
		fmap->se[i].len = se.se_len;
		fmap->se[i].dev = se.se_devindex;
		foff += se.se_len;
	}
	return 0;
}

static int famfs_fill_interleave(struct famfs_kfmap *fmap, const u8 *buf,
				 struct famfs_strip *strips,
				 int (*dev_size)(void *ctx, u32 dev, u64 *size),
				 void *ctx)
{
	struct fuse_famfs_simple_ext se;
	struct fuse_famfs_iext ie;
	size_t off = FAMFS_HDR_SZ;
	u64 foff = 0;
	u32 i, s;
	int err;

	for (i = 0; i < fmap->nr; i++) {
		memcpy(&ie, buf + off, sizeof(ie));
		off += FAMFS_IEXT_SZ;
		fmap->ie[i].foff = foff;
		fmap->ie[i].nbytes = ie.ie_nbytes;
		fmap->ie[i].chunk = ie.ie_chunk_size;
		fmap->ie[i].nstrips = ie.ie_nstrips;
		fmap->ie[i].strip = strips;
		for (s = 0; s < ie.ie_nstrips; s++) {
			memcpy(&se, buf + off, sizeof(se));
			off += FAMFS_SEXT_SZ;
			err = famfs_check_bounds(se.se_devindex, se.se_offset,
						 se.se_len, dev_size, ctx);
			if (err)
				return err;
			strips[s].doff = se.se_offset;
			strips[s].len = se.se_len;
			strips[s].dev = se.se_devindex;
		}
		strips += ie.ie_nstrips;
		foff += ie.ie_nbytes;
	}
	return 0;
}

/**
 * famfs_kfmap_parse() - validate a GET_FMAP reply and build its file map
 * @buf: the reply
 * @len: its length in bytes, as received
 * @align: required alignment of device offsets, extent and chunk lengths;
 *	a power of two, at least the page size for DAX use
 * @dev_size: returns the size in bytes of device @dev, or a negative errno
 *	that fails the parse; called only after the whole reply passed the
 *	structural checks, for devices the reply references
 * @ctx: passed to @dev_size
 * @fmapp: the new map on success; free it with famfs_kfmap_free()
 *
 * Return: 0, -EIO for a reply that breaks any rule, -EINVAL for a bad
 * @align, -ENOMEM, or the error of @dev_size.
 */
int famfs_kfmap_parse(const void *buf, size_t len, u64 align,
		      int (*dev_size)(void *ctx, u32 dev, u64 *size),
		      void *ctx, struct famfs_kfmap **fmapp)
{
	struct fuse_famfs_fmap_header h;
	struct famfs_walk w = { 0 };
	struct famfs_kfmap *fmap;
	size_t size;
	int err;

	*fmapp = NULL;
	if (!align || align & (align - 1))
		return -EINVAL;
	if (len < FAMFS_HDR_SZ)
		return famfs_reject("reply is %zu bytes, shorter than the header",
				    len);
	memcpy(&h, buf, sizeof(h));
	if (h.fmap_version != FAMFS_FMAP_VERSION)
		return famfs_reject("version %u, expected %u",
				    h.fmap_version, FAMFS_FMAP_VERSION);
	if (h.reserved || h.reserved0 || h.reserved1)
		return famfs_reject("reserved header field set");
	if (h.file_type > FAMFS_FMAP_LOG)
		return famfs_reject("unknown file type %u", h.file_type);
	if (!h.nextents || h.nextents > FUSE_FAMFS_MAX_EXTENTS)
		return famfs_reject("%u extents, expected 1..%u",
				    h.nextents, FUSE_FAMFS_MAX_EXTENTS);
	if (h.file_size > MAX_LFS_FILESIZE)
		return famfs_reject("file size 0x%llx too large",
				    (unsigned long long)h.file_size);

	switch (h.ext_type) {
	case FAMFS_FMAP_SIMPLE:
		err = famfs_walk_simple(buf, len, h.nextents, align, &w);
		size = sizeof(*fmap) + h.nextents * sizeof(struct famfs_sext);
		break;
	case FAMFS_FMAP_INTERLEAVE:
		err = famfs_walk_interleave(buf, len, h.nextents, align, &w);
		size = sizeof(*fmap) + h.nextents * sizeof(struct famfs_iext) +
		       w.nstrips * sizeof(struct famfs_strip);
		break;
	default:
		return famfs_reject("unknown extent type %u", h.ext_type);
	}
	if (err)
		return err;
	if (w.mapped < h.file_size)
		return famfs_reject("extents map 0x%llx bytes of a 0x%llx byte file",
				    (unsigned long long)w.mapped,
				    (unsigned long long)h.file_size);

	fmap = kvzalloc(size, GFP_KERNEL);
	if (!fmap)
		return -ENOMEM;
	fmap->file_type = h.file_type;
	fmap->ext_type = h.ext_type;
	fmap->file_size = h.file_size;
	fmap->mapped = w.mapped;
	fmap->dev_mask = w.dev_mask;
	fmap->nr = h.nextents;
	if (h.ext_type == FAMFS_FMAP_SIMPLE) {
		fmap->se = (struct famfs_sext *)(fmap + 1);
		err = famfs_fill_simple(fmap, buf, dev_size, ctx);
	} else {
		fmap->ie = (struct famfs_iext *)(fmap + 1);
		err = famfs_fill_interleave(fmap, buf,
					    (struct famfs_strip *)(fmap->ie + fmap->nr),
					    dev_size, ctx);
	}
	if (err) {
		kvfree(fmap);
		return err;
	}
	*fmapp = fmap;
	return 0;
}

void famfs_kfmap_free(struct famfs_kfmap *fmap)
{
	kvfree(fmap);
}

/**
 * famfs_kfmap_resolve() - find where a file offset lives
 * @fmap: a map built by famfs_kfmap_parse()
 * @off: the file offset
 * @loc: device, device offset, and the number of bytes from there that are
 *	contiguous on the device and belong to the same extent or chunk
 *
 * Return: 0, or -EIO if @off lies beyond the extents.
 */
int famfs_kfmap_resolve(const struct famfs_kfmap *fmap, u64 off,
			struct famfs_loc *loc)
{
	const struct famfs_strip *strip;
	const struct famfs_iext *ie;
	u64 local, chunk_num, chunk_off, stripe;
	u32 lo = 0, hi = fmap->nr, mid, strip_num;

	if (off >= fmap->mapped)
		return -EIO;

	if (fmap->ext_type == FAMFS_FMAP_SIMPLE) {
		const struct famfs_sext *se;

		while (hi - lo > 1) {
			mid = lo + (hi - lo) / 2;
			if (fmap->se[mid].foff <= off)
				lo = mid;
			else
				hi = mid;
		}
		se = &fmap->se[lo];
		local = off - se->foff;
		loc->dev = se->dev;
		loc->daddr = se->doff + local;
		loc->len = se->len - local;
		return 0;
	}

	while (hi - lo > 1) {
		mid = lo + (hi - lo) / 2;
		if (fmap->ie[mid].foff <= off)
			lo = mid;
		else
			hi = mid;
	}
	ie = &fmap->ie[lo];
	local = off - ie->foff;
	chunk_num = div64_u64_rem(local, ie->chunk, &chunk_off);
	stripe = div_u64_rem(chunk_num, ie->nstrips, &strip_num);
	strip = &ie->strip[strip_num];
	/*
	 * stripe * chunk + chunk_off <= local: no overflow, and the whole
	 * chunk lies within the strip (see famfs_check_iext()).
	 */
	loc->dev = strip->dev;
	loc->daddr = strip->doff + stripe * ie->chunk + chunk_off;
	loc->len = ie->chunk - chunk_off;
	/*
	 * The last iext may end mid-page; earlier ones end where the next
	 * one begins.
	 */
	if (lo + 1 < fmap->nr && loc->len > ie->nbytes - local)
		loc->len = ie->nbytes - local;
	return 0;
}
