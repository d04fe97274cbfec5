/* SPDX-License-Identifier: (GPL-2.0 OR Apache-2.0) */
/*
 * famfs on-media format: its numbers.  Magics, sizes and limits, flag,
 * feature, entry and extent type values, as plain constants with no
 * on-media structure: what the commands and the native structures of
 * famfs.h need.  The structures themselves are in omf.h (which includes
 * this); see docs/format.md.
 */
#ifndef FAMFS_FORMAT_H
#define FAMFS_FORMAT_H

/* "FAMFSSB1" and "FAMFSLOG" read as little-endian 64-bit numbers */
#define FAMFS_SB_MAGIC		0x31425353464d4146ULL
#define FAMFS_LOG_MAGIC		0x474f4c53464d4146ULL

#define FAMFS_FORMAT_VERSION	1	/* informational; features decide */

/* Sizes and limits of the format */
#define FAMFS_SB_SIZE		512u
#define FAMFS_SB_REGION		0x200000ull	/* 2 MiB: superblock region */
#define FAMFS_LOG_OFFSET	FAMFS_SB_REGION
#define FAMFS_LOG_HDR_SIZE	512u
#define FAMFS_LOG_TAIL0		0x200u		/* offset in the log */
#define FAMFS_LOG_TAIL1		0x240u
#define FAMFS_LOG_ENTRIES	0x1000u		/* first entry, log-relative */
#define FAMFS_LOG_LEN_ALIGN	0x200000ull	/* log length granule: 2 MiB */
#define FAMFS_LOG_LEN_DEFAULT	0x800000ull	/* 8 MiB: the smallest default */
#define FAMFS_LOG_LEN_AUTO_MAX	0x20000000ull	/* 512 MiB: the largest default */
#define FAMFS_LOG_AUTO_SHIFT	8		/* default log: 1/256 of the
						 * device, 256 bytes (about one
						 * file entry) per 64 KiB */
#define FAMFS_LOG_LEN_MAX	0x40000000ull	/* 1 GiB */
#define FAMFS_ALLOC_UNIT_MIN	0x1000ull	/* 4 KiB */
#define FAMFS_ALLOC_UNIT_MAX	0x40000000ull	/* 1 GiB */
#define FAMFS_ALLOC_UNIT_DEFAULT 0x200000ull	/* 2 MiB */
#define FAMFS_PACK_GRANULE	0x1000ull	/* PACKED: extent granularity */
#define FAMFS_PACK_BIG		0x200000ull	/* PACKED: a file this large or
						 * larger starts 2 MiB-aligned */
#define FAMFS_ENTRY_ALIGN	8u
#define FAMFS_ENTRY_MAX_V1	4096u	/* largest entry and terminator window
					 * of a log without LARGE_ENTRY */
#define FAMFS_ENTRY_MAX_LARGE	16384u	/* the same with LARGE_ENTRY */
#define FAMFS_ENTRY_MAX		FAMFS_ENTRY_MAX_LARGE	/* any log: buffers */
#define FAMFS_PATH_MAX		1023u	/* bytes, without the NUL */
#define FAMFS_NAME_MAX		255u	/* one path component */
#define FAMFS_SYMLINK_MAX	4095u	/* symbolic link target, without NUL */
#define FAMFS_XATTR_NAME_MAX	255u	/* "user.x" etc., without NUL */
#define FAMFS_XATTR_VALUE_MAX	8192u	/* one value */
#define FAMFS_XATTR_LIST_MAX	65536u	/* one node: names, NULs and values */
#define FAMFS_MAX_EXTENTS	32u	/* simple extents per file */
#define FAMFS_MAX_STRIPS	32u	/* strips of an interleaved extent */
#define FAMFS_MAX_DEVICES	64u	/* device indices 0..63 */
#define FAMFS_DEV_UNITS_MAX	(1ull << 32)	/* allocation units per device:
						 * bounds a replayer's bitmap
						 * (512 MiB) */

/* s_flags */
#define FAMFS_SB_PRIMARY	0x1u	/* holds the log; else secondary */
#define FAMFS_SB_FLAGS_ALL	FAMFS_SB_PRIMARY

/*
 * Feature masks.  An unknown incompat bit refuses the filesystem; an unknown
 * ro_compat bit allows reading but no log append; compat bits are advisory.
 * A new log entry type is always an incompat feature (docs/format.md 11).
 * mkfs sets every incompat feature below; a filesystem made before them
 * (none set) gets each one, but LARGE_ENTRY, from its master when it first
 * logs an entry that needs it.
 */
#define FAMFS_FEATURE_INODE	0x01u	/* INODE entries: type, full mode,
					 * times; regular files, directories */
#define FAMFS_FEATURE_EMPTY	0x02u	/* regular files of size 0 */
#define FAMFS_FEATURE_SYMLINK	0x04u	/* symbolic links */
#define FAMFS_FEATURE_HARDLINK	0x08u	/* LINK entries */
#define FAMFS_FEATURE_SPECIAL	0x10u	/* FIFOs, sockets, device nodes */
#define FAMFS_FEATURE_XATTR	0x20u	/* XATTR entries */
#define FAMFS_FEATURE_SETATTR	0x40u	/* ATTR entries */
#define FAMFS_FEATURE_LARGE_ENTRY 0x80u	/* entries up to 16 KiB (mkfs only) */
#define FAMFS_FEATURE_PACKED	0x100u	/* extents at 4 KiB granularity: small
					 * files packed below the allocation
					 * unit (mkfs only, unit above 4 KiB) */
#define FAMFS_FEATURE_MKFS_ONLY	(FAMFS_FEATURE_LARGE_ENTRY | \
				 FAMFS_FEATURE_PACKED)

#define FAMFS_FEATURE_COMPAT_SUPP	0x0u
#define FAMFS_FEATURE_INCOMPAT_SUPP	0x1ffu
#define FAMFS_FEATURE_RO_COMPAT_SUPP	0x0u
#define FAMFS_FEATURE_INCOMPAT_MKFS	FAMFS_FEATURE_INCOMPAT_SUPP

/* Entry types.  0 is never valid: zeroed memory is not an entry. */
#define FAMFS_ENTRY_FILE	1
#define FAMFS_ENTRY_MKDIR	2
#define FAMFS_ENTRY_ADD_DAXDEV	3
#define FAMFS_ENTRY_INODE	4	/* any file type, with times */
#define FAMFS_ENTRY_LINK	5	/* a second name for a non-directory */
#define FAMFS_ENTRY_XATTR	6	/* set or remove one extended attribute */
#define FAMFS_ENTRY_ATTR	7	/* change mode, owner or times */

/* x_flags of an XATTR entry */
#define FAMFS_XATTR_REMOVE	0x1u	/* remove the name; no value */

/* a_valid of an ATTR entry */
#define FAMFS_ATTR_MODE		0x01u	/* permission bits 07777 */
#define FAMFS_ATTR_UID		0x02u
#define FAMFS_ATTR_GID		0x04u
#define FAMFS_ATTR_MTIME	0x08u
#define FAMFS_ATTR_CTIME	0x10u
#define FAMFS_ATTR_ALL		0x1fu

/* f_ext_type */
#define FAMFS_EXT_SIMPLE	0
#define FAMFS_EXT_INTERLEAVE	1

#endif /* FAMFS_FORMAT_H */
