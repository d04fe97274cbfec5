// SPDX-License-Identifier: Apache-2.0
/*
 * fsck (fsck.c) on damaged memfd images: every problem class the passes
 * report, the exit bits, what --repair fixes and that without it the image
 * is never written.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "unit_fs.h"
#include "famfs_fsck.h"
#include "omf.h"

#define AU (2 * UNIT_MiB)		/* the default allocation unit */
#define DATA_OFF (10 * UNIT_MiB)	/* 2 MiB + 8 MiB log, aligned */

static struct uimg im;
static struct famfs_fsck *ck;
static struct famfs_fs *fs;
static struct famfs_entry *ent;
static uint8_t *snap;

static int setup(void **state)
{
	(void)state;
	im.fd = -1;
	ck = calloc(1, sizeof(*ck));
	fs = calloc(1, sizeof(*fs));
	ent = calloc(1, sizeof(*ent));
	if (!ck || !fs || !ent)
		return -1;
	ck->fs.dev.fd = -1;
	fs->dev.fd = -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	famfs_fsck_done(ck);
	famfs_fs_close(fs);
	free(ck);
	free(fs);
	free(ent);
	free(snap);
	ck = NULL;
	fs = NULL;
	ent = NULL;
	snap = NULL;
	uimg_destroy(&im);
	return 0;
}

/*
 * A formatted 64 MiB image with 2 directories and 3 files (5 entries,
 * 3 allocation units and one 4 KiB granule: charlie is packed).
 */
#define USED (3 * AU + 4096)

static void populate(void)
{
	uimg_new(&im, 64 * UNIT_MiB, 0, 0);
	ufs_open(fs, &im, FAMFS_DEV_RDWR);
	ufs_mkdir(fs, "dir");
	ufs_mkfile(fs, "dir/alpha", AU);
	ufs_mkfile(fs, "bravo", AU + 1);
	ufs_mkdir(fs, "dir/sub");
	ufs_mkfile(fs, "dir/sub/charlie", 1);
	famfs_fs_close(fs);
}

static void dump(void)
{
	for (unsigned int i = 0; i < ck->nitems; i++)
		print_error("  [%s%s] %s\n",
			    famfs_problem_desc(ck->items[i].code)->name,
			    ck->items[i].fixed ? ", fixed" : "",
			    ck->items[i].msg);
}

/* Run fsck to the end and return its exit code; @ck keeps the report. */
static int run(int repair)
{
	struct famfs_why why = { "" };
	int rc = famfs_fsck_run(ck, im.path, repair, &why);

	famfs_fsck_done(ck);
	if (rc)
		print_error("famfs_fsck_run: %d %s\n", rc, why.msg);
	assert_int_equal(rc, 0);
	return famfs_fsck_exit(ck);
}

static int expect_exit(int repair, int want)
{
	int code = run(repair);

	if (code != want) {
		print_error("fsck%s exit %d, expected %d\n",
			    repair ? " --repair" : "", code, want);
		dump();
	}
	assert_int_equal(code, want);
	return code;
}

static const struct famfs_fsck_item *find(enum famfs_problem code)
{
	for (unsigned int i = 0; i < ck->nitems; i++)
		if (ck->items[i].code == code)
			return &ck->items[i];
	return NULL;
}

static unsigned int count(enum famfs_problem code)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < ck->nitems; i++)
		n += ck->items[i].code == code;
	return n;
}

static const struct famfs_fsck_item *expect_item(enum famfs_problem code)
{
	const struct famfs_fsck_item *it = find(code);

	if (!it) {
		print_error("no '%s' problem reported; got:\n",
			    famfs_problem_desc(code)->name);
		dump();
	}
	assert_non_null(it);
	return it;
}

static struct famfs_tail read_tail(void)
{
	struct famfs_why why = { "" };
	struct famfs_tail t;

	assert_int_equal(famfs_fs_open(fs, im.path, 0, &why), 0);
	assert_int_equal(famfs_log_read_tail(&fs->log, &why), 0);
	t = fs->log.tail;
	famfs_fs_close(fs);
	return t;
}

static uint64_t log_off(uint64_t rel)
{
	return im.sb.log_offset + rel;
}

/* ---- the problem table ------------------------------------------------- */

static void test_problem_table(void **state)
{
	(void)state;
	for (int i = 0; i < _FAMFS_PR_MAX; i++) {
		const struct famfs_problem_desc *d =
			famfs_problem_desc((enum famfs_problem)i);
		int fixable = i == FAMFS_PR_TAIL_SLOT ||
			      i == FAMFS_PR_TAIL_BOTH ||
			      i == FAMFS_PR_UNCOMMITTED ||
			      i == FAMFS_PR_GARBAGE ||
			      i == FAMFS_PR_SB_TORN;

		assert_non_null(d);
		assert_non_null(d->name);
		for (int j = 0; j < i; j++)
			assert_string_not_equal(d->name,
				famfs_problem_desc((enum famfs_problem)j)->name);
		assert_int_equal(!!(d->flags & FAMFS_PRF_FIXABLE), fixable);
	}
	assert_true(famfs_problem_desc(FAMFS_PR_SB_MISSING)->flags &
		    FAMFS_PRF_OPERROR);
	assert_false(famfs_problem_desc(FAMFS_PR_SB_CRC)->flags &
		     FAMFS_PRF_OPERROR);
	assert_null(famfs_problem_desc(_FAMFS_PR_MAX));
	assert_null(famfs_problem_desc((enum famfs_problem)-1));
}

/* ---- a clean filesystem -------------------------------------------------- */

static void test_clean(void **state)
{
	(void)state;
	populate();
	snap = uimg_snapshot(&im);
	expect_exit(0, FAMFS_FSCK_OK);
	assert_int_equal(ck->nproblems, 0);
	assert_int_equal(ck->nitems, 0);
	assert_true(ck->have_sb);
	assert_true(ck->have_log);
	assert_int_equal(ck->st.files, 3);
	assert_int_equal(ck->st.dirs, 2);
	assert_int_equal(ck->st.entries, 5);
	assert_int_equal(ck->st.used, USED);
	assert_int_equal(ck->st.file_bytes, AU + AU + 1 + 1);
	assert_int_equal(ck->st.capacity, 64 * UNIT_MiB - DATA_OFF);
	assert_int_equal(ck->st.dev_size, 64 * UNIT_MiB);
	assert_int_equal(ck->st.alloc_unit, AU);
	assert_int_equal(ck->st.log_len, 8 * UNIT_MiB);
	assert_int_equal(ck->st.ndevs, 1);
	assert_int_equal(ck->st.log_used, read_tail().next_off);
	assert_memory_equal(ck->st.fs_uuid, im.sb.fs_uuid, 16);
	assert_memory_equal(ck->st.master_uuid, im.sb.master_uuid, 16);
	/* --repair on a clean filesystem changes nothing */
	expect_exit(1, FAMFS_FSCK_OK);
	assert_true(uimg_same(&im, snap));
}

static void test_clean_empty(void **state)
{
	(void)state;
	uimg_new(&im, 64 * UNIT_MiB, 0, 0);
	expect_exit(0, FAMFS_FSCK_OK);
	assert_int_equal(ck->st.entries, 0);
	assert_int_equal(ck->st.files, 0);
	assert_int_equal(ck->st.used, 0);
}

/* ---- cross-links and bad extents ----------------------------------------- */

static void test_crosslink(void **state)
{
	const struct famfs_fsck_item *it;
	struct famfs_extent x;

	(void)state;
	populate();
	ufs_open(fs, &im, 0);
	x = ufs_lookup(fs, "dir/alpha")->file->ext[0];
	famfs_fs_close(fs);
	uent_file(ent, "dir/sub/echo", 100, x.dev, x.offset, x.len);
	uimg_append(&im, ent);

	expect_exit(0, FAMFS_FSCK_ERRORS);
	it = expect_item(FAMFS_PR_CROSSLINK);
	assert_int_equal(count(FAMFS_PR_CROSSLINK), 1);
	assert_non_null(strstr(it->msg, "'dir/alpha'"));
	assert_non_null(strstr(it->msg, "'dir/sub/echo'"));
	assert_int_equal(ck->nitems, 1);
	/* the file is still checked and counted */
	assert_int_equal(ck->st.files, 4);
	assert_int_equal(ck->st.entries, 6);
	/* nothing to repair */
	snap = uimg_snapshot(&im);
	expect_exit(1, FAMFS_FSCK_ERRORS);
	assert_true(uimg_same(&im, snap));
}

static void test_crosslink_partial(void **state)
{
	const struct famfs_fsck_item *it;
	struct famfs_extent x;

	(void)state;
	populate();
	ufs_open(fs, &im, 0);
	x = ufs_lookup(fs, "bravo")->file->ext[0];	/* two units */
	famfs_fs_close(fs);
	/* one unit shared: the second of bravo's, plus a free one */
	uent_file(ent, "foxtrot", 2 * AU, 0, x.offset + AU, 2 * AU);
	uimg_append(&im, ent);

	expect_exit(0, FAMFS_FSCK_ERRORS);
	it = expect_item(FAMFS_PR_CROSSLINK);
	assert_non_null(strstr(it->msg, "'bravo'"));
	assert_non_null(strstr(it->msg, "'foxtrot'"));
}

static const struct {
	const char *name;
	uint32_t dev;
	uint64_t offset, len;
	enum famfs_problem code;
} bad_extents[] = {
	{ "past the device", 0, 62 * UNIT_MiB, 2 * AU, FAMFS_PR_EXT_RANGE },
	{ "far past the device", 0, 1ull << 40, AU, FAMFS_PR_EXT_RANGE },
	{ "in the log", 0, 2 * UNIT_MiB, AU, FAMFS_PR_EXT_META },
	{ "on the superblock", 0, 0, AU, FAMFS_PR_EXT_META },
	{ "misaligned offset", 0, DATA_OFF + 512, AU, FAMFS_PR_EXT_ALIGN },
	{ "misaligned length", 0, DATA_OFF + 8 * AU, AU + 512,
	  FAMFS_PR_EXT_ALIGN },
	{ "unknown device", 3, DATA_OFF + 8 * AU, AU, FAMFS_PR_EXT_DEVICE },
	{ "device 1 of 1", 1, DATA_OFF + 8 * AU, AU, FAMFS_PR_EXT_DEVICE },
};

static void test_bad_extents(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bad_extents) / sizeof(bad_extents[0]); i++) {
		const struct famfs_fsck_item *it;

		populate();
		uent_file(ent, "dir/bad", 1, bad_extents[i].dev,
			  bad_extents[i].offset, bad_extents[i].len);
		uimg_append(&im, ent);
		if (run(0) != FAMFS_FSCK_ERRORS || !find(bad_extents[i].code))
			print_error("case '%s'\n", bad_extents[i].name);
		assert_int_equal(famfs_fsck_exit(ck), FAMFS_FSCK_ERRORS);
		it = expect_item(bad_extents[i].code);
		assert_int_equal(ck->nitems, 1);
		assert_non_null(strstr(it->msg, "log entry 5 "));
		/* the bad file is not in the namespace, the rest is */
		assert_int_equal(ck->st.files, 3);
		assert_int_equal(ck->st.entries, 6);
		assert_int_equal(ck->st.used, USED);
		uimg_destroy(&im);
	}
}

/* ---- namespace ------------------------------------------------------------ */

static void test_namespace_duplicate(void **state)
{
	const struct famfs_fsck_item *it;

	(void)state;
	populate();
	uent_dir(ent, "dir/sub");
	uimg_append(&im, ent);
	expect_exit(0, FAMFS_FSCK_ERRORS);
	it = expect_item(FAMFS_PR_NAMESPACE);
	assert_non_null(strstr(it->msg, "log entry 5 "));
	assert_non_null(strstr(it->msg, "dir/sub"));
	assert_int_equal(ck->nitems, 1);
}

static void test_namespace_duplicate_file(void **state)
{
	(void)state;
	populate();
	/* a free extent, so only the name is wrong */
	uent_file(ent, "bravo", 1, 0, DATA_OFF + 10 * AU, AU);
	uimg_append(&im, ent);
	expect_exit(0, FAMFS_FSCK_ERRORS);
	expect_item(FAMFS_PR_NAMESPACE);
	assert_int_equal(count(FAMFS_PR_CROSSLINK), 0);
	assert_int_equal(ck->st.used, USED);
}

static void test_namespace_missing_parent(void **state)
{
	const struct famfs_fsck_item *it;

	(void)state;
	populate();
	uent_dir(ent, "nodir/sub");
	uimg_append(&im, ent);
	uent_file(ent, "bravo/under-a-file", 1, 0, DATA_OFF + 10 * AU, AU);
	uimg_append(&im, ent);
	expect_exit(0, FAMFS_FSCK_ERRORS);
	assert_int_equal(count(FAMFS_PR_NAMESPACE), 2);
	it = &ck->items[0];
	assert_non_null(strstr(it->msg, "log entry 5 "));
	assert_non_null(strstr(it->msg, "nodir/sub"));
	it = &ck->items[1];
	assert_non_null(strstr(it->msg, "log entry 6 "));
	assert_int_equal(ck->st.entries, 7);
}

/* ---- the tail and what follows it ----------------------------------------- */

static void damage_slot(int slot)
{
	/* a byte of t_next_off */
	uimg_flip(&im, log_off((slot ? FAMFS_LOG_TAIL1 : FAMFS_LOG_TAIL0) + 9));
}

static void test_tail_slot(void **state)
{
	const struct famfs_fsck_item *it;
	struct famfs_tail t;

	(void)state;
	populate();
	t = read_tail();
	damage_slot((int)((t.gen & 1) ^ 1));		/* the older slot */
	snap = uimg_snapshot(&im);

	expect_exit(0, FAMFS_FSCK_ERRORS);
	it = expect_item(FAMFS_PR_TAIL_SLOT);
	assert_false(it->fixed);
	assert_int_equal(ck->nitems, 1);
	assert_int_equal(ck->st.entries, 5);
	assert_true(uimg_same(&im, snap));

	expect_exit(1, FAMFS_FSCK_CORRECTED);
	it = expect_item(FAMFS_PR_TAIL_SLOT);
	assert_true(it->fixed);
	assert_int_equal(ck->nfixed, 1);
	assert_false(uimg_same(&im, snap));

	expect_exit(0, FAMFS_FSCK_OK);
	assert_int_equal(ck->nproblems, 0);
	assert_int_equal(ck->st.entries, 5);
	/* the repaired tail still covers every entry */
	assert_int_equal(read_tail().next_seq, 5);
	assert_int_equal(read_tail().next_off, t.next_off);
}

static void test_tail_slot_newer(void **state)
{
	struct famfs_tail t;

	(void)state;
	populate();
	t = read_tail();
	damage_slot((int)(t.gen & 1));		/* the newest: damaged */
	snap = uimg_snapshot(&im);
	expect_exit(0, FAMFS_FSCK_ERRORS);
	/* the older tail plus the complete last entry: nothing is lost */
	assert_non_null(strstr(expect_item(FAMFS_PR_TAIL_SLOT)->msg,
			       "complete entry"));
	assert_int_equal(ck->nproblems, 1);
	assert_int_equal(ck->st.entries, 5);
	assert_true(uimg_same(&im, snap));

	expect_exit(1, FAMFS_FSCK_CORRECTED);
	expect_exit(0, FAMFS_FSCK_OK);
	assert_int_equal(ck->st.entries, 5);
	assert_int_equal(read_tail().next_off, t.next_off);
}

static void test_tail_both(void **state)
{
	struct famfs_tail t;

	(void)state;
	populate();
	t = read_tail();
	damage_slot(0);
	damage_slot(1);
	snap = uimg_snapshot(&im);
	expect_exit(0, FAMFS_FSCK_ERRORS);
	assert_non_null(strstr(expect_item(FAMFS_PR_TAIL_BOTH)->msg,
			       "5 entries"));
	assert_true(uimg_same(&im, snap));

	expect_exit(1, FAMFS_FSCK_CORRECTED);
	expect_exit(0, FAMFS_FSCK_OK);
	assert_int_equal(ck->st.entries, 5);
	assert_int_equal(read_tail().next_off, t.next_off);
}

/* Write entry @seq for @path where the next append would go; no publish. */
static void plant_uncommitted(const char *path)
{
	struct famfs_why why = { "" };
	uint64_t off;
	int len;

	assert_int_equal(famfs_fs_open(fs, im.path, FAMFS_DEV_RDWR, &why), 0);
	assert_int_equal(famfs_log_read_tail(&fs->log, &why), 0);
	off = fs->log.tail.next_off;
	uent_dir(ent, path);
	ent->seq = fs->log.tail.next_seq;
	len = famfs_entry_encode(ent, fs->log.info.seed, fs->log.base + off,
				 fs->log.info.log_len - off, NULL);
	assert_true(len > 0);
	famfs_fs_close(fs);
}

static void test_uncommitted(void **state)
{
	const struct famfs_fsck_item *it;
	struct famfs_tail t;

	(void)state;
	populate();
	t = read_tail();
	plant_uncommitted("dir/ghost");
	snap = uimg_snapshot(&im);

	expect_exit(0, FAMFS_FSCK_ERRORS);
	it = expect_item(FAMFS_PR_UNCOMMITTED);
	assert_non_null(strstr(it->msg, "dir/ghost"));
	assert_int_equal(ck->nitems, 1);
	assert_int_equal(ck->st.entries, 5);
	assert_true(uimg_same(&im, snap));

	expect_exit(1, FAMFS_FSCK_CORRECTED);
	assert_true(expect_item(FAMFS_PR_UNCOMMITTED)->fixed);
	expect_exit(0, FAMFS_FSCK_OK);
	assert_int_equal(ck->st.entries, 5);
	assert_int_equal(uimg_byte(&im, log_off(t.next_off)), 0);
	/* the committed entries are intact and the tail is unchanged */
	assert_int_equal(read_tail().next_off, t.next_off);
	assert_int_equal(ufs_open(fs, &im, 0), 5);
	assert_null(ufs_lookup(fs, "dir/ghost"));
	famfs_fs_close(fs);
}

static void test_garbage(void **state)
{
	static const uint8_t junk[16] = {
		0xa5, 0xa5, 0xa5, 0xa5, 0xde, 0xad, 0xbe, 0xef,
		1, 2, 3, 4, 5, 6, 7, 8,
	};
	const struct famfs_fsck_item *it;
	struct famfs_tail t;
	char where[32];

	(void)state;
	populate();
	t = read_tail();
	uimg_write(&im, log_off(t.next_off + 104), junk, sizeof(junk));
	snap = uimg_snapshot(&im);

	expect_exit(0, FAMFS_FSCK_ERRORS);
	it = expect_item(FAMFS_PR_GARBAGE);
	snprintf(where, sizeof(where), "%#llx",
		 (unsigned long long)(t.next_off + 104));
	assert_non_null(strstr(it->msg, where));
	assert_true(uimg_same(&im, snap));

	expect_exit(1, FAMFS_FSCK_CORRECTED);
	assert_true(expect_item(FAMFS_PR_GARBAGE)->fixed);
	expect_exit(0, FAMFS_FSCK_OK);
	assert_int_equal(ck->st.entries, 5);
	assert_int_equal(uimg_byte(&im, log_off(t.next_off + 104)), 0);
}

static void test_garbage_at_log_end(void **state)
{
	uint8_t b = 0x42;

	(void)state;
	populate();
	uimg_write(&im, log_off(im.sb.log_len - 1), &b, 1);
	expect_exit(0, FAMFS_FSCK_ERRORS);
	expect_item(FAMFS_PR_GARBAGE);
	expect_exit(1, FAMFS_FSCK_CORRECTED);
	expect_exit(0, FAMFS_FSCK_OK);
	/* data right after the log is file space: never touched */
	b = 0x42;
	uimg_write(&im, DATA_OFF, &b, 1);
	expect_exit(0, FAMFS_FSCK_OK);
	assert_int_equal(uimg_byte(&im, DATA_OFF), 0x42);
}

/* Several problems at once; without --repair not one byte changes. */
static void test_no_repair_writes_nothing(void **state)
{
	struct famfs_tail t;
	uint8_t b = 0x77;

	(void)state;
	populate();
	t = read_tail();
	damage_slot((int)((t.gen & 1) ^ 1));
	uimg_write(&im, log_off(t.next_off + 4000), &b, 1);
	snap = uimg_snapshot(&im);

	expect_exit(0, FAMFS_FSCK_ERRORS);
	expect_item(FAMFS_PR_TAIL_SLOT);
	expect_item(FAMFS_PR_GARBAGE);
	assert_int_equal(ck->nfixed, 0);
	assert_true(uimg_same(&im, snap));

	expect_exit(1, FAMFS_FSCK_CORRECTED);
	assert_int_equal(ck->nfixed, 2);
	expect_exit(0, FAMFS_FSCK_OK);
}

/* ---- entries ------------------------------------------------------------------ */

static void test_entry_bad_crc(void **state)
{
	static struct uoffs offs;
	struct uoffs *o = &offs;
	const struct famfs_fsck_item *it;

	(void)state;
	populate();
	assert_int_equal(famfs_fs_open(fs, im.path, 0, &(struct famfs_why){ "" }), 0);
	ufs_entry_offsets(fs, o);
	famfs_fs_close(fs);
	uimg_flip(&im, log_off(o->off[2] + sizeof(struct famfs_dentry) + 1));
	snap = uimg_snapshot(&im);

	expect_exit(0, FAMFS_FSCK_ERRORS);
	it = expect_item(FAMFS_PR_ENTRY_BAD);
	assert_non_null(strstr(it->msg, "log entry 2 "));
	assert_non_null(strstr(it->msg, "3 committed entries"));
	assert_int_equal(ck->st.entries, 2);
	assert_true(uimg_same(&im, snap));

	/* not fixable: --repair leaves it, and the image, alone */
	expect_exit(1, FAMFS_FSCK_ERRORS);
	assert_false(expect_item(FAMFS_PR_ENTRY_BAD)->fixed);
	assert_int_equal(ck->nfixed, 0);
	assert_true(uimg_same(&im, snap));
}

static void test_tail_count(void **state)
{
	struct famfs_why why = { "" };

	(void)state;
	populate();
	/* publish a tail that claims one entry more than the log holds */
	assert_int_equal(famfs_fs_open(fs, im.path, FAMFS_DEV_RDWR, &why), 0);
	assert_int_equal(famfs_log_read_tail(&fs->log, &why), 0);
	famfs_log_publish(&fs->log, fs->log.tail.next_off,
			  fs->log.tail.next_seq + 1);
	famfs_fs_close(fs);
	expect_exit(0, FAMFS_FSCK_ERRORS);
	expect_item(FAMFS_PR_TAIL_COUNT);
}

/* ---- superblock -------------------------------------------------------------- */

static void test_sb_missing(void **state)
{
	static const uint8_t zero[8];
	int code;

	(void)state;
	populate();
	uimg_write(&im, 0, zero, sizeof(zero));
	code = run(0);
	expect_item(FAMFS_PR_SB_MISSING);
	assert_true(code & FAMFS_FSCK_OPERROR);
	assert_false(ck->have_sb);
	assert_false(ck->have_log);
	assert_int_equal(ck->nitems, 1);
}

static void test_sb_missing_blank_device(void **state)
{
	(void)state;
	uimg_create(&im, 64 * UNIT_MiB);
	assert_true(run(0) & FAMFS_FSCK_OPERROR);
	expect_item(FAMFS_PR_SB_MISSING);
	/* --repair does not invent a filesystem */
	assert_true(run(1) & FAMFS_FSCK_OPERROR);
	assert_int_equal(uimg_byte(&im, 0), 0);
}

static void test_sb_bad_crc(void **state)
{
	(void)state;
	populate();
	/* s_mkfs_time is not otherwise validated: only the CRC catches it */
	uimg_flip(&im, offsetof(struct famfs_dsb, s_mkfs_time));
	snap = uimg_snapshot(&im);
	expect_exit(0, FAMFS_FSCK_ERRORS);
	expect_item(FAMFS_PR_SB_CRC);
	assert_int_equal(ck->nitems, 1);
	assert_false(ck->have_log);
	expect_exit(1, FAMFS_FSCK_ERRORS);
	assert_true(uimg_same(&im, snap));
}

static void test_sb_corrupt(void **state)
{
	(void)state;
	populate();
	/* a log offset other than 2 MiB */
	uimg_flip(&im, offsetof(struct famfs_dsb, s_log_offset) + 3);
	expect_exit(0, FAMFS_FSCK_ERRORS);
	expect_item(FAMFS_PR_SB_CORRUPT);
}

static void test_log_header(void **state)
{
	(void)state;
	populate();
	uimg_flip(&im, log_off(offsetof(struct famfs_dlog, l_reserved) + 5));
	expect_exit(0, FAMFS_FSCK_ERRORS);
	expect_item(FAMFS_PR_LOG_HDR);
	assert_true(ck->have_sb);
	assert_false(ck->have_log);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_problem_table),
		T(test_clean),
		T(test_clean_empty),
		T(test_crosslink),
		T(test_crosslink_partial),
		T(test_bad_extents),
		T(test_namespace_duplicate),
		T(test_namespace_duplicate_file),
		T(test_namespace_missing_parent),
		T(test_tail_slot),
		T(test_tail_slot_newer),
		T(test_tail_both),
		T(test_uncommitted),
		T(test_garbage),
		T(test_garbage_at_log_end),
		T(test_no_repair_writes_nothing),
		T(test_entry_bad_crc),
		T(test_tail_count),
		T(test_sb_missing),
		T(test_sb_missing_blank_device),
		T(test_sb_bad_crc),
		T(test_sb_corrupt),
		T(test_log_header),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
