/* SPDX-License-Identifier: Apache-2.0 */
/* The metadata log as an object: open, scan, append (log.c). */
#ifndef FAMFS_LOG_H
#define FAMFS_LOG_H

#include "famfs.h"

struct famfs_log {
	struct famfs_dev *dev;		/* not owned */
	uint8_t *base;			/* dev->base + log offset */
	struct famfs_log_info info;
	struct famfs_tail tail;		/* as last read or published */
	int slot_err[2];		/* decode result of each tail slot */
	int rolled;			/* tail includes the entry after a
					 * damaged newer slot */
	/* group commit: entries staged after the tail, not yet published */
	uint32_t npend;			/* how many */
	uint64_t pend_start;		/* offset of the first */
	uint64_t pend_off, pend_seq;	/* where the next one goes */
};

/* Result of a scan: the valid prefix and, if it stopped early, why. */
struct famfs_scan {
	uint64_t entries;		/* entries decoded and accepted */
	uint64_t end_off;		/* offset after the last of them */
	uint64_t next_seq;		/* sequence expected next */
	int err;			/* why the scan stopped, 0 at end */
	struct famfs_why why;
};

typedef int (*famfs_entry_fn)(void *arg, const struct famfs_entry *e,
			      uint64_t off);

int famfs_log_open(struct famfs_log *log, struct famfs_dev *dev,
		   const struct famfs_sb_info *sbi, struct famfs_why *why);
int famfs_log_read_tail(struct famfs_log *log, struct famfs_why *why);
int famfs_log_publish(struct famfs_log *log, uint64_t next_off,
		      uint64_t next_seq);
int famfs_log_scan(struct famfs_log *log, uint64_t off, uint64_t seq,
		   uint64_t end, famfs_entry_fn fn, void *arg,
		   struct famfs_scan *res);
uint64_t famfs_log_first_dirty(struct famfs_log *log, uint64_t off,
			       uint64_t end);
uint64_t famfs_log_zero_range(struct famfs_log *log, uint64_t off,
			      uint64_t end);
int famfs_log_lock(struct famfs_log *log);
void famfs_log_unlock(struct famfs_log *log);
int famfs_log_entry_fits(const struct famfs_log *log,
			 const struct famfs_entry *e, struct famfs_why *why);
uint64_t famfs_log_next_off(const struct famfs_log *log);
uint64_t famfs_log_next_seq(const struct famfs_log *log);
int famfs_log_stage(struct famfs_log *log, struct famfs_entry *e,
		    struct famfs_why *why);
uint32_t famfs_log_commit(struct famfs_log *log);
int famfs_log_append(struct famfs_log *log, struct famfs_entry *e,
		     struct famfs_why *why);

#endif /* FAMFS_LOG_H */
