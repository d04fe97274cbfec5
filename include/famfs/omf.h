/* SPDX-License-Identifier: (GPL-2.0 OR Apache-2.0) */
/*
 * famfs on-media format.
 *
 * Every structure here is stored in shared memory and read by hosts that may
 * differ in word size and compiler: fixed-width little-endian fields only,
 * explicit reserved space, no implicit padding.  The same header is used by
 * the userspace library and by kernel code; famfs_check_ondisk_layout() pins
 * every size and every CRC-covered range at compile time.
 *
 * Device layout (primary device):
 *
 *   0                     superblock (struct famfs_dsb), 512 bytes
 *   512 .. log_offset     reserved, zero
 *   log_offset            log header (struct famfs_dlog), 512 bytes
 *   log_offset + 0x200    tail record slot 0 (struct famfs_dtail), 64 bytes
 *   log_offset + 0x240    tail record slot 1
 *   log_offset + 0x1000   first log entry; entries are 8-byte aligned
 *   log_offset + log_len  end of log
 *   data_offset           first allocation unit available to files
 *
 * A secondary device carries only a superblock; its data starts at
 * data_offset as well.  See docs/format.md for the byte-by-byte description.
 *
 * Only the decoders and encoders of lib/ (sb.c, log.c, entry.c, mkfs.c)
 * include this header; everything else sees the native structures of
 * famfs.h and the numbers of famfs_format.h (make check-layers keeps cmd/
 * away from it).
 */
#ifndef FAMFS_OMF_H
#define FAMFS_OMF_H

#include <linux/types.h>

#include "famfs_format.h"	/* the format's numbers */

#ifndef __KERNEL__
#include <stddef.h>
#ifndef BUILD_BUG_ON
#define BUILD_BUG_ON(cond) _Static_assert(!(cond), #cond)
#endif
#endif

/* Superblock, 512 bytes at device offset 0 of every device. */
struct famfs_dsb {
	__le64	s_magic;		/* 0x000 FAMFS_SB_MAGIC */
	__le32	s_version;		/* 0x008 format version (informational) */
	__le32	s_flags;		/* 0x00c FAMFS_SB_* */
	__le32	s_feature_compat;	/* 0x010 */
	__le32	s_feature_incompat;	/* 0x014 */
	__le32	s_feature_ro_compat;	/* 0x018 */
	__le32	s_dev_index;		/* 0x01c 0 on the primary */
	__u8	s_fs_uuid[16];		/* 0x020 filesystem (same on all devices) */
	__u8	s_dev_uuid[16];		/* 0x030 this device */
	__u8	s_master_uuid[16];	/* 0x040 system UUID of the master host */
	__u8	s_primary_uuid[16];	/* 0x050 secondary: primary's device UUID */
	__le64	s_dev_size;		/* 0x060 bytes formatted on this device */
	__le64	s_alloc_unit;		/* 0x068 bytes, power of two */
	__le64	s_log_offset;		/* 0x070 0 on a secondary */
	__le64	s_log_len;		/* 0x078 0 on a secondary */
	__le64	s_data_offset;		/* 0x080 first allocatable byte */
	__le64	s_mkfs_time;		/* 0x088 seconds since the epoch */
	__u8	s_reserved[364];	/* 0x090 zero */
	__le32	s_crc;			/* 0x1fc crc32c of [0x000, 0x1fc) */
};

/* Log header: immutable after mkfs, 512 bytes at the start of the log. */
struct famfs_dlog {
	__le64	l_magic;		/* 0x000 FAMFS_LOG_MAGIC */
	__le32	l_version;		/* 0x008 format version (informational) */
	__le32	l_entry_max;		/* 0x00c FAMFS_ENTRY_MAX at mkfs */
	__u8	l_fs_uuid[16];		/* 0x010 must equal the superblock's */
	__le64	l_log_len;		/* 0x020 bytes, including this header */
	__le64	l_entries_off;		/* 0x028 first entry, log-relative */
	__u8	l_reserved[460];	/* 0x030 zero */
	__le32	l_crc;			/* 0x1fc crc32c of [0x000, 0x1fc) */
};

/*
 * Tail record: where the next entry goes.  Two slots; generation g is written
 * to slot (g & 1), so a torn write damages only the newer copy and readers
 * fall back to the older one, which still covers every committed entry.
 * The CRC is seeded with the filesystem seed (see below), so a slot left by
 * an earlier filesystem on the same memory never validates.
 */
struct famfs_dtail {
	__le64	t_gen;			/* 0x00 generation, starts at 1 */
	__le64	t_next_off;		/* 0x08 log-relative offset of next entry */
	__le64	t_next_seq;		/* 0x10 seq of next entry = entry count */
	__u8	t_reserved[36];		/* 0x18 zero */
	__le32	t_crc;			/* 0x3c crc32c(seed) of [0x00, 0x3c) */
};

/*
 * Entry header.  e_crc is crc32c(seed) of [0x04, e_len): the whole entry but
 * the CRC itself.  e_len is a multiple of 8 and at most FAMFS_ENTRY_MAX.
 */
struct famfs_dentry {
	__le32	e_crc;			/* 0x00 */
	__le32	e_len;			/* 0x04 whole entry, padded to 8 */
	__le64	e_seq;			/* 0x08 0, 1, 2, ... in log order */
	__le16	e_type;			/* 0x10 FAMFS_ENTRY_* */
	__le16	e_flags;		/* 0x12 zero */
	__le32	e_reserved;		/* 0x14 zero */
};

/* An extent, or one strip of an interleaved extent: 24 bytes. */
struct famfs_dext {
	__le32	x_dev_index;		/* 0x00 device index from the log */
	__le32	x_reserved;		/* 0x04 zero */
	__le64	x_offset;		/* 0x08 byte offset in that device */
	__le64	x_len;			/* 0x10 bytes */
};

/*
 * FILE entry body, after the header: then f_nextents struct famfs_dext, then
 * f_path_len path bytes, a NUL, and zero padding to 8 bytes.  Simple files
 * list extents in file order; an interleaved file lists its strips in strip
 * order and f_chunk_size is the chunk (RAID-0 stripe unit).
 */
struct famfs_dfile {
	__le64	f_size;			/* 0x00 file size in bytes, > 0 */
	__le64	f_chunk_size;		/* 0x08 interleave chunk; 0 if simple */
	__le32	f_mode;			/* 0x10 permission bits (07777) */
	__le32	f_uid;			/* 0x14 */
	__le32	f_gid;			/* 0x18 */
	__le32	f_flags;		/* 0x1c zero */
	__le16	f_ext_type;		/* 0x20 FAMFS_EXT_* */
	__le16	f_nextents;		/* 0x22 extents or strips */
	__le16	f_path_len;		/* 0x24 path bytes without NUL */
	__le16	f_reserved;		/* 0x26 zero */
};

/* MKDIR entry body: then f_path_len path bytes, NUL, zero padding. */
struct famfs_dmkdir {
	__le32	d_mode;			/* 0x00 permission bits (07777) */
	__le32	d_uid;			/* 0x04 */
	__le32	d_gid;			/* 0x08 */
	__le16	d_path_len;		/* 0x0c */
	__le16	d_reserved;		/* 0x0e zero */
};

/* ADD_DAXDEV entry body: the device with the next free index. */
struct famfs_ddaxdev {
	__u8	a_dev_uuid[16];		/* 0x00 device UUID (its superblock's) */
	__le64	a_dev_size;		/* 0x10 bytes */
	__le32	a_dev_index;		/* 0x18 1, 2, ... dense, in log order */
	__le32	a_reserved;		/* 0x1c zero */
};

/*
 * INODE entry body (feature INODE, and EMPTY, SYMLINK or SPECIAL by what it
 * makes): then i_nextents struct famfs_dext, then i_path_len path bytes
 * and a NUL, then for a symbolic link i_target_len target bytes and a NUL,
 * and zero padding to 8 bytes.  i_mode carries the file type (S_IFMT) and
 * the permission bits.  A regular file of size 0 has no extents; only a
 * regular file has extents; only a device node has a nonzero rdev; only a
 * symbolic link has a target (i_size = i_target_len).
 */
struct famfs_dinode {
	__le64	i_size;			/* 0x00 bytes; symlink: target length */
	__le64	i_chunk_size;		/* 0x08 interleave chunk; 0 if simple */
	__le32	i_mode;			/* 0x10 S_IFMT type | 07777 */
	__le32	i_uid;			/* 0x14 */
	__le32	i_gid;			/* 0x18 */
	__le32	i_flags;		/* 0x1c zero */
	__le64	i_mtime_sec;		/* 0x20 signed seconds since the epoch */
	__le64	i_ctime_sec;		/* 0x28 signed */
	__le32	i_mtime_nsec;		/* 0x30 below 10^9 */
	__le32	i_ctime_nsec;		/* 0x34 below 10^9 */
	__le32	i_rdev_major;		/* 0x38 device nodes only */
	__le32	i_rdev_minor;		/* 0x3c device nodes only */
	__le16	i_ext_type;		/* 0x40 FAMFS_EXT_* */
	__le16	i_nextents;		/* 0x42 extents or strips */
	__le16	i_path_len;		/* 0x44 path bytes without NUL */
	__le16	i_target_len;		/* 0x46 symlink target bytes, no NUL */
};

/*
 * LINK entry body (feature HARDLINK): then k_path_len bytes of the new
 * name and a NUL, k_target_len bytes of an existing name of a
 * non-directory and a NUL, zero padding.
 */
struct famfs_dlink {
	__le16	k_path_len;		/* 0x00 */
	__le16	k_target_len;		/* 0x02 */
	__le32	k_reserved;		/* 0x04 zero */
};

/*
 * XATTR entry body (feature XATTR): then x_path_len path bytes and a NUL,
 * x_name_len name bytes and a NUL, x_value_len value bytes, zero padding.
 */
struct famfs_dxattr {
	__le16	x_path_len;		/* 0x00 */
	__u8	x_name_len;		/* 0x02 1..255, prefix included */
	__u8	x_flags;		/* 0x03 FAMFS_XATTR_REMOVE */
	__le32	x_value_len;		/* 0x04 0 with REMOVE */
};

/*
 * ATTR entry body (feature SETATTR): then a_path_len path bytes, a NUL,
 * zero padding.  Fields not named by a_valid are zero.
 */
struct famfs_dattr {
	__le32	a_valid;		/* 0x00 FAMFS_ATTR_* */
	__le32	a_mode;			/* 0x04 07777; the type never changes */
	__le32	a_uid;			/* 0x08 */
	__le32	a_gid;			/* 0x0c */
	__le64	a_mtime_sec;		/* 0x10 */
	__le64	a_ctime_sec;		/* 0x18 */
	__le32	a_mtime_nsec;		/* 0x20 */
	__le32	a_ctime_nsec;		/* 0x24 */
	__le16	a_path_len;		/* 0x28 */
	__le16	a_reserved1;		/* 0x2a zero */
	__le32	a_reserved2;		/* 0x2c zero */
};

static inline void famfs_check_ondisk_layout(void)
{
	BUILD_BUG_ON(sizeof(struct famfs_dsb) != FAMFS_SB_SIZE);
	BUILD_BUG_ON(offsetof(struct famfs_dsb, s_dev_size) != 0x60);
	BUILD_BUG_ON(offsetof(struct famfs_dsb, s_mkfs_time) != 0x88);
	BUILD_BUG_ON(offsetof(struct famfs_dsb, s_crc) != FAMFS_SB_SIZE - 4);
	BUILD_BUG_ON(sizeof(struct famfs_dlog) != FAMFS_LOG_HDR_SIZE);
	BUILD_BUG_ON(offsetof(struct famfs_dlog, l_entries_off) != 0x28);
	BUILD_BUG_ON(offsetof(struct famfs_dlog, l_crc) != FAMFS_LOG_HDR_SIZE - 4);
	BUILD_BUG_ON(sizeof(struct famfs_dtail) != 64);
	BUILD_BUG_ON(offsetof(struct famfs_dtail, t_crc) != 0x3c);
	BUILD_BUG_ON(FAMFS_LOG_TAIL0 < FAMFS_LOG_HDR_SIZE);
	BUILD_BUG_ON(FAMFS_LOG_TAIL1 - FAMFS_LOG_TAIL0 < 64);
	BUILD_BUG_ON(FAMFS_LOG_TAIL1 + 64 > FAMFS_LOG_ENTRIES);
	BUILD_BUG_ON(sizeof(struct famfs_dentry) != 24);
	BUILD_BUG_ON(offsetof(struct famfs_dentry, e_len) != 4);
	BUILD_BUG_ON(sizeof(struct famfs_dext) != 24);
	BUILD_BUG_ON(sizeof(struct famfs_dfile) != 40);
	BUILD_BUG_ON(sizeof(struct famfs_dmkdir) != 16);
	BUILD_BUG_ON(sizeof(struct famfs_ddaxdev) != 32);
	BUILD_BUG_ON(sizeof(struct famfs_dinode) != 72);
	BUILD_BUG_ON(offsetof(struct famfs_dinode, i_ext_type) != 0x40);
	BUILD_BUG_ON(sizeof(struct famfs_dlink) != 8);
	BUILD_BUG_ON(sizeof(struct famfs_dxattr) != 8);
	BUILD_BUG_ON(sizeof(struct famfs_dattr) != 48);
	BUILD_BUG_ON(offsetof(struct famfs_dattr, a_path_len) != 0x28);
	/* the largest FILE entry fits a first-release log's window */
	BUILD_BUG_ON(sizeof(struct famfs_dentry) + sizeof(struct famfs_dfile) +
		     FAMFS_MAX_STRIPS * sizeof(struct famfs_dext) +
		     FAMFS_PATH_MAX + 1 + FAMFS_ENTRY_ALIGN > FAMFS_ENTRY_MAX_V1);
	/* so does the largest INODE entry of a regular file or directory */
	BUILD_BUG_ON(sizeof(struct famfs_dentry) + sizeof(struct famfs_dinode) +
		     FAMFS_MAX_STRIPS * sizeof(struct famfs_dext) +
		     FAMFS_PATH_MAX + 1 + FAMFS_ENTRY_ALIGN > FAMFS_ENTRY_MAX_V1);
	/* the largest symlink, LINK and XATTR entries fit LARGE_ENTRY's */
	BUILD_BUG_ON(sizeof(struct famfs_dentry) + sizeof(struct famfs_dinode) +
		     FAMFS_PATH_MAX + 1 + FAMFS_SYMLINK_MAX + 1 +
		     FAMFS_ENTRY_ALIGN > FAMFS_ENTRY_MAX_LARGE);
	BUILD_BUG_ON(sizeof(struct famfs_dentry) + sizeof(struct famfs_dxattr) +
		     FAMFS_PATH_MAX + 1 + FAMFS_XATTR_NAME_MAX + 1 +
		     FAMFS_XATTR_VALUE_MAX + FAMFS_ENTRY_ALIGN >
		     FAMFS_ENTRY_MAX_LARGE);
}

#endif /* FAMFS_OMF_H */
