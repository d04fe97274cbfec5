/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The state machine engine (sm.c), shared by every command and the server.
 *
 * Each user declares its own machine (struct famfs_sm_def): its states,
 * each with a name, an entry action that returns the next event, an exit
 * action for cleanup, the events the entry action may return (emits) and
 * the events posted to it from outside while it waits (accepts); and its
 * (state, event) -> state rules.  Two global rules are checked first:
 * ERROR goes to the machine's failure state (from there: to STOP), TERM to
 * its termination state.  An entry action returning FAMFS_EV_NONE waits
 * for an event posted with famfs_sm_post().  Every transition is logged as
 * "state X -> Y (event)".
 */
#ifndef FAMFS_SM_H
#define FAMFS_SM_H

#include <errno.h>

enum famfs_event {
	FAMFS_EV_NONE,		/* no event: wait for one to be posted */
	FAMFS_EV_START,		/* the machine starts */
	FAMFS_EV_OK,		/* the entry action succeeded */
	FAMFS_EV_BLANK,		/* no filesystem on the device */
	FAMFS_EV_FORMAT,	/* a format is wanted */
	FAMFS_EV_KILL,		/* only invalidate the superblock (mkfs -k) */
	FAMFS_EV_CORRUPT,	/* damage found */
	FAMFS_EV_SERVE,		/* this process is the server */
	FAMFS_EV_CHANGED,	/* the log moved on: catch up */
	FAMFS_EV_STALE,		/* the log is no longer this filesystem's */
	FAMFS_EV_AGAIN,		/* a transient failure: as before, retry later */
	FAMFS_EV_DONE,		/* the goal is reached */
	FAMFS_EV_ERROR,		/* operational failure: global rule */
	FAMFS_EV_TERM,		/* stop request: global rule */
	_FAMFS_EV_MAX,
};

#define FAMFS_EV(e)	(1u << (e))

struct famfs_sm;

/* Entry action: runs on entering a state, returns the next event. */
typedef enum famfs_event (*famfs_enter_fn)(struct famfs_sm *sm);
/* Exit action: runs on leaving a state, told which event leaves it. */
typedef void (*famfs_exit_fn)(struct famfs_sm *sm, enum famfs_event why);
typedef void (*famfs_sm_log_fn)(void *arg, const char *msg);

struct famfs_sm_state {
	const char *name;
	famfs_enter_fn enter;	/* NULL: waits (and emits nothing) */
	famfs_exit_fn exit;	/* NULL: nothing to undo */
	unsigned int emits;	/* FAMFS_EV() bits enter may return */
	unsigned int accepts;	/* FAMFS_EV() bits posted while here */
};

struct famfs_sm_rule {
	unsigned char from;
	unsigned char ev;
	unsigned char to;
};

#define FAMFS_SM_NONE	(-1)

struct famfs_sm_def {
	const char *name;
	const struct famfs_sm_state *states;
	unsigned int nstates;
	const struct famfs_sm_rule *rules;
	unsigned int nrules;
	int start;		/* the state the machine is created in */
	int stop;		/* final: no rule leaves it */
	int on_error;		/* target of ERROR, or FAMFS_SM_NONE */
	int on_term;		/* target of TERM, or FAMFS_SM_NONE */
};

/* A definition from its state and rule arrays (sized here). */
#define FAMFS_SM_DEF(nm, st, ru, s0, s1, err, term) {			\
	.name = (nm), .states = (st),					\
	.nstates = sizeof(st) / sizeof((st)[0]),			\
	.rules = (ru), .nrules = sizeof(ru) / sizeof((ru)[0]),		\
	.start = (s0), .stop = (s1), .on_error = (err), .on_term = (term), \
}

struct famfs_sm {
	const struct famfs_sm_def *def;
	int state;
	int prev;
	enum famfs_event last_event;
	unsigned int steps;
	int failed;		/* on_error was entered */
	void *ctx;		/* the user's context */
	famfs_sm_log_fn log;
	void *log_arg;
};

#define FAMFS_SM_MAX_STEPS 64

const char *famfs_event_name(enum famfs_event e);
const char *famfs_sm_state_name(const struct famfs_sm_def *def, int s);
int famfs_sm_next(const struct famfs_sm_def *def, int s, enum famfs_event e);
void famfs_sm_init(struct famfs_sm *sm, const struct famfs_sm_def *def,
		   void *ctx, famfs_sm_log_fn log, void *log_arg);
void famfs_set_state(struct famfs_sm *sm, int next, enum famfs_event why);
int famfs_sm_post(struct famfs_sm *sm, enum famfs_event ev);
int famfs_sm_run(struct famfs_sm *sm);

static inline const char *famfs_sm_name(const struct famfs_sm *sm)
{
	return famfs_sm_state_name(sm->def, sm->state);
}

#endif /* FAMFS_SM_H */
