// SPDX-License-Identifier: Apache-2.0
/*
 * The incoherent-memory model (lib/incoherent.c) shows the hazards of
 * real hardware.  Two opens of one image file are two hosts, A (writer)
 * and B (reader):
 *   - a stale read: B does not see A's flushed store until it invalidates;
 *   - a lost store: what A stored without a flush never reaches B;
 *   - a torn view: when A flushes the lines of a multi-line structure in
 *     the wrong order (a log entry after its tail), B sees part of it, and
 *     the log reader refuses the torn entry;
 *   - early eviction (seeded) writes an unflushed line back by itself,
 *     the never-write-back mode never does;
 *   - an invalidate writes a dirty line back first (as clflush does).
 * Built only in build/incoherent (tests/incoherent/incoherent.mk).
 */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "famfs.h"
#include "famfs_incoherent.h"
#include "famfs_log.h"
#include "famfs_mkfs.h"

#define IMG_SIZE	(64ull << 20)

struct two {
	char path[64];
	struct famfs_dev a, b;
};

static int setup(void **state)
{
	struct two *t = calloc(1, sizeof(*t));
	struct famfs_why why = { "" };
	int fd;

	assert_non_null(t);
	snprintf(t->path, sizeof(t->path), "/tmp/famfs-inco.XXXXXX");
	fd = mkstemp(t->path);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, (off_t)IMG_SIZE), 0);
	close(fd);
	assert_int_equal(famfs_inco_set_mode("never"), 0);
	assert_int_equal(famfs_dev_open(&t->a, t->path, FAMFS_DEV_RDWR, &why), 0);
	assert_int_equal(famfs_dev_open(&t->b, t->path, 0, &why), 0);
	*state = t;
	return 0;
}

static int teardown(void **state)
{
	struct two *t = *state;

	famfs_dev_close(&t->a);
	famfs_dev_close(&t->b);
	unlink(t->path);
	free(t);
	return 0;
}

static void test_private_views(void **state)
{
	struct two *t = *state;

	assert_true(famfs_inco_enabled());
	assert_ptr_not_equal(t->a.base, t->b.base);
	assert_false(famfs_dev_coherent(&t->a));
}

static void test_stale_read_without_invalidate(void **state)
{
	struct two *t = *state;
	uint8_t *pa = t->a.base + 4096, *pb = t->b.base + 4096;

	assert_int_equal(pb[0], 0);		/* B has loaded the line */
	memset(pa, 0x11, 64);
	famfs_flush(pa, 64);
	assert_int_equal(pb[0], 0);		/* stale: no invalidate */
	famfs_invalidate(pb, 64);
	assert_int_equal(pb[0], 0x11);
	assert_int_equal(pb[63], 0x11);
}

static void test_lost_store_without_flush(void **state)
{
	struct two *t = *state;
	struct famfs_why why = { "" };
	uint8_t *pa = t->a.base + 8192, *pb = t->b.base + 8192;

	memset(pa, 0x22, 128);
	famfs_flush(pa + 64, 64);		/* the second line only */
	famfs_dev_close(&t->a);			/* A's cache is gone */
	famfs_invalidate(pb, 128);
	assert_int_equal(pb[0], 0);		/* lost */
	assert_int_equal(pb[64], 0x22);
	assert_int_equal(famfs_dev_open(&t->a, t->path, FAMFS_DEV_RDWR, &why), 0);
	assert_int_equal(t->a.base[8192], 0);	/* also for A's next open */
}

static void test_invalidate_writes_back(void **state)
{
	struct two *t = *state;
	uint8_t *pa = t->a.base + 12288, *pb = t->b.base + 12288;

	pa[5] = 0x33;
	famfs_invalidate(pa, 64);		/* clflush: dirty line goes out */
	assert_int_equal(pa[5], 0x33);
	famfs_invalidate(pb, 64);
	assert_int_equal(pb[5], 0x33);
}

/* mkfs on A; both hosts open the log. */
static void make_fs(struct two *t, struct famfs_log *la, struct famfs_log *lb,
		    struct famfs_sb_info *sbi)
{
	struct famfs_mkfs_opts o = { .log_len = 2 << 20, .mkfs_time = 1 };
	struct famfs_why why = { "" };

	memset(o.master_uuid, 0xaa, 16);
	if (famfs_mkfs_plan(&t->a, &o, sbi, &why))
		fail_msg("mkfs plan: %s", why.msg);
	assert_int_equal(famfs_mkfs_write(&t->a, sbi, &why), 0);
	famfs_invalidate(t->b.base, FAMFS_SB_SIZE);
	assert_int_equal(famfs_sb_decode(t->b.base, IMG_SIZE, sbi, &why), 0);
	assert_int_equal(famfs_log_open(la, &t->a, sbi, &why), 0);
	assert_int_equal(famfs_log_open(lb, &t->b, sbi, &why), 0);
	assert_int_equal(famfs_log_read_tail(la, &why), 0);
}

static void long_dir(struct famfs_entry *e, char c)
{
	char path[200];

	memset(e, 0, sizeof(*e));
	e->type = FAMFS_ENTRY_MKDIR;
	e->dir.mode = 0755;
	memset(path, c, sizeof(path) - 1);
	path[sizeof(path) - 1] = '\0';
	assert_int_equal(famfs_entry_set_path(e, path), 0);
}

static int scan_count(struct famfs_log *lb, int *err)
{
	struct famfs_why why = { "" };
	struct famfs_scan res;

	assert_int_equal(famfs_log_read_tail(lb, &why), 0);
	assert_int_equal(famfs_log_scan(lb, lb->info.entries_off, 0,
					lb->tail.next_off, NULL, NULL, &res), 0);
	*err = res.err;
	return (int)res.entries;
}

static void test_append_seen_by_reader(void **state)
{
	struct two *t = *state;
	struct famfs_log la, lb;
	struct famfs_sb_info sbi;
	struct famfs_why why = { "" };
	struct famfs_entry e;
	int err;

	make_fs(t, &la, &lb, &sbi);
	long_dir(&e, 'd');
	assert_int_equal(famfs_log_append(&la, &e, &why), 0);
	assert_int_equal(scan_count(&lb, &err), 1);
	assert_int_equal(err, 0);
}

/*
 * The entry (several lines) is stored but only its first line (the
 * header) is flushed before the tail is published: B follows the tail into a torn entry and
 * the reader must refuse it.  Once the rest is flushed it validates.
 */
static void test_torn_entry_after_misordered_flush(void **state)
{
	struct two *t = *state;
	static uint8_t buf[FAMFS_ENTRY_MAX];
	struct famfs_log la, lb;
	struct famfs_sb_info sbi;
	struct famfs_why why = { "" };
	struct famfs_entry e;
	uint64_t off;
	int len, err;

	make_fs(t, &la, &lb, &sbi);
	long_dir(&e, 'x');			/* an older entry, all flushed */
	assert_int_equal(famfs_log_append(&la, &e, &why), 0);
	assert_int_equal(scan_count(&lb, &err), 1);
	long_dir(&e, 'y');
	e.seq = la.tail.next_seq;
	len = famfs_entry_encode(&e, la.info.seed, buf, sizeof(buf), NULL);
	assert_true(len > 128);
	off = la.tail.next_off;
	memcpy(la.base + off, buf, (size_t)len);
	famfs_flush(la.base + off, 1);	/* the first line only */
	famfs_log_publish(&la, off + (uint64_t)len, e.seq + 1);
	assert_int_equal(scan_count(&lb, &err), 1);	/* the torn one refused */
	assert_int_equal(err, -EFSBADCRC);
	famfs_flush(la.base + off, (size_t)len);
	assert_int_equal(scan_count(&lb, &err), 2);
	assert_int_equal(err, 0);
}

/* The same without any flush of the entry: B sees the tail, no entry. */
static void test_stale_entry_behind_tail(void **state)
{
	struct two *t = *state;
	static uint8_t buf[FAMFS_ENTRY_MAX];
	struct famfs_log la, lb;
	struct famfs_sb_info sbi;
	struct famfs_entry e;
	uint64_t off;
	int len, err;

	make_fs(t, &la, &lb, &sbi);
	long_dir(&e, 'z');
	e.seq = la.tail.next_seq;
	len = famfs_entry_encode(&e, la.info.seed, buf, sizeof(buf), NULL);
	off = la.tail.next_off;
	memcpy(la.base + off, buf, (size_t)len);
	famfs_log_publish(&la, off + (uint64_t)len, e.seq + 1);
	assert_int_equal(scan_count(&lb, &err), 0);
	assert_int_not_equal(err, 0);
}

struct reader {
	struct famfs_log *lb;
	int reads;		/* tails read */
	int bad;		/* a tail ahead of the entries B could read */
	int most;		/* most entries seen */
};

/*
 * Host B reads the log after every flush, invalidate and store of A: every
 * tail it trusts must cover entries that validate.
 */
static void reader_check(void *arg)
{
	struct reader *r = arg;
	struct famfs_why why = { "" };
	struct famfs_scan res;

	if (famfs_log_read_tail(r->lb, &why))
		return;
	famfs_log_scan(r->lb, r->lb->info.entries_off, 0,
		       r->lb->tail.next_off, NULL, NULL, &res);
	r->reads++;
	if (res.err || res.entries != r->lb->tail.next_seq)
		r->bad++;
	if ((int)res.entries > r->most)
		r->most = (int)res.entries;
}

/*
 * famfs_log_append in @mode, host B reading the log between any two
 * steps of it: B never follows a tail to a stale or torn entry.
 */
static void appends_with_reader(struct two *t, const char *mode)
{
	struct famfs_log la, lb;
	struct famfs_sb_info sbi;
	struct famfs_why why = { "" };
	struct reader r = { .lb = &lb };
	struct famfs_entry e;

	assert_int_equal(famfs_inco_set_mode(mode), 0);
	make_fs(t, &la, &lb, &sbi);
	famfs_inco_observe(reader_check, &r);
	for (int i = 0; i < 60; i++) {
		long_dir(&e, (char)('a' + i % 26));
		e.path[0] = (char)('A' + i / 26);
		assert_int_equal(famfs_log_append(&la, &e, &why), 0);
	}
	famfs_inco_observe(NULL, NULL);
	famfs_inco_set_mode("never");
	assert_true(r.reads > 60);
	assert_int_equal(r.bad, 0);
	assert_int_equal(r.most, 60);
}

static void test_append_order_never(void **state)
{
	appends_with_reader(*state, "never");
}

static void test_append_order_evict(void **state)
{
	appends_with_reader(*state, "evict:1:1000");
	teardown(state);
	setup(state);
	appends_with_reader(*state, "evict:2:500");
}

/* Events (flushes elsewhere) until an unflushed line reaches B, or 0. */
static int events_until_seen(struct two *t, int max)
{
	uint8_t *pa = t->a.base + 65536, *pb = t->b.base + 65536;

	pa[0] = 0x44;
	famfs_inco_note(pa, 1);			/* a store near here */
	for (int i = 1; i <= max; i++) {
		famfs_flush(pa + 128, 8);
		famfs_invalidate(pb, 64);
		if (pb[0] == 0x44)
			return i;
	}
	return 0;
}

static void test_never_mode_keeps_dirty_lines(void **state)
{
	assert_int_equal(events_until_seen(*state, 500), 0);
}

static void test_eviction_writes_back_early(void **state)
{
	struct famfs_inco_stats s0, s1;
	int n;

	famfs_inco_stats(&s0);
	assert_int_equal(famfs_inco_set_mode("evict:7:1000"), 0);
	n = events_until_seen(*state, 500);
	famfs_inco_set_mode("never");
	famfs_inco_stats(&s1);
	assert_true(n > 0);
	assert_true(s1.evicted > s0.evicted);
}

static void test_eviction_is_seeded(void **state)
{
	struct two *t = *state;
	int n1, n2;

	assert_int_equal(famfs_inco_set_mode("evict:3:500"), 0);
	n1 = events_until_seen(t, 500);
	t->a.base[65536] = 0;
	famfs_flush(t->a.base + 65536, 64);
	famfs_invalidate(t->b.base + 65536, 64);
	assert_int_equal(famfs_inco_set_mode("evict:3:500"), 0);
	n2 = events_until_seen(t, 500);
	famfs_inco_set_mode("never");
	assert_true(n1 > 0);
	assert_int_equal(n1, n2);
}

static void test_mode_spec(void **state)
{
	(void)state;
	assert_int_equal(famfs_inco_set_mode("evict:1"), 0);
	assert_int_equal(famfs_inco_set_mode("evict:1:1001"), -EINVAL);
	assert_int_equal(famfs_inco_set_mode("sometimes"), -EINVAL);
	assert_int_equal(famfs_inco_set_mode("never"), 0);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_private_views),
		T(test_stale_read_without_invalidate),
		T(test_lost_store_without_flush),
		T(test_invalidate_writes_back),
		T(test_append_seen_by_reader),
		T(test_torn_entry_after_misordered_flush),
		T(test_stale_entry_behind_tail),
		T(test_append_order_never),
		T(test_append_order_evict),
		T(test_never_mode_keeps_dirty_lines),
		T(test_eviction_writes_back_early),
		T(test_eviction_is_seeded),
		cmocka_unit_test(test_mode_spec),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
