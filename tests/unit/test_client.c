// SPDX-License-Identifier: Apache-2.0
/*
 * The CLI's side of the control protocol (client.c): resolving a path to
 * its famfs mount, opening MNT/.meta/.ctl, and one request/reply.  The
 * server is played by wrapped pwrite()/pread() on a scratch file, so each
 * reply (good, failed, short, foreign) is chosen by the test.
 *
 * famfs-wrap: pwrite pread
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>
#include <fcntl.h>

#include "famfs_client.h"
#include "unit_tmp.h"
#include "unit_util.h"

ssize_t __real_pwrite(int fd, const void *buf, size_t n, off_t off);
ssize_t __real_pread(int fd, void *buf, size_t n, off_t off);
ssize_t __wrap_pwrite(int fd, const void *buf, size_t n, off_t off);
ssize_t __wrap_pread(int fd, void *buf, size_t n, off_t off);

/* The fake server: what it saw, and what it answers. */
static struct {
	int fd;				/* the client's fd; -1: pass through */
	struct famfs_ctl_dreq seen;
	size_t seen_len;
	off_t seen_off;
	int write_errno;		/* pwrite fails with this */
	ssize_t write_ret;		/* or returns this (0: all of it) */
	struct famfs_ctl_drep rep;
	ssize_t rep_len;		/* bytes pread returns */
	int read_errno;
} srv;

ssize_t __wrap_pwrite(int fd, const void *buf, size_t n, off_t off)
{
	if (fd != srv.fd)
		return __real_pwrite(fd, buf, n, off);
	if (srv.write_errno) {
		errno = srv.write_errno;
		return -1;
	}
	srv.seen_len = n;
	srv.seen_off = off;
	memcpy(&srv.seen, buf, n < sizeof(srv.seen) ? n : sizeof(srv.seen));
	return srv.write_ret ? srv.write_ret : (ssize_t)n;
}

ssize_t __wrap_pread(int fd, void *buf, size_t n, off_t off)
{
	if (fd != srv.fd)
		return __real_pread(fd, buf, n, off);
	if (srv.read_errno) {
		errno = srv.read_errno;
		return -1;
	}
	assert_int_equal(off, 0);
	assert_true(n >= (size_t)srv.rep_len);
	memcpy(buf, &srv.rep, (size_t)srv.rep_len);
	return srv.rep_len;
}

struct fixture {
	struct ut_tmp t;
	struct famfs_client c;
};

/* A mount point look-alike with its control file, opened. */
static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char p[PATH_MAX];

	assert_non_null(f);
	ut_tmp_make(&f->t);
	assert_int_equal(mkdir(ut_tmp_path(&f->t, ".meta", p, sizeof(p)), 0700), 0);
	ut_tmp_write(&f->t, ".meta/.ctl", "", p, sizeof(p));
	assert_int_equal(famfs_client_open(&f->c, f->t.dir, NULL), 0);
	memset(&srv, 0, sizeof(srv));
	srv.fd = f->c.fd;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	famfs_client_close(&f->c);
	srv.fd = -1;
	ut_tmp_remove(&f->t);
	free(f);
	return 0;
}

static void answer(int err, uint64_t ino, const char *msg)
{
	struct famfs_ctl_rep r = { .err = err, .ino = ino, .count = 5 };

	snprintf(r.msg, sizeof(r.msg), "%s", msg);
	famfs_ctl_rep_encode(&r, &srv.rep);
	srv.rep_len = sizeof(srv.rep);
}

static void test_call_ok(void **state)
{
	struct fixture *f = *state;
	struct famfs_ctl_req q = { .op = FAMFS_CTL_MKDIR, .mode = 0755 };
	struct famfs_ctl_rep *r = calloc(1, sizeof(*r));
	struct famfs_ctl_req seen;

	assert_non_null(r);
	snprintf(q.path, sizeof(q.path), "a/b");
	answer(0, 42, "made");
	assert_int_equal(famfs_client_call(&f->c, &q, r, NULL), 0);
	assert_int_equal(r->ino, 42);
	assert_int_equal(r->count, 5);
	assert_string_equal(r->msg, "made");
	/* the whole request, at offset 0, as the server decodes it */
	assert_int_equal(srv.seen_len, sizeof(struct famfs_ctl_dreq));
	assert_int_equal(srv.seen_off, 0);
	assert_int_equal(famfs_ctl_req_decode(&srv.seen, srv.seen_len, &seen,
					      NULL), 0);
	assert_int_equal(seen.op, FAMFS_CTL_MKDIR);
	assert_string_equal(seen.path, "a/b");
	free(r);
}

enum fault { F_REFUSED, F_WRITE_ERR, F_WRITE_SHORT, F_READ_ERR, F_READ_SHORT,
	     F_FOREIGN };

struct call_row {
	const char *name;
	enum fault fault;
	int err;
	const char *why;
};

static const struct call_row call_rows[] = {
	{ "server refuses: its errno and text", F_REFUSED, -EEXIST,
	  "a/b exists" },
	{ "write fails", F_WRITE_ERR, -EPIPE, "failed: Broken pipe" },
	{ "short write", F_WRITE_SHORT, -EIO, "failed: short request" },
	{ "read fails", F_READ_ERR, -ENOTCONN, "failed: Transport endpoint is not connected" },
	{ "short reply", F_READ_SHORT, -EIO, "failed: short reply" },
	{ "not a reply", F_FOREIGN, -EBADMSG, "not a famfs control reply" },
};

static void set_fault(enum fault fault)
{
	answer(0, 1, "ok");
	switch (fault) {
	case F_REFUSED: answer(EEXIST, 0, "a/b exists"); break;
	case F_WRITE_ERR: srv.write_errno = EPIPE; break;
	case F_WRITE_SHORT: srv.write_ret = 10; break;
	case F_READ_ERR: srv.read_errno = ENOTCONN; break;
	case F_READ_SHORT: srv.rep_len = 100; break;
	case F_FOREIGN: put_le32((uint8_t *)&srv.rep, 0xdeadbeef); break;
	}
}

static void test_call_rows(void **state)
{
	struct fixture *f = *state;
	struct famfs_ctl_req q = { .op = FAMFS_CTL_STATUS };
	struct famfs_ctl_rep *r = calloc(1, sizeof(*r));
	int fd = srv.fd, bad = 0;

	assert_non_null(r);
	for (size_t i = 0; i < sizeof(call_rows) / sizeof(call_rows[0]); i++) {
		const struct call_row *w = &call_rows[i];
		struct famfs_why why = { "" };
		int rc;

		memset(&srv, 0, sizeof(srv));
		srv.fd = fd;
		set_fault(w->fault);
		rc = famfs_client_call(&f->c, &q, r, &why);
		if (rc != w->err || !strstr(why.msg, w->why)) {
			print_error("row '%s': rc %d (want %d), why '%s'\n",
				    w->name, rc, w->err, why.msg);
			bad++;
		}
	}
	free(r);
	assert_int_equal(bad, 0);
}

/* Not a mount: no control file; the reason names the path tried. */
static void test_open_missing(void **state)
{
	struct fixture *f = *state;
	struct famfs_client c;
	struct famfs_why why = { "" };

	assert_int_equal(famfs_client_open(&c, "/nonexistent-famfs", &why), -ENOENT);
	assert_string_equal(why.msg, "cannot open the control file /nonexistent-famfs/.meta/.ctl: No such file or directory");
	/* famfs_client_request() says the same, and closes nothing */
	assert_int_equal(famfs_client_request("/nonexistent-famfs",
					      &(struct famfs_ctl_req){ .op = 3 },
					      &(struct famfs_ctl_rep){ 0 }, &why),
			 -ENOENT);
	assert_string_equal(f->c.mnt, f->t.dir);
	famfs_client_close(&c);		/* closing a failed open is harmless */
	assert_int_equal(c.fd, -1);
}

/* A scratch directory is in no famfs mount: -ENOTTY, and why. */
static void test_resolve_not_famfs(void **state)
{
	struct fixture *f = *state;
	char mnt[PATH_MAX], rel[64], p[PATH_MAX];
	struct famfs_why why = { "" };

	ut_tmp_path(&f->t, "newfile", p, sizeof(p));
	assert_int_equal(famfs_client_resolve(p, mnt, sizeof(mnt), rel,
					      sizeof(rel), &why), -ENOTTY);
	assert_non_null(strstr(why.msg, "is not in a famfs filesystem"));
}

struct resolve_row {
	const char *name, *rel;		/* rel: under the scratch dir */
	int err;
	const char *why;
};

static const struct resolve_row resolve_rows[] = {
	{ "parent missing", "no/such/file", -ENOENT, "No such file or directory" },
	{ "dot-dot as the new name", "newdir/..", -ENOENT, "No such file or directory" },
	{ "trailing dot", ".meta/.", -ENOTTY, "is not in a famfs filesystem" },
};

static void test_resolve_rows(void **state)
{
	struct fixture *f = *state;
	char mnt[PATH_MAX], rel[64], p[PATH_MAX];
	int bad = 0;

	for (size_t i = 0; i < sizeof(resolve_rows) / sizeof(resolve_rows[0]); i++) {
		const struct resolve_row *r = &resolve_rows[i];
		struct famfs_why why = { "" };
		int rc;

		ut_tmp_path(&f->t, r->rel, p, sizeof(p));
		rc = famfs_client_resolve(p, mnt, sizeof(mnt), rel, sizeof(rel),
					  &why);
		if (rc != r->err || !strstr(why.msg, r->why)) {
			print_error("row '%s': rc %d (want %d), why '%s'\n",
				    r->name, rc, r->err, why.msg);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_call_ok, setup, teardown),
		cmocka_unit_test_setup_teardown(test_call_rows, setup, teardown),
		cmocka_unit_test_setup_teardown(test_open_missing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_resolve_not_famfs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_resolve_rows, setup, teardown),
	};

	srv.fd = -1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
