// SPDX-License-Identifier: Apache-2.0
/*
 * The replay verdict: one place that decides what a replay result means.
 *
 *   replayed to the tail                     -> serve
 *   an entry does not decode                 -> serve the prefix, read only
 *   an entry does not apply (namespace,      -> serve the prefix, read only
 *     extents, device table), entries missing
 *   no memory                                -> refuse
 *   no tail record to trust                  -> refuse
 *   the log went backwards (re-created)      -> refuse
 *
 * A damaged entry in the middle leaves the entries before it intact (each
 * has its own checksum and sequence number), so they are served; nothing
 * may be appended after damage that replay cannot pass.
 */
#include "famfs_fs.h"
#include "famfs_verdict.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const char *const verdict_names[] = {
	[FAMFS_VERDICT_SERVE]	= "serve",
	[FAMFS_VERDICT_PREFIX]	= "serve-prefix",
	[FAMFS_VERDICT_REFUSE]	= "refuse",
};

static const char *const reason_names[] = {
	[FAMFS_VR_CLEAN]	= "clean",
	[FAMFS_VR_BAD_ENTRY]	= "bad-entry",
	[FAMFS_VR_BAD_APPLY]	= "bad-apply",
	[FAMFS_VR_NO_TAIL]	= "no-tail",
	[FAMFS_VR_OTHER_FS]	= "other-fs",
	[FAMFS_VR_NOMEM]	= "no-memory",
};

_Static_assert(ARRAY_SIZE(verdict_names) == _FAMFS_VERDICT_MAX, "verdicts");
_Static_assert(ARRAY_SIZE(reason_names) == _FAMFS_VR_MAX, "reasons");

const char *famfs_verdict_name(enum famfs_verdict v)
{
	return (unsigned int)v < _FAMFS_VERDICT_MAX ? verdict_names[v] : "invalid";
}

const char *famfs_verdict_reason_name(enum famfs_verdict_reason r)
{
	return (unsigned int)r < _FAMFS_VR_MAX ? reason_names[r] : "invalid";
}

static enum famfs_verdict_reason reason_of(const struct famfs_replay_result *r)
{
	if (r->rc >= 0)
		return FAMFS_VR_CLEAN;
	if (r->rc == -ENOMEM)
		return FAMFS_VR_NOMEM;
	if (r->entry_err)
		return FAMFS_VR_BAD_ENTRY;
	/* the tail is read before any entry: only it fails these ways */
	if (r->rc == -EFSBADCRC)
		return FAMFS_VR_NO_TAIL;
	if (r->rc == -ESTALE)
		return FAMFS_VR_OTHER_FS;
	/* what an entry's apply returns (EEXIST, ENOENT, EFSCORRUPTED...) */
	return FAMFS_VR_BAD_APPLY;
}

enum famfs_verdict famfs_replay_verdict(const struct famfs_replay_result *r,
					enum famfs_verdict_reason *reason)
{
	enum famfs_verdict_reason why = reason_of(r);

	if (reason)
		*reason = why;
	switch (why) {
	case FAMFS_VR_CLEAN:
		return FAMFS_VERDICT_SERVE;
	case FAMFS_VR_BAD_ENTRY:
	case FAMFS_VR_BAD_APPLY:
		return FAMFS_VERDICT_PREFIX;
	default:
		return FAMFS_VERDICT_REFUSE;
	}
}

/* Replay what is new in @fs and judge it; @why says where it stopped. */
enum famfs_verdict famfs_fs_replay_judged(struct famfs_fs *fs,
					  struct famfs_replay_result *r,
					  enum famfs_verdict_reason *reason,
					  struct famfs_why *why)
{
	struct famfs_scan scan = { 0 };

	r->rc = famfs_fs_replay(fs, &scan, why);
	r->entry_err = r->rc < 0 ? scan.err : 0;
	r->served = fs->applied_seq;
	return famfs_replay_verdict(r, reason);
}
