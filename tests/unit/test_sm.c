// SPDX-License-Identifier: Apache-2.0
/*
 * The state machine (sm.c): every (state, event) edge against a table
 * written here from the documented rules, the name tables, and
 * famfs_sm_run() with scripted entry actions.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "famfs_sm.h"

/* ---- the expected transition table, restated from the rules ---------- */

struct rule {
	enum famfs_state from;
	enum famfs_event ev;
	enum famfs_state to;
};

/* Per-state rules, exactly as documented at the top of sm.c. */
static const struct rule rules[] = {
	{ FAMFS_ST_INIT,	FAMFS_EV_START,		FAMFS_ST_PROBE },
	{ FAMFS_ST_PROBE,	FAMFS_EV_OK,		FAMFS_ST_VALIDATE },
	{ FAMFS_ST_VALIDATE,	FAMFS_EV_OK,		FAMFS_ST_REPLAY },
	{ FAMFS_ST_VALIDATE,	FAMFS_EV_BLANK,		FAMFS_ST_FORMAT },
	{ FAMFS_ST_VALIDATE,	FAMFS_EV_FORMAT,	FAMFS_ST_FORMAT },
	{ FAMFS_ST_VALIDATE,	FAMFS_EV_CORRUPT,	FAMFS_ST_FSCK },
	{ FAMFS_ST_VALIDATE,	FAMFS_EV_DONE,		FAMFS_ST_STOP },
	{ FAMFS_ST_FORMAT,	FAMFS_EV_OK,		FAMFS_ST_VALIDATE },
	{ FAMFS_ST_FORMAT,	FAMFS_EV_DONE,		FAMFS_ST_STOP },
	{ FAMFS_ST_REPLAY,	FAMFS_EV_OK,		FAMFS_ST_MOUNT },
	{ FAMFS_ST_REPLAY,	FAMFS_EV_CORRUPT,	FAMFS_ST_FSCK },
	{ FAMFS_ST_REPLAY,	FAMFS_EV_DONE,		FAMFS_ST_STOP },
	{ FAMFS_ST_FSCK,	FAMFS_EV_OK,		FAMFS_ST_REPLAY },
	{ FAMFS_ST_FSCK,	FAMFS_EV_DONE,		FAMFS_ST_STOP },
	{ FAMFS_ST_MOUNT,	FAMFS_EV_OK,		FAMFS_ST_SERVE },
	{ FAMFS_ST_SERVE,	FAMFS_EV_OK,		FAMFS_ST_HANDOFF },
	{ FAMFS_ST_SERVE,	FAMFS_EV_DONE,		FAMFS_ST_STOP },
	{ FAMFS_ST_HANDOFF,	FAMFS_EV_DONE,		FAMFS_ST_STOP },
	{ FAMFS_ST_FAILED,	FAMFS_EV_DONE,		FAMFS_ST_STOP },
};

static enum famfs_state expected[_FAMFS_ST_MAX][_FAMFS_EV_MAX];

static void build_expected(void)
{
	for (int s = 0; s < _FAMFS_ST_MAX; s++)
		for (int e = 0; e < _FAMFS_EV_MAX; e++)
			expected[s][e] = _FAMFS_ST_INVALID;
	for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
		expected[rules[i].from][rules[i].ev] = rules[i].to;
	/* global rules win over per-state ones; STOP has no exits at all */
	for (int s = 0; s < _FAMFS_ST_MAX; s++) {
		if (s == FAMFS_ST_STOP)
			continue;
		expected[s][FAMFS_EV_ERROR] = s == FAMFS_ST_FAILED ?
					      FAMFS_ST_STOP : FAMFS_ST_FAILED;
		expected[s][FAMFS_EV_TERM] = FAMFS_ST_STOP;
	}
}

static int setup_table(void **state)
{
	(void)state;
	build_expected();
	return 0;
}

/* 19 per-state rules plus error and term from the 10 states but STOP. */
static void test_expected_table_is_complete(void **state)
{
	int valid = 0;

	(void)state;
	for (int s = 0; s < _FAMFS_ST_MAX; s++)
		for (int e = 0; e < _FAMFS_EV_MAX; e++)
			valid += expected[s][e] != _FAMFS_ST_INVALID;
	assert_int_equal(_FAMFS_ST_MAX, 11);
	assert_int_equal(_FAMFS_EV_MAX, 8);
	assert_int_equal(valid, 19 + 2 * 10);
}

static void test_step_every_edge(void **state)
{
	int bad = 0;

	(void)state;
	for (int s = 0; s < _FAMFS_ST_MAX; s++) {
		for (int e = 0; e < _FAMFS_EV_MAX; e++) {
			enum famfs_state got = famfs_step((enum famfs_state)s,
							  (enum famfs_event)e);

			if (got == expected[s][e])
				continue;
			print_error("%s -%s-> got %d (%s), expected %d (%s)\n",
				    famfs_state_name((enum famfs_state)s),
				    famfs_event_name((enum famfs_event)e),
				    got, famfs_state_name(got),
				    expected[s][e],
				    famfs_state_name(expected[s][e]));
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

static void test_step_stop_has_no_exits(void **state)
{
	(void)state;
	for (int e = 0; e < _FAMFS_EV_MAX; e++)
		assert_int_equal(famfs_step(FAMFS_ST_STOP, (enum famfs_event)e),
				 _FAMFS_ST_INVALID);
}

static void test_step_global_rules(void **state)
{
	(void)state;
	for (int s = 0; s < FAMFS_ST_STOP; s++) {
		assert_int_equal(famfs_step((enum famfs_state)s, FAMFS_EV_TERM),
				 FAMFS_ST_STOP);
		assert_int_equal(famfs_step((enum famfs_state)s, FAMFS_EV_ERROR),
				 s == FAMFS_ST_FAILED ? FAMFS_ST_STOP
						      : FAMFS_ST_FAILED);
	}
}

static void test_step_out_of_range(void **state)
{
	static const int bad_states[] = {
		-1, _FAMFS_ST_MAX, _FAMFS_ST_MAX + 1, 1000, _FAMFS_ST_INVALID,
	};
	static const int bad_events[] = {
		-1, _FAMFS_EV_MAX, _FAMFS_EV_MAX + 1, 1000, _FAMFS_EV_INVALID,
	};
	const size_t ns = sizeof(bad_states) / sizeof(bad_states[0]);
	const size_t ne = sizeof(bad_events) / sizeof(bad_events[0]);

	(void)state;
	for (size_t i = 0; i < ns; i++) {
		/* even the global events must not rescue a bad state */
		for (int e = 0; e < _FAMFS_EV_MAX; e++)
			assert_int_equal(famfs_step((enum famfs_state)bad_states[i],
						    (enum famfs_event)e),
					 _FAMFS_ST_INVALID);
		for (size_t j = 0; j < ne; j++)
			assert_int_equal(famfs_step((enum famfs_state)bad_states[i],
						    (enum famfs_event)bad_events[j]),
					 _FAMFS_ST_INVALID);
	}
	for (int s = 0; s < _FAMFS_ST_MAX; s++)
		for (size_t j = 0; j < ne; j++)
			assert_int_equal(famfs_step((enum famfs_state)s,
						    (enum famfs_event)bad_events[j]),
					 _FAMFS_ST_INVALID);
}

/* ---- name tables ------------------------------------------------------ */

static void test_state_names_distinct(void **state)
{
	(void)state;
	for (int s = 0; s < _FAMFS_ST_MAX; s++) {
		const char *n = famfs_state_name((enum famfs_state)s);

		assert_non_null(n);
		assert_true(n[0] != '\0');
		assert_string_not_equal(n, "invalid");
		for (int t = 0; t < s; t++)
			assert_string_not_equal(n, famfs_state_name((enum famfs_state)t));
	}
}

static void test_event_names_distinct(void **state)
{
	(void)state;
	for (int e = 0; e < _FAMFS_EV_MAX; e++) {
		const char *n = famfs_event_name((enum famfs_event)e);

		assert_non_null(n);
		assert_true(n[0] != '\0');
		assert_string_not_equal(n, "invalid");
		for (int f = 0; f < e; f++)
			assert_string_not_equal(n, famfs_event_name((enum famfs_event)f));
	}
}

static void test_names_out_of_range(void **state)
{
	(void)state;
	assert_string_equal(famfs_state_name((enum famfs_state)-1), "invalid");
	assert_string_equal(famfs_state_name(_FAMFS_ST_MAX), "invalid");
	assert_string_equal(famfs_state_name(_FAMFS_ST_INVALID), "invalid");
	assert_string_equal(famfs_state_name((enum famfs_state)12345), "invalid");
	assert_string_equal(famfs_event_name((enum famfs_event)-1), "invalid");
	assert_string_equal(famfs_event_name(_FAMFS_EV_MAX), "invalid");
	assert_string_equal(famfs_event_name(_FAMFS_EV_INVALID), "invalid");
	assert_string_equal(famfs_event_name((enum famfs_event)12345), "invalid");
}

/* ---- famfs_sm_run with scripted entry actions ------------------------- */

#define MAX_LOG 128

struct script {
	const enum famfs_event *seq;	/* events in call order, or NULL */
	size_t nseq, pos;
	enum famfs_event by_state[_FAMFS_ST_MAX];	/* when seq is NULL */
	enum famfs_state entered[MAX_LOG];
	size_t nentered;
	char log[MAX_LOG][96];
	size_t nlog;
};

static enum famfs_event scripted(struct famfs_sm *sm)
{
	struct script *sc = sm->ctx;

	assert_true(sc->nentered < MAX_LOG);
	sc->entered[sc->nentered++] = sm->state;
	if (!sc->seq)
		return sc->by_state[sm->state];
	assert_true(sc->pos < sc->nseq);
	return sc->seq[sc->pos++];
}

static void record(void *arg, const char *msg)
{
	struct script *sc = arg;

	assert_true(sc->nlog < MAX_LOG);
	snprintf(sc->log[sc->nlog++], sizeof(sc->log[0]), "%s", msg);
}

static famfs_enter_fn all_actions[_FAMFS_ST_MAX];

static int setup_actions(void **state)
{
	(void)state;
	for (int s = 0; s < _FAMFS_ST_MAX; s++)
		all_actions[s] = scripted;
	return 0;
}

static int run_script(struct famfs_sm *sm, struct script *sc,
		      const famfs_enter_fn *enter)
{
	famfs_sm_init(sm, enter, sc, record, sc);
	return famfs_sm_run(sm);
}

static void assert_log(const struct script *sc, const char *const *want,
		       size_t n)
{
	for (size_t i = 0; i < n && i < sc->nlog; i++)
		assert_string_equal(sc->log[i], want[i]);
	assert_int_equal(sc->nlog, n);
}

static void test_sm_init(void **state)
{
	struct script sc = { 0 };
	struct famfs_sm sm;

	(void)state;
	memset(&sm, 0x5a, sizeof(sm));
	famfs_sm_init(&sm, all_actions, &sc, record, &sc);
	assert_int_equal(sm.state, FAMFS_ST_INIT);
	assert_int_equal(sm.prev, FAMFS_ST_INIT);
	assert_int_equal(sm.last_event, FAMFS_EV_START);
	assert_int_equal(sm.steps, 0);
	assert_ptr_equal(sm.enter, all_actions);
	assert_ptr_equal(sm.ctx, &sc);
	assert_ptr_equal(sm.log_arg, &sc);
}

static void test_set_state_logs_and_tracks(void **state)
{
	struct script sc = { 0 };
	struct famfs_sm sm;

	(void)state;
	famfs_sm_init(&sm, all_actions, &sc, record, &sc);
	sm.state = FAMFS_ST_VALIDATE;
	famfs_set_state(&sm, FAMFS_ST_FSCK, FAMFS_EV_CORRUPT);
	assert_int_equal(sm.state, FAMFS_ST_FSCK);
	assert_int_equal(sm.prev, FAMFS_ST_VALIDATE);
	assert_int_equal(sm.last_event, FAMFS_EV_CORRUPT);
	assert_int_equal(sc.nlog, 1);
	assert_string_equal(sc.log[0], "state validate -> fsck (corrupt)");

	/* without a log callback the state still moves */
	famfs_sm_init(&sm, all_actions, &sc, NULL, NULL);
	famfs_set_state(&sm, FAMFS_ST_PROBE, FAMFS_EV_START);
	assert_int_equal(sm.state, FAMFS_ST_PROBE);
	assert_int_equal(sc.nlog, 1);
}

static void test_run_mkfs_path(void **state)
{
	static const enum famfs_event ev[] = {
		FAMFS_EV_OK,		/* probe */
		FAMFS_EV_BLANK,		/* validate: nothing there */
		FAMFS_EV_OK,		/* format */
		FAMFS_EV_DONE,		/* validate the new filesystem */
	};
	static const char *const want[] = {
		"state init -> probe (start)",
		"state probe -> validate (ok)",
		"state validate -> format (blank)",
		"state format -> validate (ok)",
		"state validate -> stop (done)",
	};
	static const enum famfs_state visited[] = {
		FAMFS_ST_PROBE, FAMFS_ST_VALIDATE, FAMFS_ST_FORMAT,
		FAMFS_ST_VALIDATE,
	};
	struct script sc = { .seq = ev, .nseq = 4 };
	struct famfs_sm sm;

	(void)state;
	assert_int_equal(run_script(&sm, &sc, all_actions), 0);
	assert_log(&sc, want, 5);
	assert_int_equal(sc.nentered, 4);
	assert_memory_equal(sc.entered, visited, sizeof(visited));
	assert_int_equal(sc.pos, 4);
	assert_int_equal(sm.state, FAMFS_ST_STOP);
	assert_int_equal(sm.prev, FAMFS_ST_VALIDATE);
	assert_int_equal(sm.last_event, FAMFS_EV_DONE);
	assert_int_equal(sm.steps, 5);
}

static void test_run_fsck_path(void **state)
{
	static const enum famfs_event ev[] = {
		FAMFS_EV_OK,		/* probe */
		FAMFS_EV_CORRUPT,	/* validate */
		FAMFS_EV_OK,		/* fsck repaired it */
		FAMFS_EV_OK,		/* replay */
		FAMFS_EV_OK,		/* mount */
		FAMFS_EV_OK,		/* serve -> handoff */
		FAMFS_EV_DONE,		/* handoff */
	};
	static const char *const want[] = {
		"state init -> probe (start)",
		"state probe -> validate (ok)",
		"state validate -> fsck (corrupt)",
		"state fsck -> replay (ok)",
		"state replay -> mount (ok)",
		"state mount -> serve (ok)",
		"state serve -> handoff (ok)",
		"state handoff -> stop (done)",
	};
	struct script sc = { .seq = ev, .nseq = 7 };
	struct famfs_sm sm;

	(void)state;
	assert_int_equal(run_script(&sm, &sc, all_actions), 0);
	assert_log(&sc, want, 8);
	assert_int_equal(sc.nentered, 7);
	assert_int_equal(sc.entered[2], FAMFS_ST_FSCK);
	assert_int_equal(sc.entered[6], FAMFS_ST_HANDOFF);
	assert_int_equal(sm.state, FAMFS_ST_STOP);
}

static void test_run_missing_action(void **state)
{
	static const enum famfs_event ev[] = { FAMFS_EV_OK };
	famfs_enter_fn only_probe[_FAMFS_ST_MAX] = {
		[FAMFS_ST_PROBE] = scripted,
	};
	struct script sc = { .seq = ev, .nseq = 1 };
	struct famfs_sm sm;

	(void)state;
	assert_int_equal(run_script(&sm, &sc, only_probe), -EPROTO);
	assert_int_equal(sc.nentered, 1);
	assert_int_equal(sc.entered[0], FAMFS_ST_PROBE);
	assert_int_equal(sc.nlog, 2);
	assert_string_equal(sc.log[1], "state probe -> validate (ok)");
}

static void test_run_event_without_rule(void **state)
{
	/* PROBE has no rule for BLANK */
	static const enum famfs_event ev[] = { FAMFS_EV_BLANK };
	struct script sc = { .seq = ev, .nseq = 1 };
	struct famfs_sm sm;

	(void)state;
	assert_int_equal(run_script(&sm, &sc, all_actions), -EPROTO);
	assert_int_equal(sc.nentered, 1);
	assert_int_equal(sc.nlog, 1);
	assert_int_equal(sm.state, FAMFS_ST_PROBE);
}

static void test_run_out_of_range_event(void **state)
{
	static const enum famfs_event ev[] = {
		FAMFS_EV_OK, (enum famfs_event)_FAMFS_EV_MAX,
	};
	struct script sc = { .seq = ev, .nseq = 2 };
	struct famfs_sm sm;

	(void)state;
	assert_int_equal(run_script(&sm, &sc, all_actions), -EPROTO);
	assert_int_equal(sm.state, FAMFS_ST_VALIDATE);
	assert_int_equal(sc.nlog, 2);
}

static void test_run_cycle_hits_bound(void **state)
{
	struct script sc = { 0 };
	struct famfs_sm sm;

	(void)state;
	sc.by_state[FAMFS_ST_PROBE] = FAMFS_EV_OK;
	sc.by_state[FAMFS_ST_VALIDATE] = FAMFS_EV_CORRUPT;
	sc.by_state[FAMFS_ST_FSCK] = FAMFS_EV_OK;
	sc.by_state[FAMFS_ST_REPLAY] = FAMFS_EV_CORRUPT;
	assert_int_equal(run_script(&sm, &sc, all_actions), -ELOOP);
	assert_int_equal(sc.nlog, FAMFS_SM_MAX_STEPS);
	assert_string_equal(sc.log[3], "state fsck -> replay (ok)");
	assert_string_equal(sc.log[4], "state replay -> fsck (corrupt)");
	/* odd steps from 3 on go fsck -> replay; the bound is 64 */
	assert_string_equal(sc.log[FAMFS_SM_MAX_STEPS - 1],
			    "state fsck -> replay (ok)");
	assert_int_equal(sc.nentered, FAMFS_SM_MAX_STEPS);
	assert_int_not_equal(sm.state, FAMFS_ST_STOP);
}

static void test_run_failed_is_canceled(void **state)
{
	static const enum famfs_event ev[] = {
		FAMFS_EV_OK, FAMFS_EV_ERROR, FAMFS_EV_DONE,
	};
	static const char *const want[] = {
		"state init -> probe (start)",
		"state probe -> validate (ok)",
		"state validate -> failed (error)",
		"state failed -> stop (done)",
	};
	struct script sc = { .seq = ev, .nseq = 3 };
	struct famfs_sm sm;

	(void)state;
	assert_int_equal(run_script(&sm, &sc, all_actions), -ECANCELED);
	assert_log(&sc, want, 4);
	assert_int_equal(sc.entered[2], FAMFS_ST_FAILED);
	assert_int_equal(sm.state, FAMFS_ST_STOP);
}

static void test_run_failed_error_is_canceled(void **state)
{
	static const enum famfs_event ev[] = {
		FAMFS_EV_ERROR, FAMFS_EV_ERROR,
	};
	static const char *const want[] = {
		"state init -> probe (start)",
		"state probe -> failed (error)",
		"state failed -> stop (error)",
	};
	struct script sc = { .seq = ev, .nseq = 2 };
	struct famfs_sm sm;

	(void)state;
	assert_int_equal(run_script(&sm, &sc, all_actions), -ECANCELED);
	assert_log(&sc, want, 3);
}

static void test_run_term_from_middle(void **state)
{
	static const enum famfs_event ev[] = {
		FAMFS_EV_OK, FAMFS_EV_OK, FAMFS_EV_TERM,
	};
	static const char *const want[] = {
		"state init -> probe (start)",
		"state probe -> validate (ok)",
		"state validate -> replay (ok)",
		"state replay -> stop (term)",
	};
	struct script sc = { .seq = ev, .nseq = 3 };
	struct famfs_sm sm;

	(void)state;
	assert_int_equal(run_script(&sm, &sc, all_actions), 0);
	assert_log(&sc, want, 4);
	assert_int_equal(sm.state, FAMFS_ST_STOP);
	assert_int_equal(sm.prev, FAMFS_ST_REPLAY);
	assert_int_equal(sm.last_event, FAMFS_EV_TERM);
}

static void test_run_term_while_serving(void **state)
{
	static const enum famfs_event ev[] = {
		FAMFS_EV_OK, FAMFS_EV_OK, FAMFS_EV_OK, FAMFS_EV_OK,
		FAMFS_EV_TERM,
	};
	struct script sc = { .seq = ev, .nseq = 5 };
	struct famfs_sm sm;

	(void)state;
	assert_int_equal(run_script(&sm, &sc, all_actions), 0);
	assert_int_equal(sc.nlog, 6);
	assert_string_equal(sc.log[5], "state serve -> stop (term)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_expected_table_is_complete),
		cmocka_unit_test(test_step_every_edge),
		cmocka_unit_test(test_step_stop_has_no_exits),
		cmocka_unit_test(test_step_global_rules),
		cmocka_unit_test(test_step_out_of_range),
		cmocka_unit_test(test_state_names_distinct),
		cmocka_unit_test(test_event_names_distinct),
		cmocka_unit_test(test_names_out_of_range),
		cmocka_unit_test_setup(test_sm_init, setup_actions),
		cmocka_unit_test_setup(test_set_state_logs_and_tracks,
				       setup_actions),
		cmocka_unit_test_setup(test_run_mkfs_path, setup_actions),
		cmocka_unit_test_setup(test_run_fsck_path, setup_actions),
		cmocka_unit_test(test_run_missing_action),
		cmocka_unit_test_setup(test_run_event_without_rule,
				       setup_actions),
		cmocka_unit_test_setup(test_run_out_of_range_event,
				       setup_actions),
		cmocka_unit_test_setup(test_run_cycle_hits_bound,
				       setup_actions),
		cmocka_unit_test_setup(test_run_failed_is_canceled,
				       setup_actions),
		cmocka_unit_test_setup(test_run_failed_error_is_canceled,
				       setup_actions),
		cmocka_unit_test_setup(test_run_term_from_middle,
				       setup_actions),
		cmocka_unit_test_setup(test_run_term_while_serving,
				       setup_actions),
	};

	return cmocka_run_group_tests(tests, setup_table, NULL);
}
