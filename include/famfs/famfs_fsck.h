/* SPDX-License-Identifier: Apache-2.0 */
/* fsck as a table of problems and a table of passes (fsck.c). */
#ifndef FAMFS_FSCK_H
#define FAMFS_FSCK_H

#include "famfs_exit.h"		/* the fsck(8) exit bits */
#include "famfs_fs.h"

enum famfs_problem {
	FAMFS_PR_SB_MISSING,		/* no superblock at all */
	FAMFS_PR_SB_FEATURES,		/* unknown incompat features */
	FAMFS_PR_SB_CORRUPT,		/* geometry, flags, UUIDs */
	FAMFS_PR_SB_CRC,
	FAMFS_PR_SB_SECONDARY,		/* a secondary device was given */
	FAMFS_PR_SB_RO_FEATURES,	/* unknown ro_compat: check only */
	FAMFS_PR_LOG_HDR,		/* log header magic/geometry/CRC */
	FAMFS_PR_LOG_FOREIGN,		/* log of another filesystem */
	FAMFS_PR_TAIL_SLOT,		/* one tail record damaged */
	FAMFS_PR_TAIL_BOTH,		/* both tail records damaged */
	FAMFS_PR_ENTRY_BAD,		/* committed entry fails to decode */
	FAMFS_PR_TAIL_COUNT,		/* tail disagrees with the entries */
	FAMFS_PR_NAMESPACE,		/* duplicate path, missing parent */
	FAMFS_PR_EXT_DEVICE,
	FAMFS_PR_EXT_RANGE,
	FAMFS_PR_EXT_META,
	FAMFS_PR_EXT_ALIGN,
	FAMFS_PR_CROSSLINK,
	FAMFS_PR_DEVTAB,
	FAMFS_PR_DEV_MISSING,		/* a secondary is not found here */
	FAMFS_PR_DEV_MISMATCH,		/* its UUID, but its superblock disagrees */
	FAMFS_PR_UNCOMMITTED,		/* valid entry after the tail */
	FAMFS_PR_GARBAGE,		/* nonzero bytes after the tail */
	FAMFS_PR_LINK,			/* LINK to a missing name or a directory */
	FAMFS_PR_NODE_MISSING,		/* XATTR or ATTR on a missing path */
	FAMFS_PR_XATTR,			/* remove of a missing xattr, list limit */
	FAMFS_PR_FEATURE,		/* entry needs a feature the sb lacks */
	FAMFS_PR_SB_TORN,		/* a feature-enabling sb write was cut */
	_FAMFS_PR_MAX,
};

#define FAMFS_PRF_FIXABLE	0x1	/* --repair may fix it */
#define FAMFS_PRF_FATAL		0x2	/* later passes cannot run */
#define FAMFS_PRF_OPERROR	0x4	/* not famfs / not ours: exit 8 */
#define FAMFS_PRF_DEVMISS	0x8	/* a device is not found: exit 64 */

struct famfs_problem_desc {
	const char *name;		/* stable identifier for --json */
	unsigned int flags;
};

const struct famfs_problem_desc *famfs_problem_desc(enum famfs_problem code);

#define FAMFS_FSCK_MAX_REPORTS 100

struct famfs_fsck_item {
	enum famfs_problem code;
	int fixed;
	char msg[FAMFS_WHY_LEN + 64];
};

struct famfs_fsck_dev {
	uint8_t uuid[16];
	uint64_t size, capacity, used;
	enum famfs_devstate state;
	char path[256];			/* where found, "" if not */
};

/*
 * What log entries make, for the per-kind statistic: the first release's
 * three types, INODE split by what it makes, and the three that change a
 * name or an inode.
 */
enum famfs_entry_kind {
	FAMFS_EK_FILE,
	FAMFS_EK_MKDIR,
	FAMFS_EK_ADD_DAXDEV,
	FAMFS_EK_INODE_REG,		/* regular file with extents */
	FAMFS_EK_INODE_EMPTY,		/* regular file of size 0 */
	FAMFS_EK_INODE_DIR,
	FAMFS_EK_INODE_SYMLINK,
	FAMFS_EK_INODE_SPECIAL,		/* fifo, socket, device node */
	FAMFS_EK_LINK,
	FAMFS_EK_XATTR,
	FAMFS_EK_ATTR,
	_FAMFS_EK_MAX,
};

enum famfs_entry_kind famfs_entry_kind(const struct famfs_entry *e);
const char *famfs_entry_kind_name(enum famfs_entry_kind k);

struct famfs_fsck_stats {
	uint64_t dev_size, alloc_unit, capacity, used;
	uint64_t log_len, log_used, entries;
	uint64_t files, dirs, file_bytes;
	uint64_t symlinks, special, empty, hardlinks, xattrs, attrs;
	uint32_t compat, incompat, ro_compat;	/* superblock features */
	uint64_t kind_entries[_FAMFS_EK_MAX];	/* committed entries read */
	uint64_t kind_bytes[_FAMFS_EK_MAX];	/* their log bytes */
	uint32_t ndevs;
	uint8_t fs_uuid[16], master_uuid[16];
	struct famfs_fsck_dev dev[FAMFS_MAX_DEVICES];
};

struct famfs_fsck {
	int repair;
	struct famfs_fs fs;
	int have_sb, have_log;		/* passes reached */
	unsigned int nproblems;		/* all, also those not kept */
	unsigned int nfixed, nleft, noperr, ndevmiss;
	unsigned int nitems;
	struct famfs_fsck_item items[FAMFS_FSCK_MAX_REPORTS];
	struct famfs_fsck_stats st;
};

int famfs_fsck_open(struct famfs_fsck *ck, const char *path, int repair,
		    struct famfs_why *why);
int famfs_fsck_open_image(struct famfs_fsck *ck, uint8_t *base, uint64_t size);
int famfs_fsck_validate(struct famfs_fsck *ck);
int famfs_fsck_check(struct famfs_fsck *ck);
int famfs_fsck_run(struct famfs_fsck *ck, const char *path, int repair,
		   struct famfs_why *why);
int famfs_fsck_exit(const struct famfs_fsck *ck);
void famfs_fsck_done(struct famfs_fsck *ck);

#endif /* FAMFS_FSCK_H */
