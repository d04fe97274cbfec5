// SPDX-License-Identifier: Apache-2.0
/*
 * The test-data stream (prng.c): golden values computed outside famfs
 * (python3, the splitmix64 reference), random access equals the sequential
 * stream, and mismatches are reported at the first differing offset.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "famfs.h"
#include "famfs_prng.h"

#define SEQ_LEN 8192

/*
 * Golden values, computed with python3:
 *   def sm(x):
 *       z = (x + 0x9e3779b97f4a7c15) % 2**64
 *       z = ((z ^ (z >> 30)) * 0xbf58476d1ce4e5b9) % 2**64
 *       z = ((z ^ (z >> 27)) * 0x94d049bb133111eb) % 2**64
 *       return z ^ (z >> 31)
 *   [hex(sm(s + i)) for i in range(4)]
 */
static const struct {
	uint64_t seed;
	uint64_t w[4];
} golden[] = {
	{ 1, { 0x910a2dec89025cc1ull, 0x975835de1c9756ceull,
	       0x1d0b14e4db018fedull, 0x6e73e372e2338acaull } },
	{ 42, { 0xbdd732262feb6e95ull, 0xba69ec90eb4fef88ull,
		0xfb452912299a5453ull, 0xf7e9f3f88cc04ad6ull } },
	{ 0xdeadbeefull, { 0x4adfb90f68c9eb9bull, 0x23e2d64a9611a6b6ull,
			   0xd7d7b2935c80ef68ull, 0x19431317c1aef829ull } },
	/* s + i wraps: word 1 is splitmix64(0), word 2 is seed 1's word 0 */
	{ UINT64_MAX, { 0xe4d971771b652c20ull, 0xe220a8397b1dcdafull,
			0x910a2dec89025cc1ull, 0x975835de1c9756ceull } },
};

static void test_splitmix64_reference(void **state)
{
	(void)state;
	/* the published first output of splitmix64 from state 0 */
	assert_true(famfs_splitmix64(0) == 0xe220a8397b1dcdafull);
	for (size_t g = 0; g < sizeof(golden) / sizeof(golden[0]); g++)
		for (uint64_t i = 0; i < 4; i++)
			assert_true(famfs_splitmix64(golden[g].seed + i) ==
				    golden[g].w[i]);
}

/* The stream's bytes are the golden words, little-endian, in order. */
static void test_golden_bytes(void **state)
{
	static const uint8_t seed1[8] = {
		0xc1, 0x5c, 0x02, 0x89, 0xec, 0x2d, 0x0a, 0x91,
	};
	uint8_t buf[32];

	(void)state;
	famfs_prng_fill(1, 0, buf, 8);
	assert_memory_equal(buf, seed1, 8);
	for (size_t g = 0; g < sizeof(golden) / sizeof(golden[0]); g++) {
		famfs_prng_fill(golden[g].seed, 0, buf, sizeof(buf));
		for (size_t b = 0; b < sizeof(buf); b++)
			assert_int_equal(buf[b], (uint8_t)(golden[g].w[b / 8] >>
							   (8 * (b % 8))));
	}
	/* offset 8 of seed s is offset 0 of seed s + 1 */
	famfs_prng_fill(41, 8, buf, 8);
	assert_true(buf[0] == 0x95 && buf[7] == 0xbd);
}

/* Any (offset, length) piece equals the same slice of the whole stream. */
static void test_random_access(void **state)
{
	static uint8_t whole[SEQ_LEN], piece[SEQ_LEN];
	const uint64_t base = 0x10000000000ull;	/* a far-out file offset */

	(void)state;
	famfs_prng_fill(7, base, whole, sizeof(whole));
	for (size_t off = 0; off < 40; off++)
		for (size_t len = 0; len <= 40; len++) {
			memset(piece, 0xa5, len + 1);
			famfs_prng_fill(7, base + off, piece, len);
			assert_memory_equal(piece, whole + off, len);
			assert_int_equal(piece[len], 0xa5);	/* no overrun */
		}
	for (size_t off = 1; off < SEQ_LEN; off = off * 3 + 1) {
		famfs_prng_fill(7, base + off, piece, SEQ_LEN - off);
		assert_memory_equal(piece, whole + off, SEQ_LEN - off);
	}
	/* built backwards, one odd-sized piece at a time */
	memset(piece, 0, sizeof(piece));
	for (size_t end = SEQ_LEN; end > 0;) {
		size_t len = end >= 13 ? 13 : end;

		famfs_prng_fill(7, base + end - len, piece + end - len, len);
		end -= len;
	}
	assert_memory_equal(piece, whole, SEQ_LEN);
}

static void test_seeds_differ(void **state)
{
	uint8_t a[64], b[64];

	(void)state;
	famfs_prng_fill(1, 0, a, sizeof(a));
	famfs_prng_fill(2, 0, b, sizeof(b));
	assert_memory_not_equal(a, b, sizeof(a));
	famfs_prng_fill(1, 4096, b, sizeof(b));
	assert_memory_not_equal(a, b, sizeof(a));
}

static void test_check_match(void **state)
{
	static uint8_t buf[SEQ_LEN];
	uint64_t bad = 12345;

	(void)state;
	famfs_prng_fill(99, 3, buf, sizeof(buf));
	assert_int_equal(famfs_prng_check(99, 3, buf, sizeof(buf), &bad), 0);
	assert_int_equal(bad, 12345);		/* untouched on success */
	for (size_t off = 0; off < 24; off++)
		assert_int_equal(famfs_prng_check(99, 3 + off, buf + off,
						  sizeof(buf) - off, &bad), 0);
	assert_int_equal(famfs_prng_check(99, 0, buf, 0, &bad), 0);
}

/* One damaged byte anywhere: head, aligned body, tail, every bit. */
static void test_check_reports_offset(void **state)
{
	static uint8_t buf[256];
	uint64_t bad;

	(void)state;
	for (uint64_t start = 0; start < 9; start++) {
		famfs_prng_fill(5, start, buf, sizeof(buf));
		for (size_t i = 0; i < sizeof(buf); i++) {
			uint8_t bit = (uint8_t)(1u << (i % 8));

			buf[i] ^= bit;
			bad = UINT64_MAX;
			assert_int_equal(famfs_prng_check(5, start, buf,
							  sizeof(buf), &bad),
					 -EILSEQ);
			assert_int_equal(bad, start + i);
			buf[i] ^= bit;
		}
	}
}

/* Several damaged bytes: the first one is reported. */
static void test_check_first_of_many(void **state)
{
	static uint8_t buf[4096];
	uint64_t bad = 0;

	(void)state;
	famfs_prng_fill(11, 1000, buf, sizeof(buf));
	buf[3000] ^= 0xff;
	buf[777] ^= 0x01;
	buf[778] ^= 0x80;
	assert_int_equal(famfs_prng_check(11, 1000, buf, sizeof(buf), &bad),
			 -EILSEQ);
	assert_int_equal(bad, 1777);
	/* checked from past the first damage, the next one is found */
	assert_int_equal(famfs_prng_check(11, 1779, buf + 779,
					  sizeof(buf) - 779, &bad), -EILSEQ);
	assert_int_equal(bad, 4000);
}

/* Data of another seed, or of the right seed at the wrong offset. */
static void test_check_wrong_seed(void **state)
{
	static uint8_t buf[1024], want[1024];
	uint64_t bad = 0, first;

	(void)state;
	famfs_prng_fill(8, 0, buf, sizeof(buf));
	famfs_prng_fill(9, 0, want, sizeof(want));
	for (first = 0; buf[first] == want[first]; first++)
		;
	assert_int_equal(famfs_prng_check(9, 0, buf, sizeof(buf), &bad),
			 -EILSEQ);
	assert_int_equal(bad, first);
	assert_int_equal(famfs_prng_check(8, 8, buf, sizeof(buf), &bad),
			 -EILSEQ);
	memset(buf, 0, sizeof(buf));		/* a never-written file */
	famfs_prng_fill(8, 64, want, sizeof(want));
	for (first = 0; want[first] == 0; first++)
		;
	assert_int_equal(famfs_prng_check(8, 64, buf, sizeof(buf), &bad),
			 -EILSEQ);
	assert_int_equal(bad, 64 + first);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_splitmix64_reference),
		cmocka_unit_test(test_golden_bytes),
		cmocka_unit_test(test_random_access),
		cmocka_unit_test(test_seeds_differ),
		cmocka_unit_test(test_check_match),
		cmocka_unit_test(test_check_reports_offset),
		cmocka_unit_test(test_check_first_of_many),
		cmocka_unit_test(test_check_wrong_seed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
