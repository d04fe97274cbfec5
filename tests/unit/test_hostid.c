// SPDX-License-Identifier: Apache-2.0
/*
 * This host's system UUID (hostid.c) and the text form of a UUID (uuid.c),
 * in a scratch directory: created on first use with its parents, read
 * back the same, refused with the errno and the reason when it is not a
 * UUID file.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "famfs.h"
#include "unit_tmp.h"
#include "unit_util.h"

static int setup(void **state)
{
	struct ut_tmp *t = calloc(1, sizeof(*t));

	assert_non_null(t);
	ut_tmp_make(t);
	*state = t;
	return 0;
}

static int teardown(void **state)
{
	ut_tmp_remove(*state);
	free(*state);
	return 0;
}

static void test_uuid_str(void **state)
{
	char s[FAMFS_UUID_STR];
	uint8_t u[16];

	(void)state;
	ut_uuid(u, 0xf0);
	famfs_uuid_str(u, s);
	assert_string_equal(s, "f0f1f2f3-f4f5-f6f7-f8f9-fafbfcfdfeff");
	memset(u, 0, sizeof(u));
	famfs_uuid_str(u, s);
	assert_string_equal(s, "00000000-0000-0000-0000-000000000000");
}

/* Created with its parent directories, mode 0444, one line; then reread. */
static void test_create_then_read(void **state)
{
	struct ut_tmp *t = *state;
	uint8_t a[16], b[16], zero[16] = { 0 };
	char path[PATH_MAX], text[64], want[FAMFS_UUID_STR];
	struct famfs_why why = { "" };
	struct stat st;
	FILE *f;

	ut_tmp_path(t, "opt/famfs/system_uuid", path, sizeof(path));
	assert_int_equal(famfs_hostid_get(path, 1, a, &why), 0);
	assert_memory_not_equal(a, zero, 16);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0444);
	f = fopen(path, "r");
	assert_non_null(f);
	assert_non_null(fgets(text, sizeof(text), f));
	fclose(f);
	famfs_uuid_str(a, want);
	assert_int_equal(text[36], '\n');
	text[36] = 0;
	assert_string_equal(text, want);
	/* the second call reads the same identity, also without create */
	assert_int_equal(famfs_hostid_get(path, 1, b, &why), 0);
	assert_memory_equal(a, b, 16);
	memset(b, 0, 16);
	assert_int_equal(famfs_hostid_get(path, 0, b, &why), 0);
	assert_memory_equal(a, b, 16);
}

struct bad_row {
	const char *name;
	const char *text;		/* file content; NULL: no file */
	int create;
	int err;			/* expected -errno */
	const char *why;		/* expected text in the reason */
};

static const struct bad_row bad_rows[] = {
	{ "missing, not created", NULL, 0, -ENOENT,
	  "cannot read the system UUID from" },
	{ "empty file", "", 0, -EINVAL, "is empty" },
	{ "not a UUID", "hello\n", 1, -EINVAL, "does not hold a UUID" },
	{ "UUID one digit short",
	  "0123456-89ab-cdef-0123-456789abcdef\n", 0, -EINVAL,
	  "does not hold a UUID" },
	{ "two UUIDs on a line",
	  "01234567-89ab-cdef-0123-456789abcdef 01234567-89ab-cdef-0123-456789abcdef\n",
	  0, 0, NULL },
	{ "trailing blanks", "01234567-89ab-cdef-0123-456789abcdef \t\r\n",
	  0, 0, NULL },
};

static void test_bad_rows(void **state)
{
	struct ut_tmp *t = *state;
	char path[PATH_MAX], name[32];
	int bad = 0;

	for (size_t i = 0; i < sizeof(bad_rows) / sizeof(bad_rows[0]); i++) {
		const struct bad_row *r = &bad_rows[i];
		struct famfs_why why = { "" };
		uint8_t u[16];
		int rc;

		snprintf(name, sizeof(name), "uuid%zu", i);
		if (r->text)
			ut_tmp_write(t, name, r->text, path, sizeof(path));
		else
			ut_tmp_path(t, name, path, sizeof(path));
		rc = famfs_hostid_get(path, r->create, u, &why);
		if (rc != r->err || (r->why && !strstr(why.msg, r->why)) ||
		    (r->why && !strstr(why.msg, path))) {
			print_error("row '%s': rc %d (want %d), why '%s'\n",
				    r->name, rc, r->err, why.msg);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

/* A parent that is a file: nothing to read, nothing created, and why. */
static void test_parent_is_file(void **state)
{
	struct ut_tmp *t = *state;
	char path[PATH_MAX], file[PATH_MAX];
	struct famfs_why why = { "" };
	uint8_t u[16];

	ut_tmp_write(t, "plain", "x", file, sizeof(file));
	ut_tmp_path(t, "plain/sub/system_uuid", path, sizeof(path));
	assert_int_equal(famfs_hostid_get(path, 1, u, &why), -ENOTDIR);
	assert_non_null(strstr(why.msg, "cannot read the system UUID from"));
	assert_non_null(strstr(why.msg, "Not a directory"));
}

/* A directory where the file should be cannot be read. */
static void test_path_is_dir(void **state)
{
	struct ut_tmp *t = *state;
	struct famfs_why why = { "" };
	uint8_t u[16];

	assert_int_equal(famfs_hostid_get(t->dir, 0, u, &why), -EISDIR);
	assert_non_null(strstr(why.msg, "cannot read the system UUID from"));
	assert_non_null(strstr(why.msg, "Is a directory"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_uuid_str),
		cmocka_unit_test_setup_teardown(test_create_then_read, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_rows, setup, teardown),
		cmocka_unit_test_setup_teardown(test_parent_is_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_path_is_dir, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
