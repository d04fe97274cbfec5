/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The control protocol between the famfs CLI and a running server
 * (ctl.c).  The CLI opens MNT/.meta/.ctl (root only), writes one request at
 * offset 0 and reads the reply at offset 0.  Both messages are fixed-width
 * little-endian structures, decoded and validated once, here.
 *
 * Requests come in two lengths, and each op has exactly one: ops 1..8
 * are a struct famfs_ctl_dreq (0x830 bytes, as in the first release);
 * the ops that make root trees (MKNODE, LINK, SETXATTR, SETATTR) are a
 * struct famfs_ctl_dreq_long: the same header and paths followed by an
 * extension with a device number, times, an attribute mask and a data
 * area for a symbolic link target (up to 4095 bytes) or an xattr value
 * (up to 8192).  The length written is the version: an older server
 * refuses a long request as malformed, and a short one never changes.
 *
 * BATCH (op 13) has a length of its own: a struct famfs_ctl_dbatch header
 * and 1..FAMFS_CTL_BATCH_MAX records, each a struct famfs_ctl_drec (the
 * fields of one CREATE, MKDIR, MKNODE, LINK, SETXATTR or SETATTR request)
 * followed by its path, src and data bytes, padded to 8 bytes.  The whole
 * request is at most FAMFS_CTL_BATCH_LEN bytes (one FUSE write).  The
 * server runs the records in order under one log lock and publishes their
 * entries with one tail record (group commit); it stops at the first
 * record that fails.  The reply's count is the number of records done,
 * its msg their "made" bits in hex (famfs_ctl_batch_made), then, when
 * err is set, a space and why the next record failed.
 */
#ifndef FAMFS_CTL_H
#define FAMFS_CTL_H

#include <linux/types.h>
#include <linux/ioctl.h>

#include "famfs.h"

#ifndef BUILD_BUG_ON
#define BUILD_BUG_ON(cond) _Static_assert(!(cond), #cond)
#endif

#define FAMFS_META_DIR_NAME	".meta"
#define FAMFS_CTL_NAME		".ctl"
#define FAMFS_CTL_MAGIC		0x4c544346u	/* "FCTL" */
#define FAMFS_CTL_MSG		3072		/* reply text, NUL included */

/* ops */
#define FAMFS_CTL_CREATE	1	/* a file of size bytes */
#define FAMFS_CTL_MKDIR		2
#define FAMFS_CTL_STATUS	3	/* JSON status in the reply text */
#define FAMFS_CTL_LOGPLAY	4	/* replay now; dry run with FLAG_DRYRUN */
#define FAMFS_CTL_CLONE		5	/* test only: path shares src's extents */
#define FAMFS_CTL_GETMAP	6	/* the extents of path, as JSON */
#define FAMFS_CTL_DEVADD	7	/* add device path; count = its index */
#define FAMFS_CTL_EVENTS	8	/* recent warnings and errors, JSON array */
#define FAMFS_CTL_MKNODE	9	/* any type (mode has S_IFMT), attrs, times */
#define FAMFS_CTL_LINK		10	/* path: a second name of src */
#define FAMFS_CTL_SETXATTR	11	/* src: name; data: value */
#define FAMFS_CTL_SETATTR	12	/* the fields named by valid */
#define FAMFS_CTL_BATCH		13	/* many of CREATE..SETATTR at once */
#define FAMFS_CTL_MAXOP		13
#define FAMFS_CTL_FIRST_LONG	FAMFS_CTL_MKNODE	/* ops from here are long */

/* flags */
#define FAMFS_CTL_F_PARENTS	0x1	/* mkdir -p: parents, existing ok */
#define FAMFS_CTL_F_EXIST_OK	0x2	/* creat: same size exists is ok;
					 * long ops: what is already so is
					 * kept and not logged again */
#define FAMFS_CTL_F_DRYRUN	0x4	/* logplay -n */
#define FAMFS_CTL_F_FORCE	0x8	/* devadd -f */
#define FAMFS_CTL_F_ALL		0xf

/* SETATTR: which fields (valid) */
#define FAMFS_CTL_A_MODE	0x01	/* permission bits 07777 */
#define FAMFS_CTL_A_UID		0x02
#define FAMFS_CTL_A_GID		0x04
#define FAMFS_CTL_A_MTIME	0x08
#define FAMFS_CTL_A_CTIME	0x10
#define FAMFS_CTL_A_ALL		0x1f

/* SETXATTR (xflags) */
#define FAMFS_CTL_X_REMOVE	0x1	/* removexattr: no value */
#define FAMFS_CTL_X_CREATE	0x2	/* setxattr(2) XATTR_CREATE */
#define FAMFS_CTL_X_REPLACE	0x4	/* setxattr(2) XATTR_REPLACE */
#define FAMFS_CTL_X_ALL		0x7

#define FAMFS_CTL_DATA_MAX	8192	/* bytes of a long request's data */

/*
 * On a read-only mount the control file opens read-only and one request
 * is one ioctl: a struct famfs_ctl_dreq at the start of a buffer the size
 * of a reply, which comes back in it.
 */
#define FAMFS_CTL_IOC	_IOWR('f', 0x43, struct famfs_ctl_drep)

struct famfs_ctl_dreq {
	__le32	magic;			/* 0x000 FAMFS_CTL_MAGIC */
	__le32	op;			/* 0x004 FAMFS_CTL_* */
	__le32	flags;			/* 0x008 FAMFS_CTL_F_* */
	__le32	mode;			/* 0x00c permission bits */
	__le32	uid;			/* 0x010 */
	__le32	gid;			/* 0x014 */
	__le32	nstrips;		/* 0x018 interleave strips, 0 = contiguous */
	__le32	reserved;		/* 0x01c zero */
	__le64	size;			/* 0x020 bytes */
	__le64	chunk;			/* 0x028 interleave chunk */
	__u8	path[FAMFS_PATH_MAX + 1];	/* 0x030 relative, NUL-terminated */
	__u8	src[FAMFS_PATH_MAX + 1];	/* 0x430 clone source */
};

/* What follows the header of a long request (ops MKNODE..SETATTR). */
struct famfs_ctl_dext {
	__le32	rdev_major;		/* 0x000 MKNODE: device nodes only */
	__le32	rdev_minor;		/* 0x004 */
	__le64	mtime_sec;		/* 0x008 signed seconds */
	__le32	mtime_nsec;		/* 0x010 below 10^9 */
	__le32	ctime_nsec;		/* 0x014 below 10^9 */
	__le64	ctime_sec;		/* 0x018 0 and 0: the server's clock */
	__le32	valid;			/* 0x020 SETATTR: FAMFS_CTL_A_* */
	__le32	xflags;			/* 0x024 SETXATTR: FAMFS_CTL_X_* */
	__le32	data_len;		/* 0x028 bytes used of data */
	__le32	reserved;		/* 0x02c zero */
	__u8	data[FAMFS_CTL_DATA_MAX];	/* 0x030 MKNODE: symlink target
						 * (no NUL); SETXATTR: value */
};

struct famfs_ctl_dreq_long {
	struct famfs_ctl_dreq	base;	/* 0x000 src: LINK's existing name,
					 * SETXATTR's attribute name */
	struct famfs_ctl_dext	ext;	/* 0x830 */
};

struct famfs_ctl_drep {
	__le32	magic;			/* 0x000 FAMFS_CTL_MAGIC */
	__le32	err;			/* 0x004 positive errno, 0 on success */
	__le64	ino;			/* 0x008 inode of what was made */
	__le64	count;			/* 0x010 op-specific count */
	__le64	reserved;		/* 0x018 zero */
	char	msg[FAMFS_CTL_MSG];	/* 0x020 text or JSON, NUL-terminated */
};

/* Native forms. */
struct famfs_ctl_req {
	uint32_t op, flags, mode, uid, gid, nstrips;
	uint64_t size, chunk;
	char path[FAMFS_PATH_MAX + 1];
	char src[FAMFS_PATH_MAX + 1];
	/* long requests only; zero in short ones */
	uint32_t rdev_major, rdev_minor;
	struct famfs_time mtime, ctime;	/* ctime 0,0: the server's clock */
	uint32_t valid, xflags;		/* FAMFS_CTL_A_*, FAMFS_CTL_X_* */
	uint32_t data_len;
	uint8_t data[FAMFS_CTL_DATA_MAX + 1];	/* NUL after data_len bytes */
};

struct famfs_ctl_rep {
	int err;			/* positive errno */
	uint64_t ino, count;
	char msg[FAMFS_CTL_MSG];
};

#define FAMFS_CTL_BATCH_MAX	512	/* records of one batch */
#define FAMFS_CTL_BATCH_LEN	65536	/* bytes of one batch request */

struct famfs_ctl_dbatch {
	__le32	magic;			/* 0x000 FAMFS_CTL_MAGIC */
	__le32	op;			/* 0x004 FAMFS_CTL_BATCH */
	__le32	count;			/* 0x008 records that follow */
	__le32	len;			/* 0x00c bytes of the request, header
					 * included */
	__le64	reserved[2];		/* 0x010 zero */
};

struct famfs_ctl_drec {
	__le16	rec_len;		/* 0x000 bytes of the record, a
					 * multiple of 8, padding zero */
	__le16	op;			/* 0x002 CREATE..SETATTR, not 3..8 */
	__le16	path_len;		/* 0x004 bytes, no NUL */
	__le16	src_len;		/* 0x006 bytes, no NUL */
	__le32	data_len;		/* 0x008 bytes of data */
	__le32	flags;			/* 0x00c FAMFS_CTL_F_* */
	__le32	mode;			/* 0x010 */
	__le32	uid;			/* 0x014 */
	__le32	gid;			/* 0x018 */
	__le32	nstrips;		/* 0x01c */
	__le64	size;			/* 0x020 */
	__le64	chunk;			/* 0x028 */
	__le32	rdev_major;		/* 0x030 */
	__le32	rdev_minor;		/* 0x034 */
	__le64	mtime_sec;		/* 0x038 */
	__le32	mtime_nsec;		/* 0x040 */
	__le32	ctime_nsec;		/* 0x044 */
	__le64	ctime_sec;		/* 0x048 */
	__le32	valid;			/* 0x050 */
	__le32	xflags;			/* 0x054 */
	/* 0x058: path, src, data */
};

static inline int famfs_ctl_op_long(uint32_t op)
{
	return op >= FAMFS_CTL_FIRST_LONG && op != FAMFS_CTL_BATCH;
}

/* May @op be a record of a batch? */
static inline int famfs_ctl_op_batched(uint32_t op)
{
	return op == FAMFS_CTL_CREATE || op == FAMFS_CTL_MKDIR ||
	       (op >= FAMFS_CTL_MKNODE && op <= FAMFS_CTL_SETATTR);
}

int famfs_ctl_check_long(const struct famfs_ctl_req *r,
			 struct famfs_why *why);
void famfs_ctl_batch_init(void *buf);
int famfs_ctl_is_batch(const void *buf, size_t len);
void famfs_ctl_batch_drop(void *buf, uint32_t k);
int famfs_ctl_batch_add(void *buf, size_t cap, const struct famfs_ctl_req *r);
uint32_t famfs_ctl_batch_count(const void *buf);
size_t famfs_ctl_batch_len(const void *buf);
int famfs_ctl_batch_check(const void *buf, size_t len, uint32_t *count,
			  struct famfs_why *why);
int famfs_ctl_batch_next(const void *buf, size_t len, size_t *off,
			 struct famfs_ctl_req *r, struct famfs_why *why);
void famfs_ctl_batch_made_put(char *msg, size_t cap, const uint8_t *made,
			      uint32_t n);
size_t famfs_ctl_batch_made_len(const char *msg);
int famfs_ctl_batch_made(const char *msg, size_t len, uint32_t i);

void famfs_ctl_req_encode(const struct famfs_ctl_req *r,
			  struct famfs_ctl_dreq *d);
void famfs_ctl_req_encode_long(const struct famfs_ctl_req *r,
			       struct famfs_ctl_dreq_long *d);
int famfs_ctl_req_decode(const void *buf, size_t len,
			 struct famfs_ctl_req *r, struct famfs_why *why);
void famfs_ctl_rep_encode(const struct famfs_ctl_rep *r,
			  struct famfs_ctl_drep *d);
int famfs_ctl_rep_decode(const void *buf, size_t len,
			 struct famfs_ctl_rep *r, struct famfs_why *why);

static inline void famfs_check_ctl_layout(void)
{
	BUILD_BUG_ON(sizeof(struct famfs_ctl_dreq) != 0x830);
	BUILD_BUG_ON(offsetof(struct famfs_ctl_dreq, path) != 0x30);
	BUILD_BUG_ON(sizeof(struct famfs_ctl_drep) != 0x20 + FAMFS_CTL_MSG);
	BUILD_BUG_ON(sizeof(struct famfs_ctl_dext) != 0x30 + FAMFS_CTL_DATA_MAX);
	BUILD_BUG_ON(offsetof(struct famfs_ctl_dreq_long, ext) != 0x830);
	BUILD_BUG_ON(sizeof(struct famfs_ctl_dreq_long) != 0x2860);
	BUILD_BUG_ON(sizeof(struct famfs_ctl_dbatch) != 0x20);
	BUILD_BUG_ON(sizeof(struct famfs_ctl_drec) != 0x58);
	BUILD_BUG_ON(FAMFS_CTL_BATCH_MAX / 4 + 1 > FAMFS_CTL_MSG / 2);
}

#endif /* FAMFS_CTL_H */
