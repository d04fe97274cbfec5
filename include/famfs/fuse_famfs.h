/* SPDX-License-Identifier: (GPL-2.0 OR Apache-2.0) */
/*
 * famfs messages on the FUSE wire: GET_FMAP and GET_DAXDEV (the famfs
 * subset of FUSE protocol 7.46, see shared/design/KERNEL.md "ABI").  The
 * FUSE wire is in host byte order; every field is fixed width and every
 * size is checked at compile time.  Shared with kernel/.
 */
#ifndef FAMFS_FUSE_FAMFS_H
#define FAMFS_FUSE_FAMFS_H

#include <linux/types.h>

#ifndef __KERNEL__
#include <stddef.h>
#ifndef BUILD_BUG_ON
#define BUILD_BUG_ON(cond) _Static_assert(!(cond), #cond)
#endif
#endif

#define FUSE_DAX_FMAP_FLAG	(1ULL << 43)	/* INIT flags; flags2 bit 11 */
#define FUSE_DIRECT_IO_ALLOW_MMAP_FLAG (1ULL << 36) /* flags2 bit 4 */
#define FUSE_GET_FMAP_OP	54
#define FUSE_GET_DAXDEV_OP	55

#define FAMFS_FMAP_VERSION	1
#define FAMFS_FMAP_MAX		32768	/* largest GET_FMAP reply */
#define FUSE_FAMFS_MAX_EXTENTS	32
#define FUSE_FAMFS_MAX_STRIPS	32
#define FAMFS_DAXDEV_NAME_LEN	256

/* file_type */
#define FAMFS_FMAP_REG		0
#define FAMFS_FMAP_SUPERBLOCK	1
#define FAMFS_FMAP_LOG		2

/* ext_type */
#define FAMFS_FMAP_SIMPLE	0
#define FAMFS_FMAP_INTERLEAVE	1

struct fuse_famfs_fmap_header {
	__u8	file_type;		/* 0x00 FAMFS_FMAP_REG/SUPERBLOCK/LOG */
	__u8	reserved;		/* 0x01 zero */
	__u16	fmap_version;		/* 0x02 FAMFS_FMAP_VERSION */
	__u32	ext_type;		/* 0x04 FAMFS_FMAP_SIMPLE/INTERLEAVE */
	__u32	nextents;		/* 0x08 simple extents, or iexts */
	__u32	reserved0;		/* 0x0c zero */
	__u64	file_size;		/* 0x10 bytes */
	__u64	reserved1;		/* 0x18 zero */
};

struct fuse_famfs_simple_ext {
	__u32	se_devindex;		/* 0x00 device index from the log */
	__u32	reserved;		/* 0x04 zero */
	__u64	se_offset;		/* 0x08 bytes into the device */
	__u64	se_len;			/* 0x10 bytes */
};

/* An interleaved extent; followed by ie_nstrips simple extents. */
struct fuse_famfs_iext {
	__u32	ie_nstrips;		/* 0x00 */
	__u32	ie_chunk_size;		/* 0x04 bytes */
	__u64	ie_nbytes;		/* 0x08 file bytes this iext maps */
	__u64	reserved;		/* 0x10 zero */
};

/* GET_FMAP in-arg: the reply buffer size (struct fuse_getxattr_in). */
struct fuse_famfs_get_fmap_in {
	__u32	size;
	__u32	padding;
};

struct fuse_get_daxdev_in {
	__u32	daxdev_num;
};

/*
 * The V10 famfs kernel series (2026-03-31, for Linux 7.1) sends both
 * requests with no in-arg: GET_FMAP names the file by the header's nodeid
 * and reads at most PAGE_SIZE bytes of reply; GET_DAXDEV names the device
 * index by the nodeid and takes exactly one struct fuse_daxdev_out.
 */
#define FAMFS_V10_FMAP_BUFSIZE	4096	/* PAGE_SIZE on x86-64 */

#define FAMFS_DAXDEV_HAS_DEVNUM	0x1	/* reserved: reserved3 = dev_t */
/*
 * With HAS_DEVNUM: reserved3 is a device-dax character device (bound to
 * fsdev_dax), which the kernel claims by that number; without it the
 * number is a pmem block device's.
 */
#define FAMFS_DAXDEV_CHARDEV	0x2

struct fuse_daxdev_out {
	__u16	index;			/* 0x000 */
	__u16	reserved;		/* 0x002 FAMFS_DAXDEV_* flags */
	__u32	reserved2;		/* 0x004 zero */
	__u64	reserved3;		/* 0x008 new_encode_dev() when flagged */
	__u64	reserved4;		/* 0x010 zero */
	char	name[FAMFS_DAXDEV_NAME_LEN]; /* 0x018 NUL-terminated path */
};

static inline void famfs_check_fuse_layout(void)
{
	BUILD_BUG_ON(sizeof(struct fuse_famfs_fmap_header) != 32);
	BUILD_BUG_ON(offsetof(struct fuse_famfs_fmap_header, file_size) != 0x10);
	BUILD_BUG_ON(sizeof(struct fuse_famfs_simple_ext) != 24);
	BUILD_BUG_ON(sizeof(struct fuse_famfs_iext) != 24);
	BUILD_BUG_ON(sizeof(struct fuse_famfs_get_fmap_in) != 8);
	BUILD_BUG_ON(sizeof(struct fuse_get_daxdev_in) != 4);
	BUILD_BUG_ON(sizeof(struct fuse_daxdev_out) != 280);
	BUILD_BUG_ON(offsetof(struct fuse_daxdev_out, name) != 0x18);
	/* the largest map we send fits what a V10 kernel reads */
	BUILD_BUG_ON(sizeof(struct fuse_famfs_fmap_header) +
		     FUSE_FAMFS_MAX_EXTENTS *
		     sizeof(struct fuse_famfs_simple_ext) >
		     FAMFS_V10_FMAP_BUFSIZE);
	BUILD_BUG_ON(sizeof(struct fuse_famfs_fmap_header) +
		     sizeof(struct fuse_famfs_iext) + FUSE_FAMFS_MAX_STRIPS *
		     sizeof(struct fuse_famfs_simple_ext) >
		     FAMFS_V10_FMAP_BUFSIZE);
}

#endif /* FAMFS_FUSE_FAMFS_H */
