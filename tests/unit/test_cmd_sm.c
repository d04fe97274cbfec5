// SPDX-License-Identifier: Apache-2.0
/*
 * The real state machines: mkfs, fsck, mount and init (cmd/machines.h)
 * and the running server (famfs_server_machine), walked as declared,
 * without running an action.  For each: the names are complete and
 * distinct; every event an entry action declares (and every event a
 * waiting state accepts) has a rule from its state; no rule waits for an
 * event nobody declares; every state is reachable from the start; STOP is
 * reachable from every state (no cycle without an exit); only STOP is
 * final; a command never waits.  The declared edges are also compared
 * with the diagram each machine documents.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "cmd.h"
#include "famfs_server.h"
#include "machines.h"

/* famfs.c's command table, which the dispatcher linked here refers to:
 * this test runs no command */
const struct famfs_cmd famfs_commands[] = { { NULL, NULL, 0, NULL, NULL, 0 } };
const unsigned int famfs_ncommands = 0;

#define MAXST 32

/* Events that may leave @s: what its action returns or what is posted. */
static unsigned int declared(const struct famfs_sm_def *d, int s)
{
	return d->states[s].emits | d->states[s].accepts;
}

static void check_names(const struct famfs_sm_def *d)
{
	assert_true(d->nstates > 2 && d->nstates <= MAXST);
	assert_non_null(d->name);
	for (unsigned int a = 0; a < d->nstates; a++) {
		assert_non_null(d->states[a].name);
		assert_true(d->states[a].name[0]);
		for (unsigned int b = 0; b < a; b++)
			assert_string_not_equal(d->states[a].name,
						d->states[b].name);
	}
	assert_string_equal(famfs_sm_state_name(d, d->stop), "stop");
	assert_string_equal(famfs_sm_state_name(d, d->start), "init");
}

/* Every declared event has a rule; every rule is for a declared event. */
static void check_rules(const struct famfs_sm_def *d)
{
	for (unsigned int s = 0; s < d->nstates; s++) {
		unsigned int ev = declared(d, s);

		assert_false(ev & (FAMFS_EV(FAMFS_EV_NONE)));
		for (int e = 0; e < _FAMFS_EV_MAX; e++) {
			if (!(ev & FAMFS_EV(e)))
				continue;
			if (famfs_sm_next(d, (int)s, e) < 0)
				fail_msg("%s: state %s declares %s, no rule",
					 d->name, d->states[s].name,
					 famfs_event_name(e));
		}
	}
	for (unsigned int i = 0; i < d->nrules; i++) {
		const struct famfs_sm_rule *r = &d->rules[i];

		assert_true(r->from < d->nstates && r->to < d->nstates);
		if (!(declared(d, r->from) & FAMFS_EV(r->ev)))
			fail_msg("%s: rule %s -%s-> %s for an undeclared event",
				 d->name, d->states[r->from].name,
				 famfs_event_name(r->ev), d->states[r->to].name);
	}
}

/* reach[s] = 1 for every state reachable from @from by declared edges. */
static void reach_from(const struct famfs_sm_def *d, int from, int *reach)
{
	int queue[MAXST], head = 0, tail = 0;

	memset(reach, 0, sizeof(int) * MAXST);
	reach[from] = 1;
	queue[tail++] = from;
	while (head < tail) {
		int s = queue[head++];

		for (int e = 0; e < _FAMFS_EV_MAX; e++) {
			int n;

			if (!(declared(d, s) & FAMFS_EV(e)))
				continue;
			n = famfs_sm_next(d, s, e);
			if (n >= 0 && !reach[n]) {
				reach[n] = 1;
				queue[tail++] = n;
			}
		}
	}
}

static void check_paths(const struct famfs_sm_def *d)
{
	int reach[MAXST];

	reach_from(d, d->start, reach);
	for (unsigned int s = 0; s < d->nstates; s++)
		if (!reach[s])
			fail_msg("%s: state %s is unreachable", d->name,
				 d->states[s].name);
	for (unsigned int s = 0; s < d->nstates; s++) {
		reach_from(d, (int)s, reach);
		if (!reach[d->stop])
			fail_msg("%s: no path from %s to stop", d->name,
				 d->states[s].name);
		/* only stop is final */
		if ((int)s != d->stop && !declared(d, (int)s))
			fail_msg("%s: %s has no way out", d->name,
				 d->states[s].name);
	}
	assert_int_equal(declared(d, d->stop), 0);
	assert_int_equal(d->states[d->stop].emits, 0);
}

/* A command runs start to stop: every state in between acts, none waits. */
static void check_command(const struct famfs_sm_def *d)
{
	for (unsigned int s = 0; s < d->nstates; s++) {
		const struct famfs_sm_state *st = &d->states[s];

		if ((int)s == d->start) {
			assert_int_equal(st->accepts, FAMFS_EV(FAMFS_EV_START));
			continue;
		}
		assert_int_equal(st->accepts, 0);
		if ((int)s != d->stop) {
			assert_non_null(st->enter);
			assert_true(st->emits);
		}
	}
	assert_int_equal(famfs_sm_next(d, d->on_error, FAMFS_EV_ERROR), d->stop);
}

/* The declared edges, one "from -event-> to" line each. */
static void diagram(const struct famfs_sm_def *d, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = 0;
	for (unsigned int s = 0; s < d->nstates; s++)
		for (int e = 0; e < _FAMFS_EV_MAX; e++)
			if (declared(d, (int)s) & FAMFS_EV(e))
				n += (size_t)snprintf(buf + n, len - n,
						      "%s -%s-> %s\n",
						      d->states[s].name,
						      famfs_event_name(e),
						      famfs_sm_state_name(d,
						      famfs_sm_next(d, (int)s, e)));
}

static void check_machine(const struct famfs_sm_def *d, int command,
			  const char *expected)
{
	char buf[4096];

	check_names(d);
	check_rules(d);
	check_paths(d);
	if (command)
		check_command(d);
	diagram(d, buf, sizeof(buf));
	assert_string_equal(buf, expected);
}

static void test_mkfs(void **state)
{
	(void)state;
	check_machine(&famfs_mkfs_machine, 1,
		      "init -start-> probe\n"
		      "probe -ok-> check\n"
		      "probe -error-> failed\n"
		      "check -format-> format\n"
		      "check -kill-> kill\n"
		      "check -error-> failed\n"
		      "format -ok-> verify\n"
		      "format -error-> failed\n"
		      "kill -done-> stop\n"
		      "kill -error-> failed\n"
		      "verify -done-> stop\n"
		      "verify -error-> failed\n"
		      "failed -done-> stop\n");
}

static void test_fsck(void **state)
{
	(void)state;
	check_machine(&famfs_fsck_machine, 1,
		      "init -start-> probe\n"
		      "probe -ok-> validate\n"
		      "probe -error-> failed\n"
		      "validate -ok-> check\n"
		      "validate -corrupt-> report\n"
		      "validate -error-> failed\n"
		      "check -done-> report\n"
		      "check -error-> failed\n"
		      "report -done-> stop\n"
		      "failed -done-> stop\n");
}

static void test_mount(void **state)
{
	(void)state;
	check_machine(&famfs_mount_machine, 1,
		      "init -start-> probe\n"
		      "probe -ok-> validate\n"
		      "probe -error-> failed\n"
		      "validate -ok-> replay\n"
		      "validate -error-> failed\n"
		      "replay -ok-> mount\n"
		      "replay -corrupt-> mount\n"
		      "replay -error-> failed\n"
		      "mount -ok-> ready\n"
		      "mount -serve-> serve\n"
		      "mount -error-> failed\n"
		      "ready -done-> stop\n"
		      "ready -error-> failed\n"
		      "serve -done-> stop\n"
		      "serve -error-> failed\n"
		      "failed -done-> stop\n");
}

/* the appliance's console is checked for several of these lines */
static void test_init(void **state)
{
	(void)state;
	check_machine(&famfs_init_machine, 1,
		      "init -start-> probe\n"
		      "probe -ok-> validate\n"
		      "probe -error-> failed\n"
		      "validate -ok-> mount\n"
		      "validate -blank-> format\n"
		      "validate -error-> failed\n"
		      "format -ok-> validate\n"
		      "format -error-> failed\n"
		      "mount -ok-> serve\n"
		      "mount -error-> failed\n"
		      "serve -ok-> handoff\n"
		      "serve -error-> failed\n"
		      "handoff -done-> stop\n"
		      "handoff -error-> failed\n"
		      "failed -done-> stop\n");
}

/* the server waits in serving, damaged and stale for posted events */
static void test_server(void **state)
{
	const struct famfs_sm_def *d = &famfs_server_machine;

	(void)state;
	check_machine(d, 0,
		      "init -ok-> serving\n"
		      "init -corrupt-> damaged\n"
		      "serving -changed-> refreshing\n"
		      "serving -term-> stopping\n"
		      "refreshing -ok-> serving\n"
		      "refreshing -corrupt-> damaged\n"
		      "refreshing -stale-> stale\n"
		      "damaged -changed-> refreshing\n"
		      "damaged -term-> stopping\n"
		      "stale -term-> stopping\n"
		      "stopping -done-> stop\n");
	/* stale is left only by stopping: no refresh revives it */
	assert_int_equal(famfs_sm_next(d, 4, FAMFS_EV_CHANGED), -ENOENT);
	assert_string_equal(famfs_sm_state_name(d, 4), "stale");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mkfs),
		cmocka_unit_test(test_fsck),
		cmocka_unit_test(test_mount),
		cmocka_unit_test(test_init),
		cmocka_unit_test(test_server),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
