// SPDX-License-Identifier: Apache-2.0
/*
 * State machine engine: event names, the transition rule of a machine
 * definition (global rules first), one set_state that logs, and bounded
 * stepping.  The machines themselves are declared by their users (the
 * commands in cmd/, the server in server/).
 */
#include <stdio.h>

#include "famfs_sm.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const char *const event_names[] = {
	[FAMFS_EV_NONE]		= "none",
	[FAMFS_EV_START]	= "start",
	[FAMFS_EV_OK]		= "ok",
	[FAMFS_EV_BLANK]	= "blank",
	[FAMFS_EV_FORMAT]	= "format",
	[FAMFS_EV_KILL]		= "kill",
	[FAMFS_EV_CORRUPT]	= "corrupt",
	[FAMFS_EV_SERVE]	= "serve",
	[FAMFS_EV_CHANGED]	= "changed",
	[FAMFS_EV_STALE]	= "stale",
	[FAMFS_EV_AGAIN]	= "again",
	[FAMFS_EV_DONE]		= "done",
	[FAMFS_EV_ERROR]	= "error",
	[FAMFS_EV_TERM]		= "term",
};

_Static_assert(ARRAY_SIZE(event_names) == _FAMFS_EV_MAX, "event names");
_Static_assert(_FAMFS_EV_MAX <= 32, "events are bits of an unsigned int");

const char *famfs_event_name(enum famfs_event e)
{
	return (unsigned int)e < _FAMFS_EV_MAX ? event_names[e] : "invalid";
}

const char *famfs_sm_state_name(const struct famfs_sm_def *def, int s)
{
	if (s < 0 || (unsigned int)s >= def->nstates || !def->states[s].name)
		return "invalid";
	return def->states[s].name;
}

/*
 * The transition rule: pure, no side effects.  -EINVAL for an unknown
 * state or event, -ENOENT when no rule applies (STOP has none).
 */
int famfs_sm_next(const struct famfs_sm_def *def, int s, enum famfs_event e)
{
	if (s < 0 || (unsigned int)s >= def->nstates ||
	    (unsigned int)e >= _FAMFS_EV_MAX)
		return -EINVAL;
	if (s == def->stop || e == FAMFS_EV_NONE)
		return -ENOENT;
	if (e == FAMFS_EV_ERROR && def->on_error != FAMFS_SM_NONE)
		return s == def->on_error ? def->stop : def->on_error;
	if (e == FAMFS_EV_TERM && def->on_term != FAMFS_SM_NONE)
		return s == def->on_term ? def->stop : def->on_term;
	for (unsigned int i = 0; i < def->nrules; i++) {
		const struct famfs_sm_rule *r = &def->rules[i];

		if (r->from == s && r->ev == e)
			return r->to;
	}
	return -ENOENT;
}

void famfs_sm_init(struct famfs_sm *sm, const struct famfs_sm_def *def,
		   void *ctx, famfs_sm_log_fn log, void *log_arg)
{
	sm->def = def;
	sm->state = def->start;
	sm->prev = def->start;
	sm->last_event = FAMFS_EV_NONE;
	sm->steps = 0;
	sm->failed = 0;
	sm->ctx = ctx;
	sm->log = log;
	sm->log_arg = log_arg;
}

void famfs_set_state(struct famfs_sm *sm, int next, enum famfs_event why)
{
	char msg[128];

	if (sm->log) {
		snprintf(msg, sizeof(msg), "state %s -> %s (%s)",
			 famfs_sm_name(sm), famfs_sm_state_name(sm->def, next),
			 famfs_event_name(why));
		sm->log(sm->log_arg, msg);
	}
	sm->prev = sm->state;
	sm->state = next;
	sm->last_event = why;
	sm->failed |= next == sm->def->on_error;
}

/* Leave the current state on @ev: its exit action, then the new state. */
static int take(struct famfs_sm *sm, enum famfs_event ev)
{
	const struct famfs_sm_state *cur = &sm->def->states[sm->state];
	int next = famfs_sm_next(sm->def, sm->state, ev);

	if (next < 0)
		return -EPROTO;
	if (cur->exit)
		cur->exit(sm, ev);
	famfs_set_state(sm, next, ev);
	return 0;
}

/*
 * Deliver @ev and step until a state waits (its entry action returns
 * NONE) or STOP is reached.  An event with no rule, or one the entry
 * action did not declare, is a program error: -EPROTO.  -ELOOP when the
 * step bound is hit.
 */
int famfs_sm_post(struct famfs_sm *sm, enum famfs_event ev)
{
	const struct famfs_sm_state *st;
	unsigned int n = 0;
	int rc;

	while (ev != FAMFS_EV_NONE) {
		if (n++ >= FAMFS_SM_MAX_STEPS)
			return -ELOOP;
		sm->steps++;
		rc = take(sm, ev);
		if (rc)
			return rc;
		st = &sm->def->states[sm->state];
		ev = st->enter ? st->enter(sm) : FAMFS_EV_NONE;
		if (ev != FAMFS_EV_NONE && !(st->emits & FAMFS_EV(ev)))
			return -EPROTO;
	}
	return 0;
}

/*
 * Run a command's machine from its start state to STOP.  0 when STOP was
 * reached without passing the failure state, -ECANCELED after it, -EPROTO
 * when a state waits (a command's states never do) or an event has no
 * rule, -ELOOP when the step bound is hit.
 */
int famfs_sm_run(struct famfs_sm *sm)
{
	int rc = famfs_sm_post(sm, FAMFS_EV_START);

	if (rc)
		return rc;
	if (sm->state != sm->def->stop)
		return -EPROTO;
	return sm->failed ? -ECANCELED : 0;
}
