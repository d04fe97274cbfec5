// SPDX-License-Identifier: Apache-2.0
/*
 * The system log engine (slog.c) with a recording writer and a fake
 * clock: the filesystem's name on every line, priorities, the per-cause
 * rate limit and its "suppressed" note, control characters, the ring of
 * recent warnings and its JSON, the echo and NOECHO.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "famfs.h"
#include "famfs_slog.h"

#define MAXREC 64

struct rec {
	unsigned int n;
	int prio[MAXREC];
	char line[MAXREC][FAMFS_SLOG_LINE];
};

static struct rec out, echoed;
static time_t fake_mono;
static time_t fake_real = 1765000000;	/* 2025-12-06T05:46:40Z */

static void record(void *arg, int prio, const char *line)
{
	struct rec *r = arg;

	assert_true(r->n < MAXREC);
	r->prio[r->n] = prio;
	snprintf(r->line[r->n], FAMFS_SLOG_LINE, "%s", line);
	r->n++;
}

static time_t mono(void)
{
	return fake_mono;
}

static void real(struct timespec *ts)
{
	ts->tv_sec = fake_real;
	ts->tv_nsec = 250000000;
}

static void setup(struct famfs_slog *l)
{
	memset(&out, 0, sizeof(out));
	memset(&echoed, 0, sizeof(echoed));
	fake_mono = 1000;
	famfs_slog_init(l);
	l->mono = mono;
	l->real = real;
	l->write = record;
	l->write_arg = &out;
	famfs_slog_set_name(l, "/mnt/f");
}

static void test_name_and_priority(void **state)
{
	struct famfs_slog l;

	(void)state;
	setup(&l);
	famfs_slog(&l, LOG_NOTICE, NULL, "mounted %s", "img");
	famfs_slog(&l, LOG_DEBUG, NULL, "not at info");
	famfs_slog(NULL, LOG_ERR, NULL, "no log: nothing");
	assert_int_equal(out.n, 1);
	assert_int_equal(out.prio[0], LOG_NOTICE);
	assert_string_equal(out.line[0], "/mnt/f: mounted img");
	l.max_prio = LOG_DEBUG;
	famfs_slog(&l, LOG_DEBUG, NULL, "now shown");
	assert_int_equal(out.n, 2);
	famfs_slog_set_name(&l, "");
	famfs_slog(&l, LOG_ERR, NULL, "bare");
	assert_string_equal(out.line[2], "bare");
	famfs_slog_destroy(&l);
}

static void test_rate_limit(void **state)
{
	struct famfs_slog l;

	(void)state;
	setup(&l);
	for (int i = 0; i < 20; i++)
		famfs_slog(&l, LOG_WARNING, "daxdev", "refused %d", i);
	assert_int_equal(out.n, FAMFS_SLOG_BURST);
	/* another cause has its own budget; life-cycle lines have none */
	famfs_slog(&l, LOG_WARNING, "other-cause", "x");
	for (int i = 0; i < 20; i++)
		famfs_slog(&l, LOG_NOTICE, NULL, "life %d", i);
	assert_int_equal(out.n, FAMFS_SLOG_BURST + 21);
	/* still inside the interval: dropped */
	fake_mono += FAMFS_SLOG_INTERVAL - 1;
	famfs_slog(&l, LOG_WARNING, "daxdev", "late");
	assert_int_equal(out.n, FAMFS_SLOG_BURST + 21);
	/* the next interval: the note first, then the line */
	fake_mono += 1;
	famfs_slog(&l, LOG_WARNING, "daxdev", "again");
	assert_int_equal(out.n, FAMFS_SLOG_BURST + 23);
	assert_string_equal(out.line[out.n - 2],
			    "/mnt/f: 16 more 'daxdev' messages were suppressed");
	assert_string_equal(out.line[out.n - 1], "/mnt/f: again");
	famfs_slog_destroy(&l);
}

static void test_many_causes_share_a_slot(void **state)
{
	struct famfs_slog l;
	char cause[32];

	(void)state;
	setup(&l);
	/* more causes than slots: the overflow shares one, still limited */
	for (int i = 0; i < 3 * FAMFS_SLOG_CAUSES; i++) {
		snprintf(cause, sizeof(cause), "cause%d", i);
		famfs_slog(&l, LOG_WARNING, cause, "c %d", i);
	}
	assert_int_equal(l.ncause, FAMFS_SLOG_CAUSES);
	assert_int_equal(out.n, FAMFS_SLOG_CAUSES - 1 + FAMFS_SLOG_BURST);
	famfs_slog_destroy(&l);
}

static void test_control_characters(void **state)
{
	struct famfs_slog l;

	(void)state;
	setup(&l);
	famfs_slog(&l, LOG_WARNING, NULL, "name %s", "a\nfake: line\x1b[1m");
	assert_string_equal(out.line[0], "/mnt/f: name a?fake: line?[1m");
	famfs_slog_destroy(&l);
}

static void test_recent_ring_and_json(void **state)
{
	struct famfs_slog_entry e[FAMFS_SLOG_RECENT];
	struct famfs_slog l;
	char js[8192], small[64];
	unsigned int n;

	(void)state;
	setup(&l);
	assert_int_equal(famfs_slog_recent_json(&l, js, sizeof(js)), 2);
	assert_string_equal(js, "[]");
	famfs_slog(&l, LOG_INFO, NULL, "info is not kept");
	for (int i = 0; i < FAMFS_SLOG_RECENT + 3; i++)
		famfs_slog(&l, i % 2 ? LOG_ERR : LOG_WARNING, NULL, "w%d", i);
	n = famfs_slog_recent(&l, e, FAMFS_SLOG_RECENT);
	assert_int_equal(n, FAMFS_SLOG_RECENT);
	assert_string_equal(e[0].msg, "/mnt/f: w3");	/* oldest kept */
	assert_string_equal(e[n - 1].msg, "/mnt/f: w10");
	assert_int_equal(famfs_slog_recent(&l, e, 2), 2);
	assert_string_equal(e[1].msg, "/mnt/f: w10");
	famfs_slog(&l, LOG_ERR, NULL, "quote \" and \\");
	assert_true(famfs_slog_recent_json(&l, js, sizeof(js)) > 0);
	assert_non_null(strstr(js, "{\"time\":\"2025-12-06T05:46:40.250Z\",\"priority\":\"error\",\"message\":\"/mnt/f: quote \\\" and \\\\\"}]"));
	assert_int_equal(js[0], '[');
	assert_int_equal(famfs_slog_recent_json(&l, small, sizeof(small)),
			 -ENOSPC);
	famfs_slog_destroy(&l);
}

static void test_echo(void **state)
{
	struct famfs_slog l;

	(void)state;
	setup(&l);
	l.echo = record;
	l.echo_arg = &echoed;
	famfs_slog(&l, LOG_WARNING, NULL, "both");
	famfs_slog_flags(&l, LOG_ERR, FAMFS_SLOG_NOECHO, NULL, "log only");
	assert_int_equal(out.n, 2);
	assert_int_equal(echoed.n, 1);
	assert_string_equal(echoed.line[0], "/mnt/f: both");
	assert_string_equal(famfs_slog_prio_name(LOG_ERR), "error");
	assert_string_equal(famfs_slog_prio_name(99), "?");
	famfs_slog_destroy(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_name_and_priority),
		cmocka_unit_test(test_rate_limit),
		cmocka_unit_test(test_many_causes_share_a_slot),
		cmocka_unit_test(test_control_characters),
		cmocka_unit_test(test_recent_ring_and_json),
		cmocka_unit_test(test_echo),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
