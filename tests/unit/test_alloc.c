// SPDX-License-Identifier: Apache-2.0
/*
 * Allocation bitmaps (alloc.c): set/clear/test and the used count, the
 * overlap count returned by famfs_bitmap_set, first-fit allocation from the
 * roving cursor with wrap-around, and the -ENOSPC cases.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "famfs.h"
#include "famfs_alloc.h"

static struct famfs_bitmap bm;

static void init(uint64_t nbits)
{
	assert_int_equal(famfs_bitmap_init(&bm, nbits), 0);
}

static int teardown(void **state)
{
	(void)state;
	famfs_bitmap_free(&bm);
	return 0;
}

/* Count set bits by testing each one. */
static uint64_t count_set(void)
{
	uint64_t n = 0;

	for (uint64_t i = 0; i < bm.nbits; i++)
		n += famfs_bitmap_test(&bm, i);
	return n;
}

static void assert_range(uint64_t start, uint64_t n, int set)
{
	for (uint64_t i = start; i < start + n; i++)
		assert_int_equal(famfs_bitmap_test(&bm, i), set);
}

static void test_init_is_clear(void **state)
{
	(void)state;
	init(1000);
	assert_int_equal(bm.nbits, 1000);
	assert_int_equal(bm.used, 0);
	assert_int_equal(bm.cursor, 0);
	assert_non_null(bm.w);
	assert_int_equal(count_set(), 0);
}

static void test_set_clear_test(void **state)
{
	(void)state;
	init(256);
	assert_int_equal(famfs_bitmap_set(&bm, 60, 10), 0);	/* spans a word */
	assert_int_equal(bm.used, 10);
	assert_range(60, 10, 1);
	assert_int_equal(famfs_bitmap_test(&bm, 59), 0);
	assert_int_equal(famfs_bitmap_test(&bm, 70), 0);
	assert_int_equal(count_set(), 10);

	famfs_bitmap_clear(&bm, 62, 3);
	assert_int_equal(bm.used, 7);
	assert_range(62, 3, 0);
	assert_range(60, 2, 1);
	assert_range(65, 5, 1);
	assert_int_equal(count_set(), 7);

	/* clearing clear bits changes nothing */
	famfs_bitmap_clear(&bm, 100, 50);
	assert_int_equal(bm.used, 7);
	famfs_bitmap_clear(&bm, 0, 256);
	assert_int_equal(bm.used, 0);
	assert_int_equal(count_set(), 0);
}

static void test_set_counts_overlap(void **state)
{
	(void)state;
	init(200);
	assert_int_equal(famfs_bitmap_set(&bm, 10, 20), 0);
	/* [25, 40) overlaps [10, 30) in 5 bits */
	assert_int_equal(famfs_bitmap_set(&bm, 25, 15), 5);
	assert_int_equal(bm.used, 30);
	/* fully inside */
	assert_int_equal(famfs_bitmap_set(&bm, 12, 3), 3);
	assert_int_equal(bm.used, 30);
	/* two separate overlaps in one call */
	assert_int_equal(famfs_bitmap_set(&bm, 100, 1), 0);
	assert_int_equal(famfs_bitmap_set(&bm, 0, 128), 31);
	assert_int_equal(bm.used, 128);
	assert_int_equal(count_set(), 128);
}

static void test_set_and_clear_clip_at_end(void **state)
{
	(void)state;
	init(100);
	assert_int_equal(famfs_bitmap_set(&bm, 90, 50), 0);
	assert_int_equal(bm.used, 10);
	assert_int_equal(famfs_bitmap_test(&bm, 99), 1);
	assert_int_equal(famfs_bitmap_test(&bm, 100), 0);
	assert_int_equal(famfs_bitmap_test(&bm, 1000000), 0);
	famfs_bitmap_clear(&bm, 95, 1000);
	assert_int_equal(bm.used, 5);
	assert_int_equal(count_set(), 5);
}

static void test_alloc_first_fit(void **state)
{
	uint64_t s = ~0ull;

	(void)state;
	init(128);
	assert_int_equal(famfs_bitmap_alloc(&bm, 5, &s), 0);
	assert_int_equal(s, 0);
	assert_int_equal(bm.cursor, 5);
	assert_int_equal(famfs_bitmap_alloc(&bm, 3, &s), 0);
	assert_int_equal(s, 5);
	assert_int_equal(bm.cursor, 8);
	assert_int_equal(bm.used, 8);
	assert_range(0, 8, 1);
	assert_int_equal(famfs_bitmap_test(&bm, 8), 0);
}

static void test_alloc_skips_used_runs(void **state)
{
	uint64_t s;

	(void)state;
	init(256);
	famfs_bitmap_set(&bm, 0, 3);
	famfs_bitmap_set(&bm, 5, 70);		/* hole [3, 5) of 2 */
	assert_int_equal(famfs_bitmap_alloc(&bm, 4, &s), 0);
	assert_int_equal(s, 75);
	assert_int_equal(famfs_bitmap_alloc(&bm, 2, &s), 0);
	assert_int_equal(s, 79);		/* from the cursor, not the hole */
	assert_int_equal(bm.used, 73 + 6);
}

static void test_alloc_from_cursor(void **state)
{
	uint64_t s;

	(void)state;
	init(256);
	bm.cursor = 100;
	assert_int_equal(famfs_bitmap_alloc(&bm, 10, &s), 0);
	assert_int_equal(s, 100);
	assert_int_equal(bm.cursor, 110);
	assert_int_equal(famfs_bitmap_test(&bm, 99), 0);
}

static void test_alloc_wraps(void **state)
{
	uint64_t s;

	(void)state;
	init(128);
	famfs_bitmap_set(&bm, 100, 28);		/* the end is full */
	bm.cursor = 90;
	/* 10 free after the cursor: too few for 20, so wrap to 0 */
	assert_int_equal(famfs_bitmap_alloc(&bm, 20, &s), 0);
	assert_int_equal(s, 0);
	assert_int_equal(bm.cursor, 20);
	/* a run that fits after the cursor is still taken there */
	bm.cursor = 90;
	assert_int_equal(famfs_bitmap_alloc(&bm, 10, &s), 0);
	assert_int_equal(s, 90);
}

static void test_alloc_wrap_finds_run_over_cursor(void **state)
{
	uint64_t s;

	(void)state;
	init(64);
	famfs_bitmap_set(&bm, 0, 10);
	famfs_bitmap_set(&bm, 40, 24);
	/* free [10, 40); the cursor sits in the middle of it */
	bm.cursor = 30;
	assert_int_equal(famfs_bitmap_alloc(&bm, 25, &s), 0);
	assert_int_equal(s, 10);
	assert_range(10, 25, 1);
}

static void test_alloc_exact_fit(void **state)
{
	uint64_t s;

	(void)state;
	init(64);
	famfs_bitmap_set(&bm, 0, 20);
	famfs_bitmap_set(&bm, 27, 37);		/* hole [20, 27) of exactly 7 */
	assert_int_equal(famfs_bitmap_alloc(&bm, 7, &s), 0);
	assert_int_equal(s, 20);
	assert_int_equal(bm.used, 64);
	assert_int_equal(famfs_bitmap_alloc(&bm, 1, &s), -ENOSPC);
}

static void test_alloc_exact_fit_at_end(void **state)
{
	uint64_t s;

	(void)state;
	init(100);
	famfs_bitmap_set(&bm, 0, 97);
	assert_int_equal(famfs_bitmap_alloc(&bm, 4, &s), -ENOSPC);
	assert_int_equal(famfs_bitmap_alloc(&bm, 3, &s), 0);
	assert_int_equal(s, 97);
	assert_int_equal(bm.cursor, 100);
	assert_int_equal(bm.used, 100);
}

static void test_alloc_whole_map(void **state)
{
	uint64_t s;

	(void)state;
	init(130);
	assert_int_equal(famfs_bitmap_alloc(&bm, 131, &s), -ENOSPC);
	assert_int_equal(famfs_bitmap_alloc(&bm, 130, &s), 0);
	assert_int_equal(s, 0);
	assert_int_equal(bm.used, 130);
	assert_int_equal(count_set(), 130);
}

static void test_alloc_fragmented(void **state)
{
	uint64_t s = 4242;

	(void)state;
	init(128);
	for (uint64_t i = 0; i < 128; i += 2)	/* every other bit */
		famfs_bitmap_set(&bm, i, 1);
	assert_int_equal(bm.used, 64);
	bm.cursor = 17;
	/* 64 bits are free but no two are adjacent */
	assert_int_equal(famfs_bitmap_alloc(&bm, 2, &s), -ENOSPC);
	assert_int_equal(s, 4242);
	assert_int_equal(bm.used, 64);
	assert_int_equal(bm.cursor, 17);
	assert_int_equal(famfs_bitmap_alloc(&bm, 1, &s), 0);
	assert_int_equal(s, 17);
}

static void test_alloc_fragmented_across_words(void **state)
{
	uint64_t s;

	(void)state;
	init(256);
	famfs_bitmap_set(&bm, 0, 256);
	famfs_bitmap_clear(&bm, 60, 3);		/* 3 free */
	famfs_bitmap_clear(&bm, 120, 4);	/* 4 free */
	famfs_bitmap_clear(&bm, 250, 3);	/* 3 free */
	assert_int_equal(famfs_bitmap_alloc(&bm, 5, &s), -ENOSPC);
	assert_int_equal(famfs_bitmap_alloc(&bm, 4, &s), 0);
	assert_int_equal(s, 120);
}

static void test_alloc_full(void **state)
{
	uint64_t s;

	(void)state;
	init(70);
	famfs_bitmap_set(&bm, 0, 70);
	assert_int_equal(famfs_bitmap_alloc(&bm, 1, &s), -ENOSPC);
	famfs_bitmap_clear(&bm, 69, 1);
	assert_int_equal(famfs_bitmap_alloc(&bm, 1, &s), 0);
	assert_int_equal(s, 69);
	assert_int_equal(famfs_bitmap_alloc(&bm, 1, &s), -ENOSPC);
}

/* Aligned allocation: the run starts at a multiple of align. */
static void test_alloc_aligned(void **state)
{
	uint64_t s = 0;

	(void)state;
	init(4096);
	famfs_bitmap_set(&bm, 3, 1);
	assert_int_equal(famfs_bitmap_alloc_aligned(&bm, 4, 8, &s), 0);
	assert_int_equal(s, 8);
	assert_int_equal(bm.cursor, 12);
	/* 512-bit blocks: one set bit makes a block unusable */
	famfs_bitmap_set(&bm, 700, 1);
	assert_int_equal(famfs_bitmap_alloc_aligned(&bm, 512, 512, &s), 0);
	assert_int_equal(s, 1024);
	assert_int_equal(famfs_bitmap_alloc_aligned(&bm, 1024, 512, &s), 0);
	assert_int_equal(s, 1536);
	assert_int_equal(famfs_bitmap_alloc_aligned(&bm, 2048, 512, &s),
			 -ENOSPC);
	assert_int_equal(famfs_bitmap_alloc_aligned(&bm, 512, 512, &s), 0);
	assert_int_equal(s, 2560);
	assert_int_equal(bm.used, 1 + 4 + 1 + 512 + 1024 + 512);
}

/* alloc_in stays inside [from, to) and leaves the cursor alone. */
static void test_alloc_in_bounds(void **state)
{
	uint64_t s = 0;

	(void)state;
	init(1024);
	assert_int_equal(famfs_bitmap_alloc_in(&bm, 64, 128, 64, 1, &s), 0);
	assert_int_equal(s, 64);
	assert_int_equal(bm.cursor, 0);
	assert_int_equal(famfs_bitmap_alloc_in(&bm, 64, 128, 1, 1, &s),
			 -ENOSPC);
	assert_int_equal(famfs_bitmap_alloc_in(&bm, 100, 300, 10, 1, &s), 0);
	assert_int_equal(s, 128);
	/* a run that would cross @to is refused */
	assert_int_equal(famfs_bitmap_alloc_in(&bm, 250, 256, 10, 1, &s),
			 -ENOSPC);
	assert_int_equal(famfs_bitmap_alloc_in(&bm, 0, 4096, 100, 64, &s), 0);
	assert_int_equal(s, 192);
	assert_int_equal(bm.used, 64 + 10 + 100);
}

/* Packing-like use: fill the holes of a fragmented block bit by bit. */
static void test_alloc_in_fills_holes(void **state)
{
	uint64_t s = 0, n = 0;

	(void)state;
	init(512);
	for (uint64_t i = 0; i < 512; i += 3)
		famfs_bitmap_set(&bm, i, 1);
	while (!famfs_bitmap_alloc_in(&bm, 0, 512, 2, 1, &s)) {
		assert_int_equal(s % 3, 1);
		n++;
	}
	assert_int_equal(n, 170);
	assert_int_equal(bm.used, 512 - 1);
	assert_int_equal(famfs_bitmap_alloc_in(&bm, 0, 512, 1, 1, &s), 0);
	assert_int_equal(s, 511);
	assert_int_equal(famfs_bitmap_alloc_in(&bm, 0, 512, 1, 1, &s),
			 -ENOSPC);
}

static void test_alloc_zero(void **state)
{
	uint64_t s = 99;

	(void)state;
	init(64);
	assert_int_equal(famfs_bitmap_alloc(&bm, 0, &s), -ENOSPC);
	assert_int_equal(s, 99);
	assert_int_equal(bm.used, 0);
	assert_int_equal(bm.cursor, 0);
}

/* Sizes that are not a multiple of 64: the tail word is partial. */
static void test_odd_sizes(void **state)
{
	static const uint64_t sizes[] = { 1, 63, 65, 100, 127, 129, 1000 };

	(void)state;
	for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		uint64_t n = sizes[k], s, got = 0;

		init(n);
		/* allocate one unit at a time until full */
		while (famfs_bitmap_alloc(&bm, 1, &s) == 0) {
			assert_int_equal(s, got);
			got++;
			assert_true(got <= n);
		}
		assert_int_equal(got, n);
		assert_int_equal(bm.used, n);
		assert_int_equal(count_set(), n);
		assert_int_equal(famfs_bitmap_test(&bm, n), 0);
		/* free the last unit: exactly it comes back */
		famfs_bitmap_clear(&bm, n - 1, 1);
		assert_int_equal(famfs_bitmap_alloc(&bm, 1, &s), 0);
		assert_int_equal(s, n - 1);
		famfs_bitmap_free(&bm);
	}
}

static void test_odd_size_run_at_end(void **state)
{
	uint64_t s;

	(void)state;
	init(100);
	famfs_bitmap_set(&bm, 0, 60);
	/* 40 free at the end, spanning the partial word */
	assert_int_equal(famfs_bitmap_alloc(&bm, 41, &s), -ENOSPC);
	assert_int_equal(famfs_bitmap_alloc(&bm, 40, &s), 0);
	assert_int_equal(s, 60);
	assert_int_equal(count_set(), 100);
}

static void test_free_resets(void **state)
{
	(void)state;
	init(64);
	famfs_bitmap_set(&bm, 0, 5);
	famfs_bitmap_free(&bm);
	assert_null(bm.w);
	assert_int_equal(bm.nbits, 0);
	assert_int_equal(bm.used, 0);
}

/*
 * Set and clear work a word at a time: compare them with a bit-by-bit model
 * over ranges that start and end at every offset in and around a word.
 */
static void test_set_clear_match_bitwise(void **state)
{
	static uint8_t model[300];
	uint64_t dup, want;

	(void)state;
	init(300);
	for (uint64_t s = 0; s < 300; s += 7) {
		for (uint64_t n = 0; s + n <= 310; n += 13) {
			want = 0;
			for (uint64_t i = s; i < s + n && i < 300; i++) {
				want += model[i];
				model[i] = 1;
			}
			dup = famfs_bitmap_set(&bm, s, n);
			assert_int_equal(dup, want);
			if (n % 3 == 0) {
				famfs_bitmap_clear(&bm, s + n / 2, n / 3);
				for (uint64_t i = s + n / 2;
				     i < s + n / 2 + n / 3 && i < 300; i++)
					model[i] = 0;
			}
			want = 0;
			for (uint64_t i = 0; i < 300; i++) {
				assert_int_equal(famfs_bitmap_test(&bm, i), model[i]);
				want += model[i];
			}
			assert_int_equal(bm.used, want);
		}
	}
	/* a range that wraps around the u64 changes nothing */
	assert_int_equal(famfs_bitmap_set(&bm, 5, UINT64_MAX), 0);
	assert_int_equal(bm.used, want);
}

/* 2^32 units, as a crafted ADD_DAXDEV can name: fast, not bit by bit. */
static void test_set_huge_range(void **state)
{
	(void)state;
	init(1ull << 32);
	assert_int_equal(famfs_bitmap_set(&bm, 3, 1ull << 32), 0);
	assert_int_equal(bm.used, (1ull << 32) - 3);
	assert_int_equal(famfs_bitmap_set(&bm, 0, 1ull << 32), (1ull << 32) - 3);
	famfs_bitmap_clear(&bm, 1, UINT64_MAX >> 1);
	assert_int_equal(bm.used, 1);
}

#define T(fn) cmocka_unit_test_teardown(fn, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_init_is_clear),
		T(test_set_clear_test),
		T(test_set_counts_overlap),
		T(test_set_clear_match_bitwise),
		T(test_set_huge_range),
		T(test_set_and_clear_clip_at_end),
		T(test_alloc_first_fit),
		T(test_alloc_skips_used_runs),
		T(test_alloc_from_cursor),
		T(test_alloc_wraps),
		T(test_alloc_wrap_finds_run_over_cursor),
		T(test_alloc_exact_fit),
		T(test_alloc_exact_fit_at_end),
		T(test_alloc_whole_map),
		T(test_alloc_fragmented),
		T(test_alloc_fragmented_across_words),
		T(test_alloc_full),
		T(test_alloc_aligned),
		T(test_alloc_in_bounds),
		T(test_alloc_in_fills_holes),
		T(test_alloc_zero),
		T(test_odd_sizes),
		T(test_odd_size_run_at_end),
		T(test_free_resets),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
