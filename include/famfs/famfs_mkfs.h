/* SPDX-License-Identifier: Apache-2.0 */
/* Formatting (mkfs.c). */
#ifndef FAMFS_MKFS_H
#define FAMFS_MKFS_H

#include "famfs.h"

struct famfs_mkfs_opts {
	uint64_t log_len;		/* 0: default */
	uint64_t alloc_unit;		/* 0: default */
	uint8_t master_uuid[16];	/* system UUID of the master host */
	uint8_t fs_uuid[16];		/* all zero: generate */
	uint8_t dev_uuid[16];		/* all zero: generate */
	uint64_t mkfs_time;		/* seconds since the epoch */
	int first_release;		/* no feature bits: the 0.1 format */
};

int famfs_mkfs_plan(const struct famfs_dev *dev,
		    const struct famfs_mkfs_opts *o, struct famfs_sb_info *sbi,
		    struct famfs_why *why);
int famfs_mkfs_write(struct famfs_dev *dev, const struct famfs_sb_info *sbi,
		     struct famfs_why *why);
int famfs_mkfs_plan_secondary(const struct famfs_dev *dev,
			      const struct famfs_sb_info *primary,
			      uint32_t index, struct famfs_sb_info *sbi,
			      struct famfs_why *why);
int famfs_mkfs_write_secondary(struct famfs_dev *dev,
			       const struct famfs_sb_info *sbi,
			       struct famfs_why *why);
int famfs_kill_super(struct famfs_dev *dev, struct famfs_why *why);

#endif /* FAMFS_MKFS_H */
