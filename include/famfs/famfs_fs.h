/* SPDX-License-Identifier: Apache-2.0 */
/* An opened filesystem: device, superblock, log, namespace (fs.c). */
#ifndef FAMFS_FS_H
#define FAMFS_FS_H

#include <pthread.h>

#include "famfs.h"
#include "famfs_alloc.h"
#include "famfs_log.h"
#include "famfs_ns.h"

/* Where a device of the log stands on this host (devset.c). */
enum famfs_devstate {
	FAMFS_DS_UNKNOWN,		/* not looked for yet */
	FAMFS_DS_FOUND,			/* ->dev is open */
	FAMFS_DS_MISSING,		/* no candidate has its UUID */
	FAMFS_DS_MISMATCH,		/* its UUID, but a superblock that disagrees */
};

/*
 * A device as the log knows it: index -> UUID and size; the first three
 * fields never change once the slot exists.  ->dev is published with a
 * release store and read with an acquire load: once set it stays until
 * famfs_fs_close().  ->state and ->why change under fs->dev_lock.
 */
struct famfs_devslot {
	uint8_t uuid[16];
	uint64_t size;
	uint64_t data_offset;
	struct famfs_dev *dev;		/* [0] is &fs->dev */
	enum famfs_devstate state;
	char why[FAMFS_WHY_LEN + 96];	/* why not found (MISSING, MISMATCH) */
};

#define FAMFS_MAX_SCAN	(2 * FAMFS_MAX_DEVICES + 4)

/* What was wrong with an entry that replay could not apply cleanly. */
enum famfs_apply_err {
	FAMFS_AE_NONE,
	FAMFS_AE_NAMESPACE,		/* duplicate path, missing parent */
	FAMFS_AE_DEVICE,		/* unknown device index */
	FAMFS_AE_RANGE,			/* extent outside its device */
	FAMFS_AE_META,			/* extent over superblock or log */
	FAMFS_AE_ALIGN,			/* extent not on allocation units */
	FAMFS_AE_CROSSLINK,		/* space already used (node added) */
	FAMFS_AE_DEVTAB,		/* ADD_DAXDEV breaks the table rules */
	FAMFS_AE_FEATURE,		/* a kind the superblock does not enable */
	FAMFS_AE_NOMEM,
};

struct famfs_fs {
	struct famfs_dev dev;		/* primary device */
	struct famfs_sb_info sb;
	struct famfs_log log;
	struct famfs_ns ns;
	uint32_t ndevs;			/* grows by release stores */
	struct famfs_devslot devs[FAMFS_MAX_DEVICES];
	pthread_mutex_t dev_lock;	/* resolution of devs[].dev */
	char *scan[FAMFS_MAX_SCAN];	/* candidate paths and globs */
	unsigned int nscan;
	int scan_image_dir;		/* also the primary image's directory */
	struct famfs_bitmap bmap[FAMFS_MAX_DEVICES];
	uint64_t pack_unit[FAMFS_MAX_DEVICES];	/* unit that takes small
						 * files now, 0: none; a hint
						 * (create.c, log lock) */
	uint64_t applied_seq;		/* entries applied */
	uint64_t applied_off;		/* log offset after them */
	uint64_t crosslinks;		/* files applied over used space */
	int batch;			/* in famfs_fs_batch_begin..end: log
					 * lock held, entries staged (create.c) */
};

int famfs_fs_open(struct famfs_fs *fs, const char *path, int devflags,
		  struct famfs_why *why);
int famfs_fs_open_mem(struct famfs_fs *fs, uint8_t *base, uint64_t size,
		      const char *name, struct famfs_why *why);
int famfs_fs_attach(struct famfs_fs *fs, struct famfs_why *why);
void famfs_fs_close(struct famfs_fs *fs);
int famfs_fs_apply(struct famfs_fs *fs, const struct famfs_entry *e,
		   enum famfs_apply_err *kind, struct famfs_why *why);
int famfs_fs_replay(struct famfs_fs *fs, struct famfs_scan *res,
		    struct famfs_why *why);
int famfs_fs_mkdir(struct famfs_fs *fs, const char *path, uint32_t mode,
		   uint32_t uid, uint32_t gid, struct famfs_why *why);
/* How a file is laid out: contiguous (nstrips 0) or interleaved. */
struct famfs_layout {
	uint32_t nstrips;
	uint64_t chunk;
};

int famfs_fs_batch_begin(struct famfs_fs *fs, struct famfs_why *why);
uint32_t famfs_fs_batch_end(struct famfs_fs *fs);
int famfs_fs_mkfile(struct famfs_fs *fs, const char *path, uint64_t size,
		    uint32_t mode, uint32_t uid, uint32_t gid,
		    struct famfs_why *why);
int famfs_fs_mkfile_layout(struct famfs_fs *fs, const char *path,
			   uint64_t size, uint32_t mode, uint32_t uid,
			   uint32_t gid, const struct famfs_layout *lay,
			   struct famfs_why *why);
int famfs_fs_clone(struct famfs_fs *fs, const char *src, const char *dst,
		   struct famfs_why *why);
/* create_node.c: every kind of inode, hard links, xattrs, attributes */
#define FAMFS_SETX_CREATE	0x10000u	/* setxattr(2)'s XATTR_CREATE */
#define FAMFS_SETX_REPLACE	0x20000u	/* and XATTR_REPLACE */
struct famfs_time famfs_now(void);
int famfs_fs_mknode(struct famfs_fs *fs, const char *path,
		    const struct famfs_inode_info *a, uint64_t size,
		    const struct famfs_layout *lay, const char *target,
		    struct famfs_why *why);
int famfs_fs_link(struct famfs_fs *fs, const char *path,
		  const char *existing, struct famfs_why *why);
int famfs_fs_setxattr(struct famfs_fs *fs, const char *path,
		      const char *name, const void *value, uint32_t len,
		      uint32_t flags, struct famfs_why *why);
int famfs_fs_setattr(struct famfs_fs *fs, const char *path,
		     const struct famfs_attr_info *a, struct famfs_why *why);
int famfs_fs_add_device(struct famfs_fs *fs, struct famfs_dev *dev,
			int force, uint32_t *index, struct famfs_why *why);
uint64_t famfs_fs_capacity(const struct famfs_fs *fs);

/* devset.c: index -> UUID -> a device of this host */
int famfs_fs_set_scan(struct famfs_fs *fs, const char *const *pats,
		      unsigned int n, int image_dir);
int famfs_fs_dev(struct famfs_fs *fs, uint32_t index, struct famfs_dev **out,
		 struct famfs_why *why);
int famfs_fs_dev_peek(const struct famfs_fs *fs, uint32_t index,
		      struct famfs_dev **out);
uint32_t famfs_fs_ndevs(const struct famfs_fs *fs);
int famfs_fs_index_of(const struct famfs_fs *fs, const char *path);
int famfs_fs_file_devs(struct famfs_fs *fs, const struct famfs_fmap *m,
		       struct famfs_why *why);
int famfs_secondary_match(const struct famfs_fs *fs, uint32_t index,
			  const struct famfs_sb_info *sb,
			  struct famfs_why *why);
void famfs_fs_close_devs(struct famfs_fs *fs);
uint64_t famfs_fs_used(const struct famfs_fs *fs);

#endif /* FAMFS_FS_H */
