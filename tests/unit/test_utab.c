// SPDX-License-Identifier: Apache-2.0
/*
 * The utab writer (utab.c) in a temporary directory: the line libmount
 * reads (ID from mountinfo, escaped SRC, TARGET and OPTS), a second add
 * replacing the first, other mounts' lines kept, remove, and a target
 * that is not mounted refused.  The mount on "/" is the one mount every
 * test process has.
 */
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
#include "famfs_utab.h"

static char dir[64];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/famfs-utab.XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd);
}

static void read_utab(char *buf, size_t len)
{
	char path[128];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/utab", dir);
	f = fopen(path, "r");
	assert_non_null(f);
	n = fread(buf, 1, len - 1, f);
	buf[n] = 0;
	fclose(f);
}

static void write_utab(const char *text)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/utab", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* The mount ID of "/" as /proc/self/mountinfo has it (the last one). */
static int root_id(void)
{
	char line[4096], mp[4096];
	FILE *f = fopen("/proc/self/mountinfo", "r");
	int id, root = -1;

	assert_non_null(f);
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%d %*d %*s %*s %4095s", &id, mp) == 2 &&
		    !strcmp(mp, "/"))
			root = id;
	fclose(f);
	return root;
}

static void test_add_replace_remove(void **state)
{
	struct famfs_utab u = { dir };
	const char *other = "ID=1 SRC=/dev/sda1 TARGET=/boot ROOT=/ OPTS=x-keep\n";
	char buf[4096], want[512];

	(void)state;
	write_utab(other);
	assert_int_equal(famfs_utab_add(&u, "/img dir/a\\b", "/", "timeout=5"), 0);
	read_utab(buf, sizeof(buf));
	snprintf(want, sizeof(want), "%sID=%d SRC=/img\\040dir/a\\134b TARGET=/ ROOT=/ OPTS=timeout=5\n",
		 other, root_id());
	assert_string_equal(buf, want);
	/* a second add for the same target replaces the line */
	assert_int_equal(famfs_utab_add(&u, "/img", "/", "x-a,data_path=dax"), 0);
	read_utab(buf, sizeof(buf));
	snprintf(want, sizeof(want), "%sID=%d SRC=/img TARGET=/ ROOT=/ OPTS=x-a,data_path=dax\n",
		 other, root_id());
	assert_string_equal(buf, want);
	assert_int_equal(famfs_utab_remove(&u, "/"), 0);
	read_utab(buf, sizeof(buf));
	assert_string_equal(buf, other);
	/* no options: nothing to record, an old line goes */
	assert_int_equal(famfs_utab_add(&u, "/img", "/", "x-b"), 0);
	assert_int_equal(famfs_utab_add(&u, "/img", "/", ""), 0);
	read_utab(buf, sizeof(buf));
	assert_string_equal(buf, other);
}

static void test_not_mounted(void **state)
{
	struct famfs_utab u = { dir };
	char buf[4096];

	(void)state;
	write_utab("");
	assert_int_equal(famfs_utab_add(&u, "/img", "/no/such/mount point", "x-a"),
			 -ENOENT);
	read_utab(buf, sizeof(buf));
	assert_string_equal(buf, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_replace_remove),
		cmocka_unit_test(test_not_mounted),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
