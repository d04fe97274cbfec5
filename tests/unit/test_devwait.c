// SPDX-License-Identifier: Apache-2.0
/*
 * Waiting for a server on its way out (devwait.c): a lock left to a
 * forked process by a famfs mount that has returned is waited for until
 * it goes; a lock held by anything else (this process, a live process
 * that is no famfs mount) is refused at once.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "famfs.h"

struct lockfile {
	char path[64];
};

static int setup(void **state)
{
	struct lockfile *lf = calloc(1, sizeof(*lf));
	int fd;

	if (!lf)
		return -1;
	snprintf(lf->path, sizeof(lf->path), "/tmp/famfs-devwait-XXXXXX");
	fd = mkstemp(lf->path);
	if (fd < 0)
		return -1;
	close(fd);
	*state = lf;
	return 0;
}

static int teardown(void **state)
{
	struct lockfile *lf = *state;

	unlink(lf->path);
	free(lf);
	return 0;
}

static long ms_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

/* A second open file of @path, its lock refused now. */
static int contended(const char *path)
{
	int fd = open(path, O_RDWR | O_CLOEXEC);

	assert_true(fd >= 0);
	assert_int_not_equal(flock(fd, LOCK_EX | LOCK_NB), 0);
	return fd;
}

static void test_own_lock_not_waited(void **state)
{
	struct lockfile *lf = *state;
	int fd1 = open(lf->path, O_RDWR | O_CLOEXEC), fd2;
	struct timespec t0;

	assert_int_equal(flock(fd1, LOCK_EX), 0);
	fd2 = contended(lf->path);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(famfs_lock_wait_server(fd2, LOCK_EX, lf->path, 3000),
			 -EBUSY);
	assert_true(ms_since(&t0) < 1000);
	close(fd2);
	close(fd1);
}

static void test_live_other_not_waited(void **state)
{
	struct lockfile *lf = *state;
	int p[2], fd;
	struct timespec t0;
	pid_t child;
	char c;

	assert_int_equal(pipe(p), 0);
	child = fork();
	if (child == 0) {
		int lfd = open(lf->path, O_RDWR);

		if (flock(lfd, LOCK_EX) || write(p[1], "x", 1) != 1)
			_exit(1);
		sleep(5);
		_exit(0);
	}
	assert_int_equal(read(p[0], &c, 1), 1);
	fd = contended(lf->path);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(famfs_lock_wait_server(fd, LOCK_EX, lf->path, 3000),
			 -EBUSY);
	assert_true(ms_since(&t0) < 1000);
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	close(fd);
	close(p[0]);
	close(p[1]);
}

/*
 * As famfs mount leaves it: the process that took the lock has returned,
 * and the server it forked holds it for a moment more.
 */
static void test_left_to_exiting_child_waited(void **state)
{
	struct lockfile *lf = *state;
	struct timespec t0;
	int p[2], fd;
	pid_t a;
	char c;

	assert_int_equal(pipe(p), 0);
	a = fork();
	if (a == 0) {
		int lfd = open(lf->path, O_RDWR);

		if (flock(lfd, LOCK_EX))
			_exit(1);
		if (fork() == 0) {
			if (write(p[1], "x", 1) != 1)
				_exit(1);
			usleep(300000);
			_exit(0);
		}
		_exit(0);
	}
	assert_int_equal(waitpid(a, NULL, 0), a);
	assert_int_equal(read(p[0], &c, 1), 1);
	fd = contended(lf->path);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(famfs_lock_wait_server(fd, LOCK_EX, lf->path, 5000), 0);
	assert_true(ms_since(&t0) < 4000);
	close(fd);
	close(p[0]);
	close(p[1]);
}

/* ... but for a bounded time only. */
static void test_wait_is_bounded(void **state)
{
	struct lockfile *lf = *state;
	struct timespec t0;
	int p[2], fd;
	pid_t a;
	char c;

	assert_int_equal(pipe(p), 0);
	a = fork();
	if (a == 0) {
		int lfd = open(lf->path, O_RDWR);

		if (flock(lfd, LOCK_EX))
			_exit(1);
		if (fork() == 0) {
			if (write(p[1], "x", 1) != 1)
				_exit(1);
			sleep(3);
			_exit(0);
		}
		_exit(0);
	}
	assert_int_equal(waitpid(a, NULL, 0), a);
	assert_int_equal(read(p[0], &c, 1), 1);
	fd = contended(lf->path);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(famfs_lock_wait_server(fd, LOCK_EX, lf->path, 300),
			 -EBUSY);
	assert_true(ms_since(&t0) >= 300);
	assert_true(ms_since(&t0) < 2000);
	close(fd);
	close(p[0]);
	close(p[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_own_lock_not_waited, setup, teardown),
		cmocka_unit_test_setup_teardown(test_live_other_not_waited, setup, teardown),
		cmocka_unit_test_setup_teardown(test_left_to_exiting_child_waited, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wait_is_bounded, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
