// SPDX-License-Identifier: Apache-2.0
/*
 * Packed small files (create.c with the PACKED feature): files below the
 * allocation unit share units set aside for them at 4 KiB granularity,
 * files of a unit or more take whole aligned units, packed files of 2 MiB
 * or more start 2 MiB-aligned, replay rebuilds the same bitmap, a clone of
 * a packed file is a cross-link, and filesystems without the feature
 * allocate as before.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "unit_fs.h"

#define G 4096ull

static struct uimg im;
static struct famfs_fs *fs, *fs2;

static int setup(void **state)
{
	(void)state;
	fs = calloc(1, sizeof(*fs));
	fs2 = calloc(1, sizeof(*fs2));
	im.fd = -1;
	if (!fs || !fs2)
		return -1;
	fs->dev.fd = fs2->dev.fd = -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	famfs_fs_close(fs);
	famfs_fs_close(fs2);
	free(fs);
	free(fs2);
	uimg_destroy(&im);
	return 0;
}

static const struct famfs_extent *ext_of(const char *path)
{
	const struct famfs_node *n = ufs_lookup(fs, path);

	assert_non_null(n);
	assert_non_null(n->file);
	assert_int_equal(n->file->nextents, 1);
	return &n->file->ext[0];
}

static int overlap(const struct famfs_extent *a, const struct famfs_extent *b)
{
	return a->dev == b->dev && a->offset < b->offset + b->len &&
	       b->offset < a->offset + a->len;
}

static void test_small_files_share_a_unit(void **state)
{
	static const uint64_t sizes[] = { 1, 100, 4095, 4096, 4097, 8192,
					  65536, 3000, 200000, 1 };
	const size_t n = sizeof(sizes) / sizeof(sizes[0]);
	const struct famfs_extent *x[16];
	uint64_t au = 2 * UNIT_MiB, want = 0;
	char p[16];

	(void)state;
	uimg_new(&im, 64 * UNIT_MiB, 0, 0);
	ufs_open(fs, &im, FAMFS_DEV_RDWR);
	assert_true(fs->sb.incompat & FAMFS_FEATURE_PACKED);
	for (size_t i = 0; i < n; i++) {
		snprintf(p, sizeof(p), "f%zu", i);
		ufs_mkfile(fs, p, sizes[i]);
		want += (sizes[i] + G - 1) / G * G;
	}
	for (size_t i = 0; i < n; i++) {
		snprintf(p, sizeof(p), "f%zu", i);
		x[i] = ext_of(p);
		assert_int_equal(x[i]->offset % G, 0);
		assert_int_equal(x[i]->len, (sizes[i] + G - 1) / G * G);
		assert_int_equal(x[i]->offset / au, x[0]->offset / au);
		for (size_t j = 0; j < i; j++)
			assert_false(overlap(x[i], x[j]));
	}
	assert_int_equal(famfs_fs_used(fs), want);
}

static void test_big_files_take_whole_units(void **state)
{
	static const uint64_t sizes[] = { 5000, 2 * UNIT_MiB, 12288,
					  3 * UNIT_MiB + 5, 1, 2 * UNIT_MiB - 1 };
	const size_t n = sizeof(sizes) / sizeof(sizes[0]);
	uint64_t au = 2 * UNIT_MiB, small_unit;
	char p[16];

	(void)state;
	uimg_new(&im, 64 * UNIT_MiB, 0, 0);
	ufs_open(fs, &im, FAMFS_DEV_RDWR);
	for (size_t i = 0; i < n; i++) {
		snprintf(p, sizeof(p), "f%zu", i);
		ufs_mkfile(fs, p, sizes[i]);
	}
	small_unit = ext_of("f0")->offset / au;
	for (size_t i = 0; i < n; i++) {
		const struct famfs_extent *x;

		snprintf(p, sizeof(p), "f%zu", i);
		x = ext_of(p);
		if (sizes[i] >= au) {
			assert_int_equal(x->offset % au, 0);
			assert_int_equal(x->len % au, 0);
			assert_true(x->offset / au != small_unit);
		} else if (sizes[i] < G * 4) {
			assert_int_equal(x->offset / au, small_unit);
		}
	}
}

/* With an 8 MiB unit, a packed file of 2 MiB or more starts 2 MiB-aligned. */
static void test_packed_big_is_2m_aligned(void **state)
{
	(void)state;
	uimg_new(&im, 256 * UNIT_MiB, 0, 8 * UNIT_MiB);
	ufs_open(fs, &im, FAMFS_DEV_RDWR);
	ufs_mkfile(fs, "a", 4096 + 1);
	ufs_mkfile(fs, "b", 2 * UNIT_MiB + 1);
	ufs_mkfile(fs, "c", 1);
	ufs_mkfile(fs, "d", 4 * UNIT_MiB);
	assert_int_equal(ext_of("b")->offset % (2 * UNIT_MiB), 0);
	assert_int_equal(ext_of("d")->offset % (2 * UNIT_MiB), 0);
	assert_int_equal(ext_of("b")->len, 2 * UNIT_MiB + G);
	assert_int_equal(ext_of("a")->offset / (8 * UNIT_MiB),
			 ext_of("b")->offset / (8 * UNIT_MiB));
	assert_false(overlap(ext_of("b"), ext_of("c")));
	assert_false(overlap(ext_of("b"), ext_of("d")));
}

/* Replay on another host rebuilds exactly the bitmap the creates left. */
static void test_replay_same_bitmap(void **state)
{
	char p[16];

	(void)state;
	uimg_new(&im, 64 * UNIT_MiB, 0, 0);
	ufs_open(fs, &im, FAMFS_DEV_RDWR);
	for (int i = 0; i < 300; i++) {
		snprintf(p, sizeof(p), "f%d", i);
		ufs_mkfile(fs, p, (uint64_t)(i * 977 % 40000) + 1);
		if (i % 50 == 0) {
			snprintf(p, sizeof(p), "b%d", i);
			ufs_mkfile(fs, p, 2 * UNIT_MiB + (uint64_t)i);
		}
	}
	ufs_open(fs2, &im, 0);
	assert_int_equal(fs2->bmap[0].nbits, fs->bmap[0].nbits);
	assert_int_equal(fs2->bmap[0].used, fs->bmap[0].used);
	assert_memory_equal(fs2->bmap[0].w, fs->bmap[0].w,
			    (fs->bmap[0].nbits + 63) / 64 * 8);
	assert_int_equal(fs2->crosslinks, 0);
}

/* A clone of a packed file shares its granules: replay counts a cross-link. */
static void test_clone_of_packed_is_crosslink(void **state)
{
	struct famfs_why why = { "" };

	(void)state;
	uimg_new(&im, 64 * UNIT_MiB, 0, 0);
	ufs_open(fs, &im, FAMFS_DEV_RDWR);
	ufs_mkfile(fs, "a", 100);
	ufs_mkfile(fs, "b", 100);
	assert_int_equal(famfs_fs_clone(fs, "b", "c", &why), 0);
	ufs_open(fs2, &im, 0);
	assert_int_equal(fs2->crosslinks, 1);
}

/*
 * When every unit is in use, small files still go into the free granules
 * of the units set aside for them; a unit-sized file gets "no space".
 */
static void test_full_units_small_files_fit(void **state)
{
	struct famfs_why why = { "" };
	char p[16];
	int rc;

	(void)state;
	uimg_new(&im, 64 * UNIT_MiB, 0, 0);	/* 27 units of 2 MiB */
	ufs_open(fs, &im, FAMFS_DEV_RDWR);
	ufs_mkfile(fs, "s", 1);
	for (int i = 0; i < 26; i++) {
		snprintf(p, sizeof(p), "u%d", i);
		ufs_mkfile(fs, p, 2 * UNIT_MiB);
	}
	rc = famfs_fs_mkfile(fs, "big", 2 * UNIT_MiB, 0644, 0, 0, &why);
	assert_int_equal(rc, -ENOSPC);
	assert_non_null(strstr(why.msg, "no space on /proc/self/fd/"));
	assert_non_null(strstr(why.msg, "famfs devadd"));
	for (int i = 0; i < 511; i++) {
		snprintf(p, sizeof(p), "t%d", i);
		ufs_mkfile(fs, p, 10);
	}
	rc = famfs_fs_mkfile(fs, "last", 10, 0644, 0, 0, &why);
	assert_int_equal(rc, -ENOSPC);
	assert_int_equal(famfs_fs_used(fs), famfs_fs_capacity(fs));
}

static void check_unpacked(uint64_t au)
{
	ufs_open(fs, &im, FAMFS_DEV_RDWR);
	assert_false(fs->sb.incompat & FAMFS_FEATURE_PACKED);
	ufs_mkfile(fs, "a", 1);
	ufs_mkfile(fs, "b", 1);
	assert_int_equal(ext_of("a")->len, au);
	assert_int_equal(ext_of("b")->offset % au, 0);
	assert_int_equal(famfs_fs_used(fs), 2 * au);
}

static void test_4k_unit_not_packed(void **state)
{
	(void)state;
	uimg_new(&im, 64 * UNIT_MiB, 0, G);
	check_unpacked(G);
}

/* A first-release filesystem (golden image) keeps whole units. */
static void test_first_release_not_packed(void **state)
{
	struct famfs_mkfs_opts o = { .first_release = 1, .mkfs_time = 1 };
	struct famfs_why why = { "" };
	struct famfs_dev dev;

	(void)state;
	uimg_create(&im, 64 * UNIT_MiB);
	assert_int_equal(famfs_dev_open(&dev, im.path, FAMFS_DEV_RDWR, &why), 0);
	assert_int_equal(famfs_mkfs_plan(&dev, &o, &im.sb, &why), 0);
	assert_int_equal(famfs_mkfs_write(&dev, &im.sb, &why), 0);
	famfs_dev_close(&dev);
	check_unpacked(2 * UNIT_MiB);
}

/* The default log follows the device: 1/256, 8 MiB to 512 MiB. */
static void test_auto_log_len(void **state)
{
	(void)state;
	assert_int_equal(famfs_auto_log_len(64 * UNIT_MiB), 8 * UNIT_MiB);
	assert_int_equal(famfs_auto_log_len(2 * UNIT_GiB), 8 * UNIT_MiB);
	assert_int_equal(famfs_auto_log_len(4 * UNIT_GiB), 16 * UNIT_MiB);
	assert_int_equal(famfs_auto_log_len(64 * UNIT_GiB), 256 * UNIT_MiB);
	assert_int_equal(famfs_auto_log_len(4 * UNIT_GiB + 256), 18 * UNIT_MiB);
	assert_int_equal(famfs_auto_log_len(1024 * UNIT_GiB), 512 * UNIT_MiB);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_small_files_share_a_unit),
		T(test_big_files_take_whole_units),
		T(test_packed_big_is_2m_aligned),
		T(test_replay_same_bitmap),
		T(test_clone_of_packed_is_crosslink),
		T(test_full_units_small_files_fit),
		T(test_4k_unit_not_packed),
		T(test_first_release_not_packed),
		T(test_auto_log_len),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
