// SPDX-License-Identifier: Apache-2.0
/*
 * Group commit in the metadata log (log.c): entries staged with
 * famfs_log_stage() are invisible to every reader (the tail, a scan to
 * the tail, another host reading the tail) until famfs_log_commit()
 * publishes them with one tail record; then all of them are there.  A
 * publish torn (the newer slot damaged) rolls forward over all of them;
 * a crash before the publish leaves none.  The window after the last
 * staged entry is zeroed by the commit.
 */
#include "log_util.h"

struct fx {
	struct famfs_dev dev;
	struct famfs_sb_info sbi;
	struct famfs_log log;
	struct famfs_entry e;
};

static int setup(void **state)
{
	struct famfs_mkfs_opts o = {
		.log_len = LOG_LEN, .alloc_unit = AU, .mkfs_time = 1700000000,
	};
	struct famfs_why why = { "" };
	struct fx *f = calloc(1, sizeof(*f));
	int rc;

	if (!f || ut_mem_dev_init(&f->dev, famfs_min_dev_size(LOG_LEN, AU)))
		return -1;
	ut_uuid(o.fs_uuid, 0x10);
	ut_uuid(o.dev_uuid, 0x20);
	ut_uuid(o.master_uuid, 0x30);
	rc = famfs_mkfs_plan(&f->dev, &o, &f->sbi, &why);
	if (!rc)
		rc = famfs_mkfs_write(&f->dev, &f->sbi, &why);
	if (!rc)
		rc = famfs_sb_decode(f->dev.base, f->dev.size, &f->sbi, &why);
	if (!rc)
		rc = famfs_log_open(&f->log, &f->dev, &f->sbi, &why);
	if (!rc)
		rc = famfs_log_read_tail(&f->log, &why);
	if (rc)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	ut_mem_dev_free(&f->dev);
	free(f);
	return 0;
}

/* Stage a MKDIR of "d<i>". */
static int stage_dir(struct fx *f, unsigned int i)
{
	struct famfs_why why = { "" };
	char path[32];

	snprintf(path, sizeof(path), "d%u", i);
	memset(&f->e, 0, sizeof(f->e));
	f->e.type = FAMFS_ENTRY_MKDIR;
	f->e.dir.mode = 0755;
	assert_int_equal(famfs_entry_set_path(&f->e, path), 0);
	return famfs_log_stage(&f->log, &f->e, &why);
}

/* What another host sees: the tail it reads and the entries before it. */
static uint64_t visible(struct fx *f)
{
	struct famfs_log l = f->log;
	struct famfs_scan res;

	l.npend = 0;
	assert_int_equal(famfs_log_read_tail(&l, NULL), 0);
	assert_int_equal(famfs_log_scan(&l, ENTRIES, 0, l.tail.next_off, NULL,
					NULL, &res), 0);
	assert_int_equal(res.err, 0);
	assert_int_equal(res.entries, l.tail.next_seq);
	return res.entries;
}

static void test_staged_invisible_until_commit(void **state)
{
	struct fx *f = *state;
	uint64_t gen = f->log.tail.gen;

	for (unsigned int i = 0; i < 10; i++) {
		assert_int_equal(stage_dir(f, i), 0);
		assert_int_equal(f->e.seq, i);
		assert_int_equal(visible(f), 0);
		assert_int_equal(f->log.tail.gen, gen);	/* nothing published */
	}
	assert_int_equal(famfs_log_next_seq(&f->log), 10);
	assert_int_equal(famfs_log_commit(&f->log), 10);
	assert_int_equal(f->log.tail.gen, gen + 1);	/* one publish */
	assert_int_equal(visible(f), 10);
	assert_int_equal(famfs_log_commit(&f->log), 0);	/* nothing left */
	assert_int_equal(f->log.tail.gen, gen + 1);
	/* the next batch goes after the first, again all or nothing */
	assert_int_equal(stage_dir(f, 10), 0);
	assert_int_equal(stage_dir(f, 11), 0);
	assert_int_equal(visible(f), 10);
	assert_int_equal(famfs_log_commit(&f->log), 2);
	assert_int_equal(visible(f), 12);
	assert_int_equal(famfs_log_first_dirty(&f->log, f->log.tail.next_off,
					       LOG_LEN), LOG_LEN);
}

/* A crash before the publish: the staged entries stay uncommitted. */
static void test_crash_before_publish(void **state)
{
	struct fx *f = *state;
	struct famfs_log again;

	assert_int_equal(stage_dir(f, 0), 0);
	assert_int_equal(famfs_log_commit(&f->log), 1);
	for (unsigned int i = 1; i < 6; i++)
		assert_int_equal(stage_dir(f, i), 0);
	/* "crash": a fresh open of the log, as the next mount does */
	assert_int_equal(famfs_log_open(&again, &f->dev, &f->sbi, NULL), 0);
	assert_int_equal(famfs_log_read_tail(&again, NULL), 0);
	assert_int_equal(again.tail.next_seq, 1);
	assert_int_equal(again.rolled, 0);
	/* what is after the tail is the uncommitted batch (fsck: torn tail) */
	assert_int_equal(famfs_log_first_dirty(&again, again.tail.next_off,
					       LOG_LEN), again.tail.next_off);
}

/* A publish torn: the older record rolls forward over the whole batch. */
static void test_torn_publish_rolls_whole_batch(void **state)
{
	struct fx *f = *state;
	struct famfs_log again;
	uint64_t end;

	assert_int_equal(stage_dir(f, 0), 0);
	assert_int_equal(famfs_log_commit(&f->log), 1);
	for (unsigned int i = 1; i < 8; i++)
		assert_int_equal(stage_dir(f, i), 0);
	assert_int_equal(famfs_log_commit(&f->log), 7);
	end = f->log.tail.next_off;
	/* damage the record that published the batch */
	f->dev.base[f->sbi.log_offset + (f->log.tail.gen & 1 ? TAIL1 : TAIL0) +
		    3] ^= 0x10;
	assert_int_equal(famfs_log_open(&again, &f->dev, &f->sbi, NULL), 0);
	assert_int_equal(famfs_log_read_tail(&again, NULL), 0);
	assert_int_equal(again.rolled, 1);
	assert_int_equal(again.tail.next_seq, 8);
	assert_int_equal(again.tail.next_off, end);
}

/* A refused stage writes nothing and leaves the batch as it was. */
static void test_refused_stage(void **state)
{
	struct fx *f = *state;
	struct famfs_why why = { "" };

	assert_int_equal(stage_dir(f, 0), 0);
	memset(&f->e, 0, sizeof(f->e));
	f->e.type = FAMFS_ENTRY_MKDIR;
	f->e.dir.mode = 0755;
	assert_int_equal(famfs_entry_set_path(&f->e, "ok"), 0);
	f->e.dir.mode = 0xffffffff;	/* does not validate */
	assert_true(famfs_log_stage(&f->log, &f->e, &why) < 0);
	assert_msg_nonempty(&why);
	assert_int_equal(f->log.npend, 1);
	/* and a single append is refused while a batch is staged */
	assert_int_equal(famfs_log_append(&f->log, &f->e, &why), -EBUSY);
	assert_int_equal(famfs_log_commit(&f->log), 1);
	assert_int_equal(visible(f), 1);
}

#define FX(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		FX(test_staged_invisible_until_commit),
		FX(test_crash_before_publish),
		FX(test_torn_publish_rolls_whole_batch),
		FX(test_refused_stage),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
