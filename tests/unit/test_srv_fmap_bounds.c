// SPDX-License-Identifier: Apache-2.0
/*
 * Extents beyond a device never leave the server: famfs_fmap_check_devs()
 * (fmap.c) and the server's check before GET_FMAP and open
 * (famfs_srv_fmap_bounded(), server_data.c), for simple and interleaved
 * maps, at the exact device end, one byte past it, wrapping around, with
 * an unknown device index, and with a primary device smaller than the
 * superblock says.  famfs_fmap_encode() alone knows no device sizes and
 * accepts such maps: that is why the server checks first.
 */
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "famfs_fmap.h"
#include "server_priv.h"
#include "unit_fmap.h"
#include "unit_util.h"

#define DEV0	(256 * UT_MiB)
#define DEV1	(64 * UT_MiB)

static const uint64_t sizes[2] = { DEV0, DEV1 };

static void test_simple_inside_and_at_end(void **state)
{
	struct famfs_fmap *m = mk_map(FAMFS_EXT_SIMPLE, 6 * UT_MiB, 0, 2);

	(void)state;
	set_ext(m, 0, 0, 10 * UT_MiB, 4 * UT_MiB);
	set_ext(m, 1, 0, DEV0 - 2 * UT_MiB, 2 * UT_MiB);	/* ends at the end */
	assert_int_equal(famfs_fmap_check_devs(m, sizes, 2), 0);
	set_ext(m, 1, 1, DEV1 - 2 * UT_MiB, 2 * UT_MiB);
	assert_int_equal(famfs_fmap_check_devs(m, sizes, 2), 0);
	free(m);
}

static void test_simple_one_byte_past(void **state)
{
	struct famfs_fmap *m = mk_map(FAMFS_EXT_SIMPLE, 4 * UT_MiB, 0, 2);
	uint8_t buf[FAMFS_FMAP_MAX];

	(void)state;
	set_ext(m, 0, 0, 10 * UT_MiB, 2 * UT_MiB);
	set_ext(m, 1, 0, DEV0 - 2 * UT_MiB + 1, 2 * UT_MiB);
	assert_int_equal(famfs_fmap_check_devs(m, sizes, 2), -ERANGE);
	/* one page past, aligned: the encoder alone would have sent it */
	set_ext(m, 1, 0, DEV0 - 2 * UT_MiB + 4096, 2 * UT_MiB);
	assert_int_equal(famfs_fmap_check_devs(m, sizes, 2), -ERANGE);
	assert_true(famfs_fmap_encode(m, FAMFS_FMAP_REG, m->size, buf,
				      sizeof(buf)) > 0);
	set_ext(m, 1, 0, DEV0, 2 * UT_MiB);		/* starts at the end */
	assert_int_equal(famfs_fmap_check_devs(m, sizes, 2), -ERANGE);
	set_ext(m, 1, 1, DEV1 - 2 * UT_MiB, 2 * UT_MiB + 4096);
	assert_int_equal(famfs_fmap_check_devs(m, sizes, 2), -ERANGE);
	free(m);
}

static void test_wraparound(void **state)
{
	struct famfs_fmap *m = mk_map(FAMFS_EXT_SIMPLE, 8192, 0, 1);

	(void)state;
	set_ext(m, 0, 0, UINT64_MAX - 4095, 8192);	/* end wraps to 4096 */
	assert_int_equal(famfs_fmap_check_devs(m, sizes, 2), -ERANGE);
	set_ext(m, 0, 0, 4096, UINT64_MAX);
	assert_int_equal(famfs_fmap_check_devs(m, sizes, 2), -ERANGE);
	free(m);
}

static void test_unknown_device(void **state)
{
	struct famfs_fmap *m = mk_map(FAMFS_EXT_SIMPLE, 2 * UT_MiB, 0, 1);

	(void)state;
	set_ext(m, 0, 1, 10 * UT_MiB, 2 * UT_MiB);
	assert_int_equal(famfs_fmap_check_devs(m, sizes, 2), 0);
	assert_int_equal(famfs_fmap_check_devs(m, sizes, 1), -ERANGE);
	assert_int_equal(famfs_fmap_check_devs(m, sizes, 0), -ERANGE);
	set_ext(m, 0, 7, 10 * UT_MiB, 2 * UT_MiB);
	assert_int_equal(famfs_fmap_check_devs(m, sizes, 2), -ERANGE);
	free(m);
}

static void test_interleave_strip_past(void **state)
{
	struct famfs_fmap *m = mk_map(FAMFS_EXT_INTERLEAVE, 8 * UT_MiB,
				      2 * UT_MiB, 2);

	(void)state;
	set_ext(m, 0, 0, 10 * UT_MiB, 4 * UT_MiB);
	set_ext(m, 1, 1, DEV1 - 4 * UT_MiB, 4 * UT_MiB);
	assert_int_equal(famfs_fmap_check_devs(m, sizes, 2), 0);
	set_ext(m, 1, 1, DEV1 - 2 * UT_MiB, 4 * UT_MiB);
	assert_int_equal(famfs_fmap_check_devs(m, sizes, 2), -ERANGE);
	free(m);
}

/* A server over a filesystem of two devices; the primary opened at @dev0. */
static void mk_server(struct famfs_server *srv, struct famfs_fs *fs,
		      uint64_t dev0)
{
	memset(srv, 0, sizeof(*srv));
	memset(fs, 0, sizeof(*fs));
	assert_int_equal(pthread_rwlock_init(&srv->lock, NULL), 0);
	srv->fs = fs;
	fs->ndevs = 2;
	fs->devs[0].size = DEV0;
	fs->devs[1].size = DEV1;
	fs->dev.size = dev0;
}

static void test_server_refuses_before_sending(void **state)
{
	static struct famfs_fs fs;
	struct famfs_server srv;
	struct famfs_fmap *m = mk_map(FAMFS_EXT_SIMPLE, 2 * UT_MiB, 0, 1);

	(void)state;
	mk_server(&srv, &fs, DEV0);
	set_ext(m, 0, 0, DEV0 - 2 * UT_MiB, 2 * UT_MiB);
	assert_int_equal(famfs_srv_fmap_bounded(&srv, m), 0);
	set_ext(m, 0, 0, DEV0 - UT_MiB, 2 * UT_MiB);
	assert_int_equal(famfs_srv_fmap_bounded(&srv, m), -EIO);
	set_ext(m, 0, 1, DEV1, 2 * UT_MiB);
	assert_int_equal(famfs_srv_fmap_bounded(&srv, m), -EIO);
	set_ext(m, 0, 2, 0, 2 * UT_MiB);		/* no third device */
	assert_int_equal(famfs_srv_fmap_bounded(&srv, m), -EIO);
	pthread_rwlock_destroy(&srv.lock);
	free(m);
}

/* The device as opened is smaller than recorded: its real end counts. */
static void test_server_primary_shrunk(void **state)
{
	static struct famfs_fs fs;
	struct famfs_server srv;
	struct famfs_fmap *m = mk_map(FAMFS_EXT_SIMPLE, 2 * UT_MiB, 0, 1);

	(void)state;
	mk_server(&srv, &fs, 128 * UT_MiB);
	set_ext(m, 0, 0, 126 * UT_MiB, 2 * UT_MiB);
	assert_int_equal(famfs_srv_fmap_bounded(&srv, m), 0);
	set_ext(m, 0, 0, 128 * UT_MiB, 2 * UT_MiB);
	assert_int_equal(famfs_srv_fmap_bounded(&srv, m), -EIO);
	pthread_rwlock_destroy(&srv.lock);
	free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_simple_inside_and_at_end),
		cmocka_unit_test(test_simple_one_byte_past),
		cmocka_unit_test(test_wraparound),
		cmocka_unit_test(test_unknown_device),
		cmocka_unit_test(test_interleave_strip_past),
		cmocka_unit_test(test_server_refuses_before_sending),
		cmocka_unit_test(test_server_primary_shrunk),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
