// SPDX-License-Identifier: Apache-2.0
/*
 * The state machine engine (sm.c) on a machine declared here: the rule
 * lookup (global rules first), the event names, set_state's log line,
 * and famfs_sm_run()/famfs_sm_post() with scripted entry actions: exit
 * actions, the stop action, undeclared events, missing rules, waiting
 * states and the step bound.  The real machines of the commands and the
 * server are walked by test_cmd_sm.c.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "famfs_sm.h"

enum { T_INIT, T_A, T_B, T_WAIT, T_FAILED, T_STOP, T_MAX };

#define EV(e) FAMFS_EV(FAMFS_EV_##e)

/* ---- scripted actions --------------------------------------------------- */

struct script {
	enum famfs_event ev[16];	/* returned by successive entries */
	unsigned int next;
	unsigned int loop;		/* nonzero: repeat the first loop events */
	char trace[512];		/* "+a -a(ok) ..." */
	unsigned int stop_runs;
};

static void trace(struct script *s, const char *fmt, const char *name,
		  const char *ev)
{
	size_t n = strlen(s->trace);

	snprintf(s->trace + n, sizeof(s->trace) - n, fmt, name, ev);
}

static enum famfs_event scripted(struct famfs_sm *sm)
{
	struct script *s = sm->ctx;

	if (s->loop)
		return s->ev[s->next++ % s->loop];
	trace(s, "+%s%s ", famfs_sm_name(sm), "");
	return s->ev[s->next++];
}

static void exit_trace(struct famfs_sm *sm, enum famfs_event why)
{
	trace(sm->ctx, "-%s(%s) ", famfs_sm_name(sm), famfs_event_name(why));
}

static enum famfs_event stop_action(struct famfs_sm *sm)
{
	struct script *s = sm->ctx;

	s->stop_runs++;
	return FAMFS_EV_NONE;
}

static const struct famfs_sm_state t_states[] = {
	[T_INIT] = { "init", NULL, NULL, 0, EV(START) },
	[T_A] = { "a", scripted, exit_trace, EV(OK) | EV(ERROR) | EV(TERM) |
					     EV(CORRUPT) | EV(BLANK), 0 },
	[T_B] = { "b", scripted, exit_trace, EV(DONE) | EV(OK) | EV(ERROR) |
					     EV(NONE), 0 },
	[T_WAIT] = { "wait", NULL, exit_trace, 0, EV(CHANGED) | EV(TERM) },
	[T_FAILED] = { "failed", scripted, NULL, EV(DONE) | EV(ERROR), 0 },
	[T_STOP] = { "stop", stop_action, NULL, 0, 0 },
};

static const struct famfs_sm_rule t_rules[] = {
	{ T_INIT, FAMFS_EV_START, T_A },
	{ T_A, FAMFS_EV_OK, T_B },
	{ T_A, FAMFS_EV_CORRUPT, T_WAIT },
	{ T_B, FAMFS_EV_DONE, T_STOP },
	{ T_B, FAMFS_EV_OK, T_A },		/* a cycle */
	{ T_WAIT, FAMFS_EV_CHANGED, T_B },
	{ T_FAILED, FAMFS_EV_DONE, T_STOP },
};

static const struct famfs_sm_def t_def =
	FAMFS_SM_DEF("test", t_states, t_rules, T_INIT, T_STOP, T_FAILED, T_STOP);

/* the same machine without global rules */
static const struct famfs_sm_def t_bare =
	FAMFS_SM_DEF("bare", t_states, t_rules, T_INIT, T_STOP, FAMFS_SM_NONE,
		     FAMFS_SM_NONE);

static char logbuf[2048];

static void log_line(void *arg, const char *msg)
{
	size_t n = strlen(logbuf);

	(void)arg;
	snprintf(logbuf + n, sizeof(logbuf) - n, "%s\n", msg);
}

static void start(struct famfs_sm *sm, struct script *s,
		  const struct famfs_sm_def *def)
{
	logbuf[0] = 0;
	famfs_sm_init(sm, def, s, log_line, NULL);
}

/* ---- the rule lookup ------------------------------------------------------ */

static void test_next_rules(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(t_rules) / sizeof(t_rules[0]); i++)
		assert_int_equal(famfs_sm_next(&t_def, t_rules[i].from,
					       t_rules[i].ev), t_rules[i].to);
	assert_int_equal(famfs_sm_next(&t_def, T_A, FAMFS_EV_DONE), -ENOENT);
	assert_int_equal(famfs_sm_next(&t_def, T_WAIT, FAMFS_EV_OK), -ENOENT);
	assert_int_equal(famfs_sm_next(&t_def, T_A, FAMFS_EV_NONE), -ENOENT);
}

/* ERROR and TERM are checked before the per-state rules, from every state. */
static void test_next_global_rules(void **state)
{
	(void)state;
	for (int s = 0; s < T_MAX; s++) {
		if (s == T_STOP)
			continue;
		assert_int_equal(famfs_sm_next(&t_def, s, FAMFS_EV_ERROR),
				 s == T_FAILED ? T_STOP : T_FAILED);
		assert_int_equal(famfs_sm_next(&t_def, s, FAMFS_EV_TERM), T_STOP);
	}
	/* without them, ERROR and TERM need rules like any event */
	assert_int_equal(famfs_sm_next(&t_bare, T_A, FAMFS_EV_ERROR), -ENOENT);
	assert_int_equal(famfs_sm_next(&t_bare, T_A, FAMFS_EV_TERM), -ENOENT);
	assert_int_equal(famfs_sm_next(&t_bare, T_A, FAMFS_EV_OK), T_B);
}

static void test_next_stop_and_range(void **state)
{
	(void)state;
	for (int e = 0; e < _FAMFS_EV_MAX; e++)
		assert_int_equal(famfs_sm_next(&t_def, T_STOP, e), -ENOENT);
	assert_int_equal(famfs_sm_next(&t_def, -1, FAMFS_EV_OK), -EINVAL);
	assert_int_equal(famfs_sm_next(&t_def, T_MAX, FAMFS_EV_OK), -EINVAL);
	assert_int_equal(famfs_sm_next(&t_def, T_A, _FAMFS_EV_MAX), -EINVAL);
	assert_int_equal(famfs_sm_next(&t_def, T_A, (enum famfs_event)-1),
			 -EINVAL);
}

/* ---- names ------------------------------------------------------------------ */

static void test_event_names(void **state)
{
	(void)state;
	for (int a = 0; a < _FAMFS_EV_MAX; a++) {
		assert_non_null(famfs_event_name(a));
		assert_string_not_equal(famfs_event_name(a), "invalid");
		for (int b = 0; b < a; b++)
			assert_string_not_equal(famfs_event_name(a),
						famfs_event_name(b));
	}
	assert_string_equal(famfs_event_name(FAMFS_EV_TERM), "term");
	assert_string_equal(famfs_event_name(_FAMFS_EV_MAX), "invalid");
	assert_string_equal(famfs_event_name((enum famfs_event)-1), "invalid");
}

static void test_state_names(void **state)
{
	(void)state;
	assert_string_equal(famfs_sm_state_name(&t_def, T_WAIT), "wait");
	assert_string_equal(famfs_sm_state_name(&t_def, T_MAX), "invalid");
	assert_string_equal(famfs_sm_state_name(&t_def, -1), "invalid");
}

/* ---- set_state, run, post ----------------------------------------------------- */

static void test_init_and_set_state(void **state)
{
	struct script s = { { 0 } };
	struct famfs_sm sm;

	(void)state;
	start(&sm, &s, &t_def);
	assert_int_equal(sm.state, T_INIT);
	assert_ptr_equal(sm.def, &t_def);
	assert_ptr_equal(sm.ctx, &s);
	famfs_set_state(&sm, T_A, FAMFS_EV_START);
	famfs_set_state(&sm, T_FAILED, FAMFS_EV_ERROR);
	assert_string_equal(logbuf, "state init -> a (start)\n"
				    "state a -> failed (error)\n");
	assert_int_equal(sm.prev, T_A);
	assert_int_equal(sm.state, T_FAILED);
	assert_int_equal(sm.last_event, FAMFS_EV_ERROR);
	assert_true(sm.failed);
}

static void test_run_to_stop(void **state)
{
	struct script s = { { FAMFS_EV_OK, FAMFS_EV_DONE } };
	struct famfs_sm sm;

	(void)state;
	start(&sm, &s, &t_def);
	assert_int_equal(famfs_sm_run(&sm), 0);
	assert_int_equal(sm.state, T_STOP);
	assert_string_equal(logbuf, "state init -> a (start)\n"
				    "state a -> b (ok)\n"
				    "state b -> stop (done)\n");
	/* exit actions run on leaving, told the event; stop's entry once */
	assert_string_equal(s.trace, "+a -a(ok) +b -b(done) ");
	assert_int_equal(s.stop_runs, 1);
	assert_int_equal(sm.steps, 3);
}

static void test_run_through_failed(void **state)
{
	struct script s = { { FAMFS_EV_OK, FAMFS_EV_ERROR, FAMFS_EV_DONE } };
	struct famfs_sm sm;

	(void)state;
	start(&sm, &s, &t_def);
	assert_int_equal(famfs_sm_run(&sm), -ECANCELED);
	assert_int_equal(sm.state, T_STOP);
	assert_int_equal(sm.prev, T_FAILED);
	assert_string_equal(s.trace, "+a -a(ok) +b -b(error) +failed ");
	assert_int_equal(s.stop_runs, 1);
}

/* an error in the failure state ends the run (no loop through failed) */
static void test_run_error_in_failed(void **state)
{
	struct script s = { { FAMFS_EV_ERROR, FAMFS_EV_ERROR } };
	struct famfs_sm sm;

	(void)state;
	start(&sm, &s, &t_def);
	assert_int_equal(famfs_sm_run(&sm), -ECANCELED);
	assert_string_equal(logbuf, "state init -> a (start)\n"
				    "state a -> failed (error)\n"
				    "state failed -> stop (error)\n");
}

static void test_run_term(void **state)
{
	struct script s = { { FAMFS_EV_TERM } };
	struct famfs_sm sm;

	(void)state;
	start(&sm, &s, &t_def);
	assert_int_equal(famfs_sm_run(&sm), 0);
	assert_int_equal(sm.state, T_STOP);
	assert_string_equal(s.trace, "+a -a(term) ");
}

/* an event the action did not declare is a program error */
static void test_run_undeclared_event(void **state)
{
	struct script s = { { FAMFS_EV_OK, FAMFS_EV_CORRUPT } };
	struct famfs_sm sm;

	(void)state;
	start(&sm, &s, &t_def);
	assert_int_equal(famfs_sm_run(&sm), -EPROTO);
	assert_int_equal(sm.state, T_B);
}

/* declared, but no rule from the state */
static void test_run_event_without_rule(void **state)
{
	struct script s = { { FAMFS_EV_BLANK } };
	struct famfs_sm sm;

	(void)state;
	start(&sm, &s, &t_def);
	assert_int_equal(famfs_sm_run(&sm), -EPROTO);
	assert_int_equal(sm.state, T_A);
	assert_string_equal(s.trace, "+a ");	/* no exit action ran */
}

/* a command's run may not end waiting */
static void test_run_waiting_is_an_error(void **state)
{
	struct script s = { { FAMFS_EV_OK, FAMFS_EV_NONE } };
	struct famfs_sm sm;

	(void)state;
	start(&sm, &s, &t_def);
	assert_int_equal(famfs_sm_run(&sm), -EPROTO);
	assert_int_equal(sm.state, T_B);
}

/* a -ok-> b -ok-> a ... never stops: the step bound ends it */
static void test_run_cycle_hits_bound(void **state)
{
	struct script s = { { FAMFS_EV_OK }, .loop = 1 };
	struct famfs_sm sm;

	(void)state;
	start(&sm, &s, &t_def);
	sm.log = NULL;
	assert_int_equal(famfs_sm_run(&sm), -ELOOP);
	assert_int_equal(sm.steps, FAMFS_SM_MAX_STEPS);
	assert_int_equal(s.next, FAMFS_SM_MAX_STEPS);
}

/* a waiting state takes posted events; a posted event needs a rule */
static void test_post_to_waiting(void **state)
{
	struct script s = { { FAMFS_EV_CORRUPT, FAMFS_EV_DONE } };
	struct famfs_sm sm;

	(void)state;
	start(&sm, &s, &t_def);
	assert_int_equal(famfs_sm_post(&sm, FAMFS_EV_START), 0);
	assert_int_equal(sm.state, T_WAIT);
	assert_int_equal(famfs_sm_post(&sm, FAMFS_EV_OK), -EPROTO);
	assert_int_equal(sm.state, T_WAIT);
	assert_int_equal(famfs_sm_post(&sm, FAMFS_EV_CHANGED), 0);
	assert_int_equal(sm.state, T_STOP);
	assert_string_equal(s.trace, "+a -a(corrupt) -wait(changed) +b -b(done) ");
	assert_int_equal(famfs_sm_post(&sm, FAMFS_EV_TERM), -EPROTO);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_next_rules),
		cmocka_unit_test(test_next_global_rules),
		cmocka_unit_test(test_next_stop_and_range),
		cmocka_unit_test(test_event_names),
		cmocka_unit_test(test_state_names),
		cmocka_unit_test(test_init_and_set_state),
		cmocka_unit_test(test_run_to_stop),
		cmocka_unit_test(test_run_through_failed),
		cmocka_unit_test(test_run_error_in_failed),
		cmocka_unit_test(test_run_term),
		cmocka_unit_test(test_run_undeclared_event),
		cmocka_unit_test(test_run_event_without_rule),
		cmocka_unit_test(test_run_waiting_is_an_error),
		cmocka_unit_test(test_run_cycle_hits_bound),
		cmocka_unit_test(test_post_to_waiting),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
