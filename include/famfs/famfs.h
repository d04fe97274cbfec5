/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libfamfs: the famfs library.
 *
 * Conventions: functions return 0 (or a count) on success and a negative
 * errno on failure; they never print and never exit.  Where a caller needs
 * to tell the user *why*, the function fills an optional struct famfs_why.
 * Native structures below are the only form anything downstream of the
 * decoders reads; raw on-media bytes stay inside sb.c, log.c and entry.c.
 */
#ifndef FAMFS_FAMFS_H
#define FAMFS_FAMFS_H

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "famfs_format.h"

#define EFSCORRUPTED	EUCLEAN		/* structure is damaged */
#define EFSBADCRC	EBADMSG		/* checksum mismatch */

#define FAMFS_WHY_LEN	256

/* A one-line explanation of the last failure, filled by the library. */
struct famfs_why {
	char msg[FAMFS_WHY_LEN];
};

void famfs_why_set(struct famfs_why *why, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* crc.c */
uint32_t famfs_crc32c(uint32_t crc, const void *buf, size_t len);
uint32_t famfs_fs_seed(const uint8_t fs_uuid[16]);

/* Decoded superblock (sb.c). */
struct famfs_sb_info {
	uint32_t version;
	uint32_t flags;			/* FAMFS_SB_* */
	uint32_t compat, incompat, ro_compat;
	uint32_t dev_index;
	uint8_t fs_uuid[16];
	uint8_t dev_uuid[16];
	uint8_t master_uuid[16];
	uint8_t primary_uuid[16];
	uint64_t dev_size;
	uint64_t alloc_unit;
	uint64_t log_offset;
	uint64_t log_len;
	uint64_t data_offset;
	uint64_t mkfs_time;
	uint32_t torn_features;		/* decode only: the CRC was of a
					 * store that turned these on or off,
					 * cut (sb.c); incompat has them */
};

void famfs_sb_encode(const struct famfs_sb_info *sbi, void *buf);
int famfs_sb_decode(const void *buf, uint64_t dev_size,
		    struct famfs_sb_info *sbi, struct famfs_why *why);
int famfs_sb_is_primary(const struct famfs_sb_info *sbi);
int famfs_sb_ro_features(const struct famfs_sb_info *sbi);
uint64_t famfs_sb_granule(const struct famfs_sb_info *sbi);
uint64_t famfs_auto_log_len(uint64_t dev_size);
uint64_t famfs_data_offset(uint64_t log_offset, uint64_t log_len,
			   uint64_t alloc_unit);
uint64_t famfs_min_dev_size(uint64_t log_len, uint64_t alloc_unit);
int famfs_check_alloc_unit(uint64_t au, struct famfs_why *why);
int famfs_check_log_len(uint64_t log_len, struct famfs_why *why);
int famfs_check_geometry(uint64_t dev_size, uint64_t log_len,
			 uint64_t alloc_unit, struct famfs_why *why);

/* Decoded log header and tail record (log.c). */
struct famfs_log_info {
	uint8_t fs_uuid[16];
	uint64_t log_len;
	uint64_t entries_off;
	uint32_t entry_max;
	uint32_t seed;			/* famfs_fs_seed(fs_uuid) */
};

struct famfs_tail {
	uint64_t gen;
	uint64_t next_off;		/* log-relative */
	uint64_t next_seq;
};

uint32_t famfs_log_entry_max(uint32_t incompat);
void famfs_log_hdr_encode(const struct famfs_log_info *li, void *buf);
int famfs_log_hdr_decode(const void *buf, const struct famfs_sb_info *sbi,
			 struct famfs_log_info *li, struct famfs_why *why);
void famfs_tail_encode(const struct famfs_tail *t, uint32_t seed, void *buf);
int famfs_tail_decode(const void *buf, const struct famfs_log_info *li,
		      struct famfs_tail *t);

/* Native log entries (entry.c). */
struct famfs_extent {
	uint32_t dev;
	uint64_t offset;
	uint64_t len;
};

struct famfs_file_info {
	uint64_t size;
	uint64_t chunk;			/* interleave chunk, 0 if simple */
	uint32_t mode, uid, gid;
	uint32_t ext_type;		/* FAMFS_EXT_* */
	uint32_t nextents;		/* extents or strips */
	struct famfs_extent ext[FAMFS_MAX_STRIPS];
};

struct famfs_dir_info {
	uint32_t mode, uid, gid;
};

struct famfs_dev_info {
	uint8_t uuid[16];
	uint64_t size;
	uint32_t index;
};

/* A time as the log keeps it: signed seconds, nanoseconds below 10^9. */
struct famfs_time {
	int64_t sec;
	uint32_t nsec;
};

/* An INODE entry's attributes; its map, if any, is in ->file. */
struct famfs_inode_info {
	uint32_t mode;			/* S_IFMT type | 07777 */
	uint32_t uid, gid;
	uint32_t rdev_major, rdev_minor;
	struct famfs_time mtime, ctime;
};

/* An ATTR entry: the fields named by valid (FAMFS_ATTR_*). */
struct famfs_attr_info {
	uint32_t valid;
	uint32_t mode;			/* 07777 */
	uint32_t uid, gid;
	struct famfs_time mtime, ctime;
};

/* An XATTR entry: set name to value, or remove it (FAMFS_XATTR_REMOVE). */
struct famfs_xattr_info {
	uint32_t flags;
	uint32_t name_len;
	char name[FAMFS_XATTR_NAME_MAX + 1];
	uint32_t value_len;
	uint8_t value[FAMFS_XATTR_VALUE_MAX];
};

/*
 * A decoded entry.  FILE fills file; MKDIR dir; ADD_DAXDEV dev; INODE ino,
 * and for a regular file also file (its map; mode, uid and gid copied);
 * ATTR attr; XATTR xattr.  path is the name the entry makes or changes;
 * target is a symbolic link's target (INODE) or the existing name (LINK).
 */
struct famfs_entry {
	uint64_t seq;
	uint32_t type;			/* FAMFS_ENTRY_* */
	uint32_t len;			/* bytes on media */
	union {
		struct famfs_file_info file;
		struct famfs_dir_info dir;
		struct famfs_dev_info dev;
	};
	struct famfs_inode_info ino;
	struct famfs_attr_info attr;
	struct famfs_xattr_info xattr;
	uint32_t path_len;
	char path[FAMFS_PATH_MAX + 1];
	uint32_t target_len;
	char target[FAMFS_SYMLINK_MAX + 1];
};

int famfs_entry_size(const struct famfs_entry *e);
int famfs_entry_encode(const struct famfs_entry *e, uint32_t seed,
		       void *buf, size_t room, struct famfs_why *why);
int famfs_entry_decode(const void *buf, size_t room, uint64_t seq,
		       uint32_t seed, struct famfs_entry *e,
		       struct famfs_why *why);
int famfs_entry_set_path(struct famfs_entry *e, const char *path);
int famfs_entry_set_target(struct famfs_entry *e, const char *target);
uint32_t famfs_entry_features(const struct famfs_entry *e);
const char *famfs_feature_name(uint32_t bit);
int famfs_features_str(uint32_t mask, char *buf, size_t len);

/* path.c: relative paths as stored in the log */
int famfs_path_check(const char *path, size_t len, struct famfs_why *why);
int famfs_path_parent_len(const char *path, size_t len);

/* dev.c: a memory device (image file, /dev/pmemN, /dev/daxN.M) */
enum famfs_dev_kind {
	FAMFS_DEV_FILE,
	FAMFS_DEV_PMEM,
	FAMFS_DEV_DAX,
};

#define FAMFS_DEV_RDWR	0x1	/* map writable */
#define FAMFS_DEV_EXCL	0x2	/* exclusive lock: refuse if in use */

struct famfs_dev {
	int open;			/* fd and base belong to this struct */
	int fd;
	enum famfs_dev_kind kind;
	int flags;
	uint64_t size;
	uint8_t *base;			/* whole device, MAP_SHARED; for
					 * rwio a private copy (dev.c) */
	int rwio;			/* device-dax bound to fsdev_dax: no
					 * mmap, pread/pwrite behind base */
	char path[4096];
};

int famfs_dev_open(struct famfs_dev *dev, const char *path, int flags,
		   struct famfs_why *why);
int famfs_dev_open_mem(struct famfs_dev *dev, uint8_t *base, uint64_t size,
		       const char *name, struct famfs_why *why);
void famfs_dev_close(struct famfs_dev *dev);
int famfs_dev_share(struct famfs_dev *dev);
void famfs_flush(const void *addr, size_t len);
void famfs_invalidate(const void *addr, size_t len);
int famfs_dev_sync(struct famfs_dev *dev);
int famfs_dev_coherent(const struct famfs_dev *dev);
const char *famfs_dev_kind_name(enum famfs_dev_kind kind);
const char *famfs_dev_access_name(const struct famfs_dev *dev);

/* mounts.c: the mount table, /proc/self/mountinfo (or another file) */
#define FAMFS_MOUNTINFO	"/proc/self/mountinfo"
int famfs_dev_in_use(const char *path, struct famfs_why *why);
int famfs_dev_famfs_mount(const char *path, char *mnt, size_t len);
/* lib/devwait.c: a lock held by a famfs server whose mount is gone */
#define FAMFS_SERVER_EXIT_MS	5000	/* how long such a server is waited for */
int famfs_lock_wait_server(int fd, int op, const char *dev, unsigned int ms);
int famfs_mnt_info(const char *mnt, char *src, size_t srclen, char *type,
		   size_t typelen);
int famfs_mountinfo_dev(const char *mountinfo, const char *path,
			struct famfs_why *why);
int famfs_mountinfo_mnt(const char *mountinfo, const char *mnt, char *src,
			size_t srclen, char *type, size_t typelen);
int famfs_mountinfo_find(const char *mountinfo, const char *real,
			 const char *fstype, char *mnt, size_t mntlen);

/* uuid.c: "xxxxxxxx-xxxx-..." in lower case, NUL included */
#define FAMFS_UUID_STR	37
void famfs_uuid_str(const uint8_t u[16], char out[FAMFS_UUID_STR]);

/*
 * hostid.c: this host's system UUID, kept in @file (famfs.ini [host]
 * uuid_file, or $FAMFS_SYSTEM_UUID_FILE); created on first use if @create.
 */
int famfs_hostid_get(const char *file, int create, uint8_t uuid[16],
		     struct famfs_why *why);

#include "banned.h"

#endif /* FAMFS_FAMFS_H */
