// SPDX-License-Identifier: Apache-2.0
/*
 * The running server's own state machine (famfs_server_machine):
 *
 *   init -ok-> serving        init -corrupt-> damaged    (mount's verdict)
 *   serving -changed-> refreshing      damaged -changed-> refreshing
 *   refreshing -ok-> serving   -corrupt-> damaged   -stale-> stale
 *   serving, damaged, stale -term-> stopping -done-> stop
 *   any -error-> stopping
 *
 * serving: the whole log is replayed.  refreshing: the log moved on (a
 * lookup miss, a listing, a logplay): replaying what is new, under the
 * write lock.  damaged: replay stops at an entry it cannot pass
 * (famfs_replay_verdict() says serve-prefix); the entries before it are
 * served, creates are refused.  stale: the log is no longer this
 * filesystem's (re-created, or no tail record to trust); everything but
 * .meta answers ESTALE.  stopping: the request loop ended.  Transitions
 * happen under ->lock (write); famfs status reports the state.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>

#include "famfs_verdict.h"
#include "server_priv.h"

int famfs_srv_is_stale(struct famfs_server *srv)
{
	return __atomic_load_n(&srv->sm.state, __ATOMIC_RELAXED) == SRV_ST_STALE;
}

int famfs_srv_is_damaged(struct famfs_server *srv)
{
	return __atomic_load_n(&srv->sm.state, __ATOMIC_RELAXED) == SRV_ST_DAMAGED;
}

/*
 * The cheap check, under the read lock on a private copy of the log state:
 * 1 if the log header is intact and the tail is where replay left it, 0 if
 * there is something to do, -ESTALE once the mount is stale.
 */
static int up_to_date(struct famfs_server *srv)
{
	struct famfs_fs *fs = srv->fs;
	struct famfs_log_info li;
	struct famfs_log log;
	uint64_t applied;
	int rc = 0;

	if (famfs_srv_is_stale(srv))
		return -ESTALE;
	pthread_rwlock_rdlock(&srv->lock);
	log = fs->log;
	applied = fs->applied_seq;
	pthread_rwlock_unlock(&srv->lock);
	famfs_invalidate(log.base, FAMFS_LOG_HDR_SIZE);
	if (!famfs_log_hdr_decode(log.base, &fs->sb, &li, NULL) &&
	    !famfs_log_read_tail(&log, NULL))
		rc = log.tail.next_seq == applied;
	return rc;
}

/*
 * refreshing: re-read the log header and the tail, replay what is new and
 * judge the result as mount does.  ->lock held for writing.
 */
static enum famfs_event srv_refreshing(struct famfs_sm *sm)
{
	struct famfs_server *srv = sm->ctx;
	struct famfs_fs *fs = srv->fs;
	struct famfs_replay_result res = { 0 };
	enum famfs_verdict_reason reason;
	struct famfs_why why = { "" };
	struct famfs_log_info li;
	uint64_t before = fs->applied_seq;
	enum famfs_verdict v;

	famfs_invalidate(fs->log.base, FAMFS_LOG_HDR_SIZE);
	res.rc = famfs_log_hdr_decode(fs->log.base, &fs->sb, &li, &why);
	res.served = before;
	if (res.rc)
		v = famfs_replay_verdict(&res, &reason);
	else
		v = famfs_fs_replay_judged(fs, &res, &reason, &why);
	srv->refreshed = fs->applied_seq - before;
	if (srv->refreshed) {
		__atomic_add_fetch(&srv->n_replay, 1, __ATOMIC_RELAXED);
		srv_log(srv, LOG_INFO, "refresh", "refreshed: %" PRIu64 " new log entries replayed, %" PRIu64 " in all",
			srv->refreshed, fs->applied_seq);
	}
	if (v == FAMFS_VERDICT_SERVE) {
		srv->damage_why[0] = 0;
		return FAMFS_EV_OK;
	}
	if (v == FAMFS_VERDICT_REFUSE && reason != FAMFS_VR_NOMEM) {
		srv_log(srv, LOG_ERR, NULL, "the log is no longer this filesystem's; its files are refused (ESTALE): %s",
			why.msg);
		snprintf(srv->stale_why, sizeof(srv->stale_why), "%s", why.msg);
		return FAMFS_EV_STALE;
	}
	/* serve-prefix: what was replayed stays served; so it does when
	 * there was no memory to replay more */
	srv_log(srv, LOG_ERR, "log-damage", "replay stopped at damage in the log (run famfs fsck): %s",
		why.msg);
	snprintf(srv->damage_why, sizeof(srv->damage_why), "%s", why.msg);
	return FAMFS_EV_CORRUPT;
}

/*
 * Attributes are cached for the mount's timeout (a year by default): after
 * a replay applied LINK, XATTR or ATTR entries (node->changed > @since),
 * the kernel forgets the attributes and ACLs it caches for those inodes,
 * so the next stat or permission check asks again.  Offset -1 touches no
 * page cache and sends no request back: safe from a request handler.
 */
void famfs_srv_invalidate(struct famfs_server *srv, uint64_t since)
{
	const struct famfs_ns *ns = &srv->fs->ns;
	uint64_t *inos, n = 0, count;

	pthread_rwlock_rdlock(&srv->lock);
	count = ns->changed_max > since ? ns->count + 1 : 0;	/* else none */
	inos = malloc((count ? count : 1) * sizeof(*inos));
	for (uint64_t ino = FAMFS_ROOT_INO; inos && ino <= count; ino++) {
		const struct famfs_node *x = famfs_ns_by_ino(ns, ino);

		if (x && x->changed > since)
			inos[n++] = ino;
	}
	pthread_rwlock_unlock(&srv->lock);
	if (!inos && srv->se)
		srv_log(srv, LOG_ERR, "inval", "no memory to invalidate cached attributes: changed ones show after the attribute timeout");
	for (uint64_t i = 0; srv->se && i < n; i++)
		fuse_lowlevel_notify_inval_inode(srv->se, inos[i], -1, 0);
	free(inos);
}

/*
 * Catch up with the log (see srv_refreshing).  Returns the number of
 * entries applied (0 also when replay stops at damage: the prefix stays
 * served and damage_why says where), or -ESTALE once the mount is stale.
 */
int famfs_srv_refresh(struct famfs_server *srv)
{
	uint64_t before;
	int rc = up_to_date(srv);

	if (rc)
		return rc < 0 ? rc : 0;
	pthread_rwlock_wrlock(&srv->lock);
	before = srv->fs->applied_seq;
	if (srv->sm.state == SRV_ST_STALE) {
		rc = -ESTALE;
	} else {
		srv->refreshed = 0;
		rc = famfs_sm_post(&srv->sm, FAMFS_EV_CHANGED);
		if (!rc)
			rc = srv->sm.state == SRV_ST_STALE ? -ESTALE :
			     (int)srv->refreshed;
	}
	pthread_rwlock_unlock(&srv->lock);
	if (rc > 0)
		famfs_srv_invalidate(srv, before);
	return rc;
}

/* Is our filesystem still mounted at the mount point? */
static int still_mounted(const struct famfs_server *srv)
{
	char src[4096], type[64];

	return famfs_mnt_info(srv->opts.mnt, src, sizeof(src), type,
			      sizeof(type)) == 1 &&
	       !strcmp(type, "fuse.famfs") && !strcmp(src, srv->fs->dev.path);
}

/* stopping: a signal ended the loop while still mounted: unmount lazily. */
static enum famfs_event srv_stopping(struct famfs_sm *sm)
{
	struct famfs_server *srv = sm->ctx;

	if (still_mounted(srv)) {
		srv_log(srv, LOG_NOTICE, NULL, "stopping on a signal: unmounting");
		umount2(srv->opts.mnt, MNT_DETACH);
	} else {
		srv_log(srv, LOG_NOTICE, NULL, "stopping: unmounted");
	}
	return FAMFS_EV_DONE;
}

#define EV(e) FAMFS_EV(FAMFS_EV_##e)

static const struct famfs_sm_state srv_states[] = {
	[SRV_ST_INIT] = { "init", NULL, NULL, 0, EV(OK) | EV(CORRUPT) },
	[SRV_ST_SERVING] = { "serving", NULL, NULL, 0, EV(CHANGED) | EV(TERM) },
	[SRV_ST_REFRESHING] = { "refreshing", srv_refreshing, NULL,
				EV(OK) | EV(CORRUPT) | EV(STALE), 0 },
	[SRV_ST_DAMAGED] = { "damaged", NULL, NULL, 0, EV(CHANGED) | EV(TERM) },
	[SRV_ST_STALE] = { "stale", NULL, NULL, 0, EV(TERM) },
	[SRV_ST_STOPPING] = { "stopping", srv_stopping, NULL, EV(DONE), 0 },
	[SRV_ST_STOP] = { "stop", NULL, NULL, 0, 0 },
};

_Static_assert(sizeof(srv_states) / sizeof(srv_states[0]) == _SRV_ST_MAX,
	       "server state table");

static const struct famfs_sm_rule srv_rules[] = {
	{ SRV_ST_INIT, FAMFS_EV_OK, SRV_ST_SERVING },
	{ SRV_ST_INIT, FAMFS_EV_CORRUPT, SRV_ST_DAMAGED },
	{ SRV_ST_SERVING, FAMFS_EV_CHANGED, SRV_ST_REFRESHING },
	{ SRV_ST_DAMAGED, FAMFS_EV_CHANGED, SRV_ST_REFRESHING },
	{ SRV_ST_REFRESHING, FAMFS_EV_OK, SRV_ST_SERVING },
	{ SRV_ST_REFRESHING, FAMFS_EV_CORRUPT, SRV_ST_DAMAGED },
	{ SRV_ST_REFRESHING, FAMFS_EV_STALE, SRV_ST_STALE },
	{ SRV_ST_STOPPING, FAMFS_EV_DONE, SRV_ST_STOP },
};

const struct famfs_sm_def famfs_server_machine =
	FAMFS_SM_DEF("server", srv_states, srv_rules, SRV_ST_INIT, SRV_ST_STOP,
		     SRV_ST_STOPPING, SRV_ST_STOPPING);

/* Start the machine with mount's verdict: the whole log, or a prefix. */
void famfs_srv_sm_start(struct famfs_server *srv)
{
	famfs_sm_init(&srv->sm, &famfs_server_machine, srv, srv->opts.log,
		      srv->opts.log_arg);
	if (srv->opts.damage)
		snprintf(srv->damage_why, sizeof(srv->damage_why), "%s",
			 srv->opts.damage);
	famfs_sm_post(&srv->sm, srv->opts.damage ? FAMFS_EV_CORRUPT :
			FAMFS_EV_OK);
}

/* The request loop ended: unmount if still mounted, stop. */
void famfs_srv_sm_stop(struct famfs_server *srv)
{
	pthread_rwlock_wrlock(&srv->lock);
	famfs_sm_post(&srv->sm, FAMFS_EV_TERM);
	pthread_rwlock_unlock(&srv->lock);
}
