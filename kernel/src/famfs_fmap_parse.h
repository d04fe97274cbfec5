/* SPDX-License-Identifier: GPL-2.0 */
/*
 * famfs: parser and resolver for FUSE_GET_FMAP replies
 *
 * Pure functions: a reply buffer goes in, a validated in-memory file map
 * comes out.  No locks, no requests, no global state; device sizes come
 * from a caller-supplied callback.  The same text is compiled by the famfs
 * userspace unit tests (with a small compatibility header providing the
 * kernel types and helpers used here), so keep it to plain C plus those.
 */
#ifndef _FS_FUSE_FAMFS_FMAP_PARSE_H
#define _FS_FUSE_FAMFS_FMAP_PARSE_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/fuse.h>
#endif

/* Device indices are 0..FAMFS_MAX_DEVS-1, so a u64 holds the device mask */
#define FAMFS_MAX_DEVS		64

/* fmap->flags: the file is unusable until its inode is evicted */
#define FAMFS_FMAP_ERR		0

/* One simple extent: @len bytes at @doff on device @dev, file offset @foff */
struct famfs_sext {
	u64 foff;
	u64 doff;
	u64 len;
	u32 dev;
};

/* One strip of an interleaved extent */
struct famfs_strip {
	u64 doff;
	u64 len;
	u32 dev;
};

/*
 * An interleaved extent: @nbytes file bytes starting at file offset @foff,
 * spread round-robin in @chunk byte chunks over @nstrips strips.
 */
struct famfs_iext {
	u64 foff;
	u64 nbytes;
	u64 chunk;
	u32 nstrips;
	struct famfs_strip *strip;
};

struct famfs_kfmap {
	u32 file_type;		/* FAMFS_FMAP_REG / _SUPERBLOCK / _LOG */
	u32 ext_type;		/* FAMFS_FMAP_SIMPLE / _INTERLEAVE */
	u64 file_size;
	u64 mapped;		/* file bytes the extents cover, >= file_size */
	u64 dev_mask;		/* BIT_ULL(i) for every device referenced */
	unsigned long flags;	/* FAMFS_FMAP_ERR; never touched by the parser */
	u32 nr;			/* simple extents or interleaved extents */
	union {
		struct famfs_sext *se;
		struct famfs_iext *ie;
	};
};

/* Where a file offset lives: @len bytes at @daddr on device @dev */
struct famfs_loc {
	u32 dev;
	u64 daddr;
	u64 len;
};

int famfs_kfmap_parse(const void *buf, size_t len, u64 align,
		      int (*dev_size)(void *ctx, u32 dev, u64 *size),
		      void *ctx, struct famfs_kfmap **fmapp);
void famfs_kfmap_free(struct famfs_kfmap *fmap);
int famfs_kfmap_resolve(const struct famfs_kfmap *fmap, u64 off,
			struct famfs_loc *loc);

#endif /* _FS_FUSE_FAMFS_FMAP_PARSE_H */
