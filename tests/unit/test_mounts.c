// SPDX-License-Identifier: Apache-2.0
/*
 * The mount table parser (mounts.c) over mountinfo text the test writes:
 * which mount a device is the source of, what is mounted on a path, which
 * famfs mount holds a path.  No real mount is needed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "famfs.h"
#include "unit_tmp.h"

/* one mountinfo line: MOUNTPOINT TYPE SOURCE, the rest made up */
#define MI(id, mnt, type, src) \
	#id " 1 0:" #id " / " mnt " rw,relatime shared:1 - " type " " src " rw\n"

struct fixture {
	struct ut_tmp t;
	char mi[PATH_MAX];
	char img[PATH_MAX];		/* an image file that exists */
	char real[PATH_MAX];		/* its resolved path */
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	ut_tmp_make(&f->t);
	ut_tmp_write(&f->t, "img", "", f->img, sizeof(f->img));
	assert_non_null(realpath(f->img, f->real));
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	ut_tmp_remove(&f->t);
	free(f);
	return 0;
}

static void write_mi(struct fixture *f, const char *text)
{
	ut_tmp_write(&f->t, "mountinfo", text, f->mi, sizeof(f->mi));
}

static void test_dev_source_path(void **state)
{
	struct fixture *f = *state;
	char text[3 * PATH_MAX];
	struct famfs_why why = { "" };

	snprintf(text, sizeof(text), MI(20, "/", "ext4", "/dev/sda1")
		 MI(21, "/mnt/famfs", "fuse.famfs", "%s"), f->real);
	write_mi(f, text);
	assert_int_equal(famfs_mountinfo_dev(f->mi, f->img, &why), 1);
	assert_string_equal(why.msg, "device is mounted on /mnt/famfs (fuse.famfs)");
}

static void test_dev_not_mounted(void **state)
{
	struct fixture *f = *state;
	struct famfs_why why = { "" };

	write_mi(f, MI(20, "/", "ext4", "/dev/sda1")
		 MI(22, "/proc", "proc", "proc")
		 MI(23, "/x", "tmpfs", "none"));
	assert_int_equal(famfs_mountinfo_dev(f->mi, f->img, &why), 0);
	assert_string_equal(why.msg, "");
}

/* a source with a space is written \040 in mountinfo */
static void test_dev_escaped_source(void **state)
{
	struct fixture *f = *state;
	char sp[PATH_MAX], text[3 * PATH_MAX];
	struct famfs_why why = { "" };

	ut_tmp_write(&f->t, "my img", "", sp, sizeof(sp));
	snprintf(text, sizeof(text), MI(30, "/mnt/a\\040b", "fuse.famfs", "%s/my\\040img"),
		 f->t.dir);
	write_mi(f, text);
	assert_int_equal(famfs_mountinfo_dev(f->mi, sp, &why), 1);
	assert_string_equal(why.msg, "device is mounted on /mnt/a b (fuse.famfs)");
	/* the image without the space is not that mount's source */
	assert_int_equal(famfs_mountinfo_dev(f->mi, f->img, &why), 0);
}

static void test_dev_errors(void **state)
{
	struct fixture *f = *state;
	char missing[PATH_MAX];

	write_mi(f, MI(20, "/", "ext4", "/dev/sda1"));
	ut_tmp_path(&f->t, "no-such-image", missing, sizeof(missing));
	assert_int_equal(famfs_mountinfo_dev(f->mi, missing, NULL), -ENOENT);
	ut_tmp_path(&f->t, "no-such-mountinfo", missing, sizeof(missing));
	assert_int_equal(famfs_mountinfo_dev(missing, f->img, NULL), -ENOENT);
}

/* Short, malformed and separator-less lines are skipped, not misread. */
static void test_malformed_lines(void **state)
{
	struct fixture *f = *state;
	char text[4 * PATH_MAX];

	snprintf(text, sizeof(text),
		 "\n"
		 "garbage\n"
		 "1 2 3:4 / /m rw - \n"			/* no source */
		 "5 1 x:y / /n rw - ext4 %s rw\n"	/* bad major:minor */
		 "6 1 0:6 / /o rw shared:1 ext4 %s rw\n",	/* no "-" */
		 f->real, f->real);
	write_mi(f, text);
	assert_int_equal(famfs_mountinfo_dev(f->mi, f->img, NULL), 0);
}

static void test_mnt_topmost(void **state)
{
	struct fixture *f = *state;
	char src[64], type[32];

	write_mi(f, MI(20, "/", "ext4", "/dev/sda1")
		 MI(21, "/mnt/famfs", "tmpfs", "none")
		 MI(22, "/mnt/famfs", "fuse.famfs", "/dev/dax0.0")
		 MI(23, "/mnt/famfs2", "ext4", "/dev/sdb"));
	assert_int_equal(famfs_mountinfo_mnt(f->mi, "/mnt/famfs", src,
					     sizeof(src), type, sizeof(type)), 1);
	assert_string_equal(src, "/dev/dax0.0");
	assert_string_equal(type, "fuse.famfs");
	assert_int_equal(famfs_mountinfo_mnt(f->mi, "/mnt", src, sizeof(src),
					     type, sizeof(type)), 0);
	assert_int_equal(famfs_mountinfo_mnt(f->mi, "/mnt/famfs/", src,
					     sizeof(src), type, sizeof(type)), 0);
}

static const char find_table[] =
	MI(20, "/", "ext4", "/dev/sda1")
	MI(21, "/mnt/famfs", "fuse.famfs", "/img1")
	MI(22, "/mnt/famfs/inner", "fuse.famfs", "/img2")
	MI(23, "/mnt/other", "tmpfs", "none")
	MI(24, "/mnt/sp\\040ace", "fuse.famfs", "/img3");

struct find_row {
	const char *name, *path, *want;	/* want NULL: -ENOENT */
};

static const struct find_row find_rows[] = {
	{ "the mount point itself", "/mnt/famfs", "/mnt/famfs" },
	{ "a file in it", "/mnt/famfs/a/b", "/mnt/famfs" },
	{ "a nested mount wins", "/mnt/famfs/inner/x", "/mnt/famfs/inner" },
	{ "a name prefix is not a path prefix", "/mnt/famfs2/x", NULL },
	{ "nor a sibling with a longer name", "/mnt/famfsx", NULL },
	{ "another type is not famfs", "/mnt/other/x", NULL },
	{ "outside every famfs mount", "/etc/passwd", NULL },
	{ "an escaped mount point", "/mnt/sp ace/f", "/mnt/sp ace" },
};

static void test_find_rows(void **state)
{
	struct fixture *f = *state;
	char mnt[PATH_MAX];
	int bad = 0;

	write_mi(f, find_table);
	for (size_t i = 0; i < sizeof(find_rows) / sizeof(find_rows[0]); i++) {
		const struct find_row *r = &find_rows[i];
		int rc = famfs_mountinfo_find(f->mi, r->path, "fuse.famfs",
					      mnt, sizeof(mnt));
		int ok = r->want ? rc == 0 && !strcmp(mnt, r->want) :
			 rc == -ENOENT;

		if (!ok) {
			print_error("row '%s': %s -> rc %d, mount '%s'\n",
				    r->name, r->path, rc, rc ? "" : mnt);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

/* A mount point longer than the caller's buffer is not reported. */
static void test_find_small_buffer(void **state)
{
	struct fixture *f = *state;
	char mnt[8];

	write_mi(f, find_table);
	assert_int_equal(famfs_mountinfo_find(f->mi, "/mnt/famfs/a", "fuse.famfs",
					      mnt, sizeof(mnt)), -ENOENT);
	assert_int_equal(famfs_mountinfo_find("/nonexistent/mountinfo", "/a",
					      "fuse.famfs", mnt, sizeof(mnt)),
			 -ENOENT);
}

/* The /proc forms read this process's table: / is always mounted. */
static void test_proc_self(void **state)
{
	char src[PATH_MAX], type[64];

	(void)state;
	assert_int_equal(famfs_mnt_info("/", src, sizeof(src), type,
					sizeof(type)), 1);
	assert_true(type[0] != 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_dev_source_path, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dev_not_mounted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dev_escaped_source, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dev_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_malformed_lines, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mnt_topmost, setup, teardown),
		cmocka_unit_test_setup_teardown(test_find_rows, setup, teardown),
		cmocka_unit_test_setup_teardown(test_find_small_buffer, setup, teardown),
		cmocka_unit_test(test_proc_self),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
