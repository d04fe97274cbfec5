// SPDX-License-Identifier: Apache-2.0
/*
 * The mount registry (registry.c) in a scratch directory: one lock per
 * (host, device); a second lock of the same pair is refused with -EBUSY
 * and names the holder; another host or another device is not refused;
 * release removes the file only when asked.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "famfs_registry.h"
#include "unit_tmp.h"
#include "unit_util.h"

struct fixture {
	struct ut_tmp t;
	char reg[PATH_MAX];		/* the registry directory (not made) */
	struct stat img1, img2;
	uint8_t host_a[16], host_b[16];
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char p[PATH_MAX];

	assert_non_null(f);
	ut_tmp_make(&f->t);
	ut_tmp_path(&f->t, "run-famfs", f->reg, sizeof(f->reg));
	assert_int_equal(stat(ut_tmp_write(&f->t, "img1", "", p, sizeof(p)),
			      &f->img1), 0);
	assert_int_equal(stat(ut_tmp_write(&f->t, "img2", "", p, sizeof(p)),
			      &f->img2), 0);
	ut_uuid(f->host_a, 0x10);
	ut_uuid(f->host_b, 0x20);
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

static void read_file(const char *path, char *buf, size_t len)
{
	FILE *fp = fopen(path, "r");
	size_t n;

	assert_non_null(fp);
	n = fread(buf, 1, len - 1, fp);
	buf[n] = 0;
	fclose(fp);
}

static void test_lock_names_file(void **state)
{
	struct fixture *f = *state;
	struct famfs_registry r;
	struct famfs_why why = { "" };
	char want[PATH_MAX + 64], text[PATH_MAX + 64];

	famfs_registry_init(&r);
	assert_int_equal(famfs_registry_lock(&r, f->reg, f->host_a, &f->img1,
					     "/famfs-test/img1", "/mnt/a", &why), 0);
	assert_int_equal(r.locked, 1);
	/* the directory was made; the name carries the host and the file */
	snprintf(want, sizeof(want), "%s/10111213-1415-1617-1819-1a1b1c1d1e1f-%lx-%lx.lock",
		 f->reg, (unsigned long)f->img1.st_dev,
		 (unsigned long)f->img1.st_ino);
	assert_string_equal(r.path, want);
	read_file(r.path, text, sizeof(text));
	snprintf(want, sizeof(want), "pid %d at /mnt/a\n", (int)getpid());
	assert_string_equal(text, want);
	/* the server notes itself again after the fork: the line is replaced */
	assert_int_equal(famfs_registry_note(&r, "/mnt/b"), 0);
	read_file(r.path, text, sizeof(text));
	snprintf(want, sizeof(want), "pid %d at /mnt/b\n", (int)getpid());
	assert_string_equal(text, want);
	famfs_registry_release(&r, 1);
	assert_int_equal(access(want, F_OK), -1);
	assert_int_equal(r.fd, -1);
}

static void test_second_lock_refused(void **state)
{
	struct fixture *f = *state;
	struct famfs_registry a, b;
	struct famfs_why why = { "" };
	char want[PATH_MAX + 128];

	famfs_registry_init(&a);
	famfs_registry_init(&b);
	assert_int_equal(famfs_registry_lock(&a, f->reg, f->host_a, &f->img1,
					     "/famfs-test/img1", "/mnt/a", &why), 0);
	assert_int_equal(famfs_registry_lock(&b, f->reg, f->host_a, &f->img1,
					     "/famfs-test/img1", "/mnt/b", &why), -EBUSY);
	snprintf(want, sizeof(want),
		 "already mounted by this host (server pid %d at /mnt/a)",
		 (int)getpid());
	assert_string_equal(why.msg, want);
	assert_int_equal(b.locked, 0);
	/* the refused one must not remove the holder's file */
	famfs_registry_release(&b, 1);
	assert_int_equal(access(a.path, F_OK), 0);
	assert_int_equal(famfs_registry_note(&b, "/mnt/b"), -EBADF);
	/* once released, the device can be locked again */
	famfs_registry_release(&a, 0);
	assert_int_equal(access(a.path, F_OK), -1);	/* init cleared path */
	assert_int_equal(famfs_registry_lock(&b, f->reg, f->host_a, &f->img1,
					     "/famfs-test/img1", "/mnt/b", &why), 0);
	famfs_registry_release(&b, 1);
}

/* Another host identity or another device is a different lock. */
static void test_other_host_or_device(void **state)
{
	struct fixture *f = *state;
	struct famfs_registry a, b, c;
	struct famfs_why why = { "" };

	famfs_registry_init(&a);
	famfs_registry_init(&b);
	famfs_registry_init(&c);
	assert_int_equal(famfs_registry_lock(&a, f->reg, f->host_a, &f->img1,
					     "/famfs-test/img1", "/mnt/a", &why), 0);
	assert_int_equal(famfs_registry_lock(&b, f->reg, f->host_b, &f->img1,
					     "/famfs-test/img1", "/mnt/b", &why), 0);
	assert_int_equal(famfs_registry_lock(&c, f->reg, f->host_a, &f->img2,
					     "/famfs-test/img2", "/mnt/c", &why), 0);
	assert_string_not_equal(a.path, b.path);
	assert_string_not_equal(a.path, c.path);
	famfs_registry_release(&a, 1);
	famfs_registry_release(&b, 1);
	famfs_registry_release(&c, 1);
}

/* A stale file (its holder gone) does not block: the lock is free. */
static void test_stale_file(void **state)
{
	struct fixture *f = *state;
	struct famfs_registry a;
	struct famfs_why why = { "" };
	char path[PATH_MAX];

	famfs_registry_init(&a);
	assert_int_equal(famfs_registry_lock(&a, f->reg, f->host_a, &f->img1,
					     "/famfs-test/img1", "/mnt/a", &why), 0);
	memcpy(path, a.path, sizeof(path));
	famfs_registry_release(&a, 0);		/* file left behind */
	assert_int_equal(access(path, F_OK), 0);
	assert_int_equal(famfs_registry_lock(&a, f->reg, f->host_a, &f->img1,
					     "/famfs-test/img1", "/mnt/a2", &why), 0);
	famfs_registry_release(&a, 1);
}

struct err_row {
	const char *name;
	const char *dir;		/* relative to the scratch dir */
	int err;
	const char *why;
};

static const struct err_row err_rows[] = {
	{ "registry dir is a file", "plain", -ENOTDIR, "cannot create" },
	{ "registry dir under a file", "plain/sub", -ENOTDIR, "cannot create" },
	{ "registry dir missing parent", "no/such/dir", -ENOENT, "cannot create" },
};

static void test_error_rows(void **state)
{
	struct fixture *f = *state;
	char dir[PATH_MAX], p[PATH_MAX];
	int bad = 0;

	ut_tmp_write(&f->t, "plain", "", p, sizeof(p));
	for (size_t i = 0; i < sizeof(err_rows) / sizeof(err_rows[0]); i++) {
		const struct err_row *r = &err_rows[i];
		struct famfs_registry a;
		struct famfs_why why = { "" };
		int rc;

		famfs_registry_init(&a);
		ut_tmp_path(&f->t, r->dir, dir, sizeof(dir));
		rc = famfs_registry_lock(&a, dir, f->host_a, &f->img1,
					 "/famfs-test/img1", "/m", &why);
		if (rc != r->err || !strstr(why.msg, r->why)) {
			print_error("row '%s': rc %d (want %d), why '%s'\n",
				    r->name, rc, r->err, why.msg);
			bad++;
		}
		famfs_registry_release(&a, 1);
	}
	assert_int_equal(bad, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_lock_names_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_second_lock_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_other_host_or_device, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stale_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_error_rows, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
