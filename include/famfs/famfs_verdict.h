/* SPDX-License-Identifier: Apache-2.0 */
/*
 * One replay verdict (verdict.c): what a replay result means for serving.
 * mount, the server's refresh and init (through the server it starts) all
 * judge with famfs_replay_verdict(); docs/format.md "Replay verdict".
 */
#ifndef FAMFS_VERDICT_H
#define FAMFS_VERDICT_H

#include <stdint.h>

/* What a replay returned; filled by famfs_fs_replay_judged(). */
struct famfs_replay_result {
	int rc;			/* famfs_fs_replay(): entries applied or -errno */
	int entry_err;		/* the scan stopped at an entry that does not
				 * decode (its -errno), 0 otherwise */
	uint64_t served;	/* entries in the namespace afterwards */
};

enum famfs_verdict {
	FAMFS_VERDICT_SERVE,	/* the whole log replayed: serve it */
	FAMFS_VERDICT_PREFIX,	/* serve the entries before the damage, read
				 * only: creates are refused */
	FAMFS_VERDICT_REFUSE,	/* nothing can be served */
	_FAMFS_VERDICT_MAX,
};

enum famfs_verdict_reason {
	FAMFS_VR_CLEAN,		/* nothing wrong */
	FAMFS_VR_BAD_ENTRY,	/* an entry does not decode (checksum, ...) */
	FAMFS_VR_BAD_APPLY,	/* an entry breaks the replay rules (any
				 * other -errno), or the tail counts entries
				 * that are not there */
	FAMFS_VR_NO_TAIL,	/* both tail records (or the log header) fail
				 * their checksum: the committed end is unknown */
	FAMFS_VR_OTHER_FS,	/* the log went backwards or is another
				 * filesystem's: re-created */
	FAMFS_VR_NOMEM,
	_FAMFS_VR_MAX,
};

struct famfs_fs;
struct famfs_why;

enum famfs_verdict famfs_replay_verdict(const struct famfs_replay_result *r,
					enum famfs_verdict_reason *reason);
const char *famfs_verdict_name(enum famfs_verdict v);
const char *famfs_verdict_reason_name(enum famfs_verdict_reason r);
enum famfs_verdict famfs_fs_replay_judged(struct famfs_fs *fs,
					  struct famfs_replay_result *r,
					  enum famfs_verdict_reason *reason,
					  struct famfs_why *why);

#endif /* FAMFS_VERDICT_H */
