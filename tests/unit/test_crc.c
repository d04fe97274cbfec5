// SPDX-License-Identifier: Apache-2.0
/* CRC32C: check values, incremental use, the filesystem seed (crc.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "famfs.h"
#include "unit_util.h"

#define MAXLEN 300

static void test_check_value(void **state)
{
	(void)state;
	assert_int_equal(famfs_crc32c(0, "123456789", 9), 0xe3069283u);
	/* the reference must agree, or it proves nothing below */
	assert_int_equal(ref_crc32c(0, "123456789", 9), 0xe3069283u);
}

/* RFC 3720 (iSCSI) B.4 test vectors, 32 bytes each. */
static void test_rfc3720_vectors(void **state)
{
	uint8_t buf[32];

	(void)state;
	memset(buf, 0, sizeof(buf));
	assert_int_equal(famfs_crc32c(0, buf, 32), 0x8a9136aau);
	memset(buf, 0xff, sizeof(buf));
	assert_int_equal(famfs_crc32c(0, buf, 32), 0x62a8ab43u);
	for (int i = 0; i < 32; i++)
		buf[i] = (uint8_t)i;
	assert_int_equal(famfs_crc32c(0, buf, 32), 0x46dd794eu);
	for (int i = 0; i < 32; i++)
		buf[i] = (uint8_t)(31 - i);
	assert_int_equal(famfs_crc32c(0, buf, 32), 0x113fdb5cu);
}

static void test_empty(void **state)
{
	(void)state;
	assert_int_equal(famfs_crc32c(0, "", 0), 0);
	assert_int_equal(famfs_crc32c(0x12345678u, "x", 0), 0x12345678u);
	assert_int_equal(famfs_crc32c(0xffffffffu, "x", 0), 0xffffffffu);
}

/* One-shot over every length 0..MAXLEN equals the bitwise reference. */
static void test_matches_reference(void **state)
{
	uint8_t buf[MAXLEN];

	(void)state;
	ut_fill_random(buf, sizeof(buf), 0x1234567u);
	for (size_t len = 0; len <= MAXLEN; len++)
		assert_int_equal(famfs_crc32c(0, buf, len),
				 ref_crc32c(0, buf, len));
}

/* Every start alignment (the fast path loads 8 bytes at a time). */
static void test_unaligned(void **state)
{
	uint8_t buf[MAXLEN + 8];

	(void)state;
	ut_fill_random(buf, sizeof(buf), 0xbeefu);
	for (size_t a = 0; a < 8; a++)
		for (size_t len = 0; len <= 64; len++)
			assert_int_equal(famfs_crc32c(0, buf + a, len),
					 ref_crc32c(0, buf + a, len));
}

/* Split at every point: crc(crc(a), b) == crc(a || b). */
static void test_incremental_two_parts(void **state)
{
	uint8_t buf[MAXLEN];

	(void)state;
	ut_fill_random(buf, sizeof(buf), 0xc0ffeeu);
	for (size_t len = 0; len <= MAXLEN; len++) {
		uint32_t want = ref_crc32c(0, buf, len);

		for (size_t split = 0; split <= len; split++) {
			uint32_t c = famfs_crc32c(0, buf, split);

			c = famfs_crc32c(c, buf + split, len - split);
			assert_int_equal(c, want);
		}
	}
}

static void test_incremental_three_parts(void **state)
{
	uint8_t buf[97];
	uint32_t want;

	(void)state;
	ut_fill_random(buf, sizeof(buf), 77u);
	want = ref_crc32c(0, buf, sizeof(buf));
	for (size_t i = 0; i <= sizeof(buf); i++) {
		for (size_t j = i; j <= sizeof(buf); j++) {
			uint32_t c = famfs_crc32c(0, buf, i);

			c = famfs_crc32c(c, buf + i, j - i);
			c = famfs_crc32c(c, buf + j, sizeof(buf) - j);
			assert_int_equal(c, want);
		}
	}
}

/* Byte at a time, the slowest path, over a long buffer. */
static void test_bytewise(void **state)
{
	uint8_t buf[4096];
	uint32_t c = 0;

	(void)state;
	ut_fill_random(buf, sizeof(buf), 4242u);
	for (size_t i = 0; i < sizeof(buf); i++)
		c = famfs_crc32c(c, buf + i, 1);
	assert_int_equal(c, ref_crc32c(0, buf, sizeof(buf)));
	assert_int_equal(famfs_crc32c(0, buf, sizeof(buf)), c);
}

/* A single changed bit anywhere changes the CRC. */
static void test_detects_bit_flips(void **state)
{
	uint8_t buf[128];
	uint32_t good;

	(void)state;
	ut_fill_random(buf, sizeof(buf), 99u);
	good = famfs_crc32c(0, buf, sizeof(buf));
	for (size_t i = 0; i < sizeof(buf); i++) {
		for (int b = 0; b < 8; b++) {
			buf[i] ^= (uint8_t)(1u << b);
			assert_int_not_equal(famfs_crc32c(0, buf, sizeof(buf)),
					     good);
			buf[i] ^= (uint8_t)(1u << b);
		}
	}
}

static void test_fs_seed(void **state)
{
	uint8_t u[16];

	(void)state;
	ut_uuid(u, 0x10);
	assert_int_equal(famfs_fs_seed(u), ref_crc32c(0, u, 16));
	/* literal, computed independently for bytes 0x10..0x1f */
	assert_int_equal(famfs_fs_seed(u), 0xa70f5a6bu);
	u[15] ^= 1;
	assert_int_not_equal(famfs_fs_seed(u), 0xa70f5a6bu);
	assert_int_equal(famfs_fs_seed(u), ref_crc32c(0, u, 16));
}

/* A CRC seeded with the fs seed is the CRC of uuid || data. */
static void test_seeded_is_prefixed(void **state)
{
	uint8_t cat[16 + 64];
	uint32_t seed;

	(void)state;
	ut_uuid(cat, 0xa0);
	ut_fill_random(cat + 16, 64, 5u);
	seed = famfs_fs_seed(cat);
	for (size_t len = 0; len <= 64; len++)
		assert_int_equal(famfs_crc32c(seed, cat + 16, len),
				 ref_crc32c(0, cat, 16 + len));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check_value),
		cmocka_unit_test(test_rfc3720_vectors),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_matches_reference),
		cmocka_unit_test(test_unaligned),
		cmocka_unit_test(test_incremental_two_parts),
		cmocka_unit_test(test_incremental_three_parts),
		cmocka_unit_test(test_bytewise),
		cmocka_unit_test(test_detects_bit_flips),
		cmocka_unit_test(test_fs_seed),
		cmocka_unit_test(test_seeded_is_prefixed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
