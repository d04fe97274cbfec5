// SPDX-License-Identifier: Apache-2.0
/*
 * State machine: name tables, the transition table and bounded stepping.
 *
 *   INIT -start-> PROBE -ok-> VALIDATE -ok-> REPLAY -ok-> MOUNT -ok-> SERVE
 *                            |  -blank/format-> FORMAT -ok-> VALIDATE
 *                            |                         -done-> STOP
 *                            -corrupt-> FSCK -ok-> REPLAY, -done-> STOP
 *   REPLAY -done-> STOP (check-only paths), -corrupt-> FSCK
 *   SERVE -ok-> HANDOFF -done-> STOP;  SERVE -done-> STOP
 *   any -error-> FAILED -done-> STOP;  any -term-> STOP
 */
#include <stdio.h>

#include "famfs_sm.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const char *const state_names[] = {
	[FAMFS_ST_INIT]		= "init",
	[FAMFS_ST_PROBE]	= "probe",
	[FAMFS_ST_VALIDATE]	= "validate",
	[FAMFS_ST_FORMAT]	= "format",
	[FAMFS_ST_REPLAY]	= "replay",
	[FAMFS_ST_FSCK]		= "fsck",
	[FAMFS_ST_MOUNT]	= "mount",
	[FAMFS_ST_SERVE]	= "serve",
	[FAMFS_ST_HANDOFF]	= "handoff",
	[FAMFS_ST_FAILED]	= "failed",
	[FAMFS_ST_STOP]		= "stop",
};

static const char *const event_names[] = {
	[FAMFS_EV_START]	= "start",
	[FAMFS_EV_OK]		= "ok",
	[FAMFS_EV_BLANK]	= "blank",
	[FAMFS_EV_FORMAT]	= "format",
	[FAMFS_EV_CORRUPT]	= "corrupt",
	[FAMFS_EV_DONE]		= "done",
	[FAMFS_EV_ERROR]	= "error",
	[FAMFS_EV_TERM]		= "term",
};

_Static_assert(ARRAY_SIZE(state_names) == _FAMFS_ST_MAX, "state names");
_Static_assert(ARRAY_SIZE(event_names) == _FAMFS_EV_MAX, "event names");

/*
 * Per-state rules, stored as state + 1 so that a missing rule reads as 0.
 * Global rules (error, term) are applied before these.
 */
#define TO(s) ((unsigned char)((s) + 1))
static const unsigned char transitions[_FAMFS_ST_MAX][_FAMFS_EV_MAX] = {
	[FAMFS_ST_INIT] = {
		[FAMFS_EV_START] = TO(FAMFS_ST_PROBE),
	},
	[FAMFS_ST_PROBE] = {
		[FAMFS_EV_OK] = TO(FAMFS_ST_VALIDATE),
	},
	[FAMFS_ST_VALIDATE] = {
		[FAMFS_EV_OK] = TO(FAMFS_ST_REPLAY),
		[FAMFS_EV_BLANK] = TO(FAMFS_ST_FORMAT),
		[FAMFS_EV_FORMAT] = TO(FAMFS_ST_FORMAT),
		[FAMFS_EV_CORRUPT] = TO(FAMFS_ST_FSCK),
		[FAMFS_EV_DONE] = TO(FAMFS_ST_STOP),
	},
	[FAMFS_ST_FORMAT] = {
		[FAMFS_EV_OK] = TO(FAMFS_ST_VALIDATE),
		[FAMFS_EV_DONE] = TO(FAMFS_ST_STOP),
	},
	[FAMFS_ST_REPLAY] = {
		[FAMFS_EV_OK] = TO(FAMFS_ST_MOUNT),
		[FAMFS_EV_CORRUPT] = TO(FAMFS_ST_FSCK),
		[FAMFS_EV_DONE] = TO(FAMFS_ST_STOP),
	},
	[FAMFS_ST_FSCK] = {
		[FAMFS_EV_OK] = TO(FAMFS_ST_REPLAY),
		[FAMFS_EV_DONE] = TO(FAMFS_ST_STOP),
	},
	[FAMFS_ST_MOUNT] = {
		[FAMFS_EV_OK] = TO(FAMFS_ST_SERVE),
	},
	[FAMFS_ST_SERVE] = {
		[FAMFS_EV_OK] = TO(FAMFS_ST_HANDOFF),
		[FAMFS_EV_DONE] = TO(FAMFS_ST_STOP),
	},
	[FAMFS_ST_HANDOFF] = {
		[FAMFS_EV_DONE] = TO(FAMFS_ST_STOP),
	},
	[FAMFS_ST_FAILED] = {
		[FAMFS_EV_DONE] = TO(FAMFS_ST_STOP),
	},
	[FAMFS_ST_STOP] = { 0 },
};

#undef TO

const char *famfs_state_name(enum famfs_state s)
{
	return (unsigned int)s < _FAMFS_ST_MAX ? state_names[s] : "invalid";
}

const char *famfs_event_name(enum famfs_event e)
{
	return (unsigned int)e < _FAMFS_EV_MAX ? event_names[e] : "invalid";
}

/* The transition rule: pure, no side effects. */
enum famfs_state famfs_step(enum famfs_state s, enum famfs_event e)
{
	if ((unsigned int)s >= _FAMFS_ST_MAX ||
	    (unsigned int)e >= _FAMFS_EV_MAX)
		return _FAMFS_ST_INVALID;
	if (s == FAMFS_ST_STOP)
		return _FAMFS_ST_INVALID;
	if (e == FAMFS_EV_TERM)
		return FAMFS_ST_STOP;
	if (e == FAMFS_EV_ERROR)
		return s == FAMFS_ST_FAILED ? FAMFS_ST_STOP : FAMFS_ST_FAILED;
	return transitions[s][e] ? (enum famfs_state)(transitions[s][e] - 1)
				 : _FAMFS_ST_INVALID;
}

void famfs_sm_init(struct famfs_sm *sm, const famfs_enter_fn *enter,
		   void *ctx, famfs_sm_log_fn log, void *log_arg)
{
	sm->state = FAMFS_ST_INIT;
	sm->prev = FAMFS_ST_INIT;
	sm->last_event = FAMFS_EV_START;
	sm->steps = 0;
	sm->enter = enter;
	sm->ctx = ctx;
	sm->log = log;
	sm->log_arg = log_arg;
}

void famfs_set_state(struct famfs_sm *sm, enum famfs_state next,
		     enum famfs_event why)
{
	char msg[96];

	if (sm->log) {
		snprintf(msg, sizeof(msg), "state %s -> %s (%s)",
			 famfs_state_name(sm->state), famfs_state_name(next),
			 famfs_event_name(why));
		sm->log(sm->log_arg, msg);
	}
	sm->prev = sm->state;
	sm->state = next;
	sm->last_event = why;
}

/*
 * Run from INIT until STOP.  A state without an entry action for this
 * command, or an event with no rule, is a program error: -EPROTO.  Returns
 * 0 when STOP was reached through any state but FAILED, -ECANCELED after
 * FAILED, -ELOOP when the step bound is hit.
 */
int famfs_sm_run(struct famfs_sm *sm)
{
	enum famfs_event ev = FAMFS_EV_START;
	int failed = 0;

	while (sm->steps++ < FAMFS_SM_MAX_STEPS) {
		enum famfs_state next = famfs_step(sm->state, ev);

		if (next == _FAMFS_ST_INVALID)
			return -EPROTO;
		failed |= next == FAMFS_ST_FAILED;
		famfs_set_state(sm, next, ev);
		if (next == FAMFS_ST_STOP)
			return failed ? -ECANCELED : 0;
		if (!sm->enter[next])
			return -EPROTO;
		ev = sm->enter[next](sm);
	}
	return -ELOOP;
}
