/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The explicit state machine every subcommand runs through (sm.c).
 *
 * Transition rules live in one (state, event) -> state table; entry actions
 * are supplied per command and return the next event.  famfs_sm_run() steps
 * a bounded number of times, logging every transition.
 */
#ifndef FAMFS_SM_H
#define FAMFS_SM_H

#include <errno.h>

enum famfs_state {
	FAMFS_ST_INIT,
	FAMFS_ST_PROBE,		/* find and open the device */
	FAMFS_ST_VALIDATE,	/* decode superblock and log header */
	FAMFS_ST_FORMAT,	/* write a new filesystem */
	FAMFS_ST_REPLAY,	/* apply the log */
	FAMFS_ST_FSCK,		/* check (and maybe repair) */
	FAMFS_ST_MOUNT,
	FAMFS_ST_SERVE,
	FAMFS_ST_HANDOFF,
	FAMFS_ST_FAILED,
	FAMFS_ST_STOP,
	_FAMFS_ST_MAX,
	_FAMFS_ST_INVALID = -EINVAL,
};

enum famfs_event {
	FAMFS_EV_START,
	FAMFS_EV_OK,		/* the entry action succeeded */
	FAMFS_EV_BLANK,		/* no filesystem on the device */
	FAMFS_EV_FORMAT,	/* a (re)format is wanted */
	FAMFS_EV_CORRUPT,	/* damage found */
	FAMFS_EV_DONE,		/* the command's goal is reached */
	FAMFS_EV_ERROR,		/* operational failure: global rule */
	FAMFS_EV_TERM,		/* SIGTERM or stop request: global rule */
	_FAMFS_EV_MAX,
	_FAMFS_EV_INVALID = -EINVAL,
};

struct famfs_sm;

/* Entry action: runs on entering a state, returns the next event. */
typedef enum famfs_event (*famfs_enter_fn)(struct famfs_sm *sm);
typedef void (*famfs_sm_log_fn)(void *arg, const char *msg);

struct famfs_sm {
	enum famfs_state state;
	enum famfs_state prev;
	enum famfs_event last_event;
	unsigned int steps;
	const famfs_enter_fn *enter;	/* [_FAMFS_ST_MAX], NULL = none */
	void *ctx;			/* the command's context */
	famfs_sm_log_fn log;
	void *log_arg;
};

#define FAMFS_SM_MAX_STEPS 64

const char *famfs_state_name(enum famfs_state s);
const char *famfs_event_name(enum famfs_event e);
enum famfs_state famfs_step(enum famfs_state s, enum famfs_event e);
void famfs_sm_init(struct famfs_sm *sm, const famfs_enter_fn *enter,
		   void *ctx, famfs_sm_log_fn log, void *log_arg);
void famfs_set_state(struct famfs_sm *sm, enum famfs_state next,
		     enum famfs_event why);
int famfs_sm_run(struct famfs_sm *sm);

#endif /* FAMFS_SM_H */
