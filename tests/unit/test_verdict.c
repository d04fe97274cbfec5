// SPDX-License-Identifier: Apache-2.0
/*
 * The replay verdict (verdict.c): one row per kind of replay result,
 * asserting the verdict and the reason; then real images replayed and
 * judged with famfs_fs_replay_judged(): clean, an entry with a bad
 * checksum in the middle, an entry that breaks the namespace, both tail
 * records damaged.
 */
#include "unit_fs.h"
#include "famfs_verdict.h"
#include "omf.h"

struct row {
	int rc, entry_err;
	enum famfs_verdict verdict;
	enum famfs_verdict_reason reason;
	const char *what;
};

static const struct row rows[] = {
	{ 0, 0, FAMFS_VERDICT_SERVE, FAMFS_VR_CLEAN, "nothing new" },
	{ 7, 0, FAMFS_VERDICT_SERVE, FAMFS_VR_CLEAN, "entries applied" },
	{ -EFSBADCRC, -EFSBADCRC, FAMFS_VERDICT_PREFIX, FAMFS_VR_BAD_ENTRY,
	  "an entry's checksum" },
	{ -EFSCORRUPTED, -EFSCORRUPTED, FAMFS_VERDICT_PREFIX,
	  FAMFS_VR_BAD_ENTRY, "an entry that does not decode" },
	{ -EFSCORRUPTED, 0, FAMFS_VERDICT_PREFIX, FAMFS_VR_BAD_APPLY,
	  "an entry that breaks the replay rules" },
	{ -EFSBADCRC, 0, FAMFS_VERDICT_REFUSE, FAMFS_VR_NO_TAIL,
	  "both tail records" },
	{ -ESTALE, 0, FAMFS_VERDICT_REFUSE, FAMFS_VR_OTHER_FS,
	  "the tail went backwards" },
	{ -ENOMEM, 0, FAMFS_VERDICT_REFUSE, FAMFS_VR_NOMEM, "no memory" },
	{ -ENOMEM, -EFSBADCRC, FAMFS_VERDICT_REFUSE, FAMFS_VR_NOMEM,
	  "no memory wins over damage" },
	{ -EEXIST, 0, FAMFS_VERDICT_PREFIX, FAMFS_VR_BAD_APPLY,
	  "an entry names a path that exists" },
	{ -ENOENT, 0, FAMFS_VERDICT_PREFIX, FAMFS_VR_BAD_APPLY,
	  "an entry's parent is missing" },
};

static void test_rows(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct row *r = &rows[i];
		struct famfs_replay_result res = { r->rc, r->entry_err, 3 };
		enum famfs_verdict_reason why = _FAMFS_VR_MAX;
		enum famfs_verdict v = famfs_replay_verdict(&res, &why);

		if (v != r->verdict || why != r->reason)
			fail_msg("%s: %s/%s, want %s/%s", r->what,
				 famfs_verdict_name(v),
				 famfs_verdict_reason_name(why),
				 famfs_verdict_name(r->verdict),
				 famfs_verdict_reason_name(r->reason));
		/* the reason is optional */
		assert_int_equal(famfs_replay_verdict(&res, NULL), r->verdict);
	}
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(famfs_verdict_name(FAMFS_VERDICT_SERVE), "serve");
	assert_string_equal(famfs_verdict_name(FAMFS_VERDICT_PREFIX),
			    "serve-prefix");
	assert_string_equal(famfs_verdict_name(FAMFS_VERDICT_REFUSE), "refuse");
	assert_string_equal(famfs_verdict_name(_FAMFS_VERDICT_MAX), "invalid");
	for (int a = 0; a < _FAMFS_VR_MAX; a++) {
		assert_string_not_equal(famfs_verdict_reason_name(a), "invalid");
		for (int b = 0; b < a; b++)
			assert_string_not_equal(famfs_verdict_reason_name(a),
						famfs_verdict_reason_name(b));
	}
	assert_string_equal(famfs_verdict_reason_name(_FAMFS_VR_MAX), "invalid");
}

/* ---- real images ------------------------------------------------------------ */

static struct uimg im;
static struct famfs_fs *fs;
static struct uoffs *offs;

static int setup(void **state)
{
	(void)state;
	fs = calloc(1, sizeof(*fs));
	offs = calloc(1, sizeof(*offs));
	return fs && offs ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	famfs_fs_close(fs);
	memset(fs, 0, sizeof(*fs));
	uimg_destroy(&im);
	return 0;
}

static int teardown_all(void **state)
{
	(void)state;
	free(fs);
	free(offs);
	return 0;
}

/* An image with d, d/a, d/b, d/c, e: entries 0..4. */
static void five_entries(void)
{
	uimg_new(&im, 64 * UNIT_MiB, 0, 0);
	ufs_open(fs, &im, FAMFS_DEV_RDWR);
	ufs_mkdir(fs, "d");
	ufs_mkfile(fs, "d/a", 4096);
	ufs_mkfile(fs, "d/b", 4096);
	ufs_mkfile(fs, "d/c", 4096);
	ufs_mkdir(fs, "e");
	ufs_entry_offsets(fs, offs);
	assert_int_equal(offs->n, 5);
	famfs_fs_close(fs);
	memset(fs, 0, sizeof(*fs));
}

/* Open read-only and judge the whole replay. */
static enum famfs_verdict judge(struct famfs_replay_result *res,
				enum famfs_verdict_reason *reason,
				struct famfs_why *why)
{
	assert_int_equal(famfs_fs_open(fs, im.path, 0, why), 0);
	return famfs_fs_replay_judged(fs, res, reason, why);
}

static void test_image_clean(void **state)
{
	struct famfs_replay_result res;
	enum famfs_verdict_reason reason;
	struct famfs_why why = { "" };

	(void)state;
	five_entries();
	assert_int_equal(judge(&res, &reason, &why), FAMFS_VERDICT_SERVE);
	assert_int_equal(reason, FAMFS_VR_CLEAN);
	assert_int_equal(res.rc, 5);
	assert_int_equal(res.served, 5);
	/* a second replay has nothing new, and is still clean */
	assert_int_equal(famfs_fs_replay_judged(fs, &res, &reason, &why),
			 FAMFS_VERDICT_SERVE);
	assert_int_equal(res.rc, 0);
	assert_int_equal(res.served, 5);
}

/* One bad checksum in the middle: the three entries before it are served. */
static void test_image_bad_entry_checksum(void **state)
{
	struct famfs_replay_result res;
	enum famfs_verdict_reason reason;
	struct famfs_why why = { "" };

	(void)state;
	five_entries();
	uimg_flip(&im, im.sb.log_offset + offs->off[3] +
		  sizeof(struct famfs_dentry) + 2);
	assert_int_equal(judge(&res, &reason, &why), FAMFS_VERDICT_PREFIX);
	assert_int_equal(reason, FAMFS_VR_BAD_ENTRY);
	assert_int_equal(res.rc, -EFSBADCRC);
	assert_int_equal(res.entry_err, -EFSBADCRC);
	assert_int_equal(res.served, 3);
	assert_non_null(strstr(why.msg, "log entry 3 "));
	assert_non_null(ufs_lookup(fs, "d/b"));
	assert_null(ufs_lookup(fs, "d/c"));
}

/* An entry that decodes but names a path that exists. */
static void test_image_bad_apply(void **state)
{
	struct famfs_replay_result res;
	enum famfs_verdict_reason reason;
	struct famfs_why why = { "" };
	struct famfs_entry *e = calloc(1, sizeof(*e));

	(void)state;
	assert_non_null(e);
	five_entries();
	uent_dir(e, "e");
	uimg_append(&im, e);
	free(e);
	assert_int_equal(judge(&res, &reason, &why), FAMFS_VERDICT_PREFIX);
	assert_int_equal(reason, FAMFS_VR_BAD_APPLY);
	assert_int_equal(res.entry_err, 0);
	assert_int_equal(res.served, 5);
}

/* Both tail records fail their checksum: where the log ends is unknown. */
static void test_image_no_tail(void **state)
{
	struct famfs_replay_result res;
	enum famfs_verdict_reason reason;
	struct famfs_why why = { "" };

	(void)state;
	five_entries();
	uimg_flip(&im, im.sb.log_offset + FAMFS_LOG_TAIL0 + 3);
	uimg_flip(&im, im.sb.log_offset + FAMFS_LOG_TAIL1 + 3);
	assert_int_equal(judge(&res, &reason, &why), FAMFS_VERDICT_REFUSE);
	assert_int_equal(reason, FAMFS_VR_NO_TAIL);
	assert_int_equal(res.served, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows),
		cmocka_unit_test(test_names),
		cmocka_unit_test_teardown(test_image_clean, teardown),
		cmocka_unit_test_teardown(test_image_bad_entry_checksum, teardown),
		cmocka_unit_test_teardown(test_image_bad_apply, teardown),
		cmocka_unit_test_teardown(test_image_no_tail, teardown),
	};

	return cmocka_run_group_tests(tests, setup, teardown_all);
}
