// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's GET_FMAP parser (kernel/src/famfs_fmap_parse.c) with maps
 * that span several devices (issue 6).  The kernel keeps a dense table of
 * FAMFS_MAX_DEVS devices, filled lazily through the parser's device-size
 * callback (patch 0005: the first map naming an index sends GET_DAXDEV);
 * these tests pin down what the parser asks that callback and how file
 * offsets resolve to (device, offset) when extents and strips sit on
 * different devices:
 *
 *  - every index 0..63 is usable, none is special (not even 0, the
 *    primary: a map may reference secondaries only);
 *  - the callback is asked about exactly the referenced devices, first in
 *    the order the reply names them, and a failure for one device (a
 *    device this host cannot resolve) fails only maps that use it;
 *  - each extent is bounded by the size of its own device;
 *  - golden vectors, computed by hand here (not by the resolver under
 *    test), for interleaves over two devices in either order, strips
 *    sharing a device, several interleaved extents on different device
 *    sets, and simple extents alternating between devices.
 *
 * The rules shared with single-device maps are in test_kfmap.c.
 */
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "../../kernel/src/famfs_kcompat.h"
#include "../../kernel/src/famfs_fmap_parse.c"

#include "kfmap_reply.h"
#include "unit_util.h"

#define PG	4096u
#define C2M	(2 * UT_MiB)
#define REG	FAMFS_FMAP_REG

/* ---- the device table, as the kernel's callback sees it ------------------ */

static uint64_t dev_size[FAMFS_MAX_DEVS];
static int dev_err[FAMFS_MAX_DEVS];	/* nonzero: this host lacks it */
static uint64_t dev_asked;		/* mask of devices asked about */
static uint32_t first_ask[FAMFS_MAX_DEVS]; /* distinct devices, in order */
static uint32_t nfirst;

static int table_dev_size(void *ctx, u32 dev, u64 *size)
{
	(void)ctx;
	assert_true(dev < FAMFS_MAX_DEVS);
	if (!(dev_asked & BIT_ULL(dev)))
		first_ask[nfirst++] = dev;
	dev_asked |= BIT_ULL(dev);
	if (dev_err[dev])
		return dev_err[dev];
	*size = dev_size[dev];
	return 0;
}

static int setup(void **state)
{
	(void)state;
	for (int i = 0; i < FAMFS_MAX_DEVS; i++) {
		dev_size[i] = UT_GiB;
		dev_err[i] = 0;
	}
	dev_asked = 0;
	nfirst = 0;
	rlen = 0;
	famfs_kc_last_warn[0] = 0;
	return 0;
}

static struct famfs_kfmap *parse_ok(void)
{
	struct famfs_kfmap *m = NULL;

	assert_int_equal(famfs_kfmap_parse(rbuf, rlen, PG, table_dev_size,
					   NULL, &m), 0);
	assert_non_null(m);
	/* lazily: exactly the devices the map references were asked for */
	assert_int_equal(dev_asked, m->dev_mask);
	return m;
}

static int parse_err(void)
{
	struct famfs_kfmap *m = (void *)1;
	int rc = famfs_kfmap_parse(rbuf, rlen, PG, table_dev_size, NULL, &m);

	assert_null(m);
	return rc;
}

/* Resolve @off and expect @dev, @daddr and @len. */
static void expect_loc(const struct famfs_kfmap *m, uint64_t off,
		       uint32_t dev, uint64_t daddr, uint64_t len)
{
	struct famfs_loc loc;

	assert_int_equal(famfs_kfmap_resolve(m, off, &loc), 0);
	if (loc.dev != dev || loc.daddr != daddr || loc.len != len)
		fail_msg("offset %#" PRIx64 ": dev %u daddr %#" PRIx64
			 " len %#" PRIx64 ", expected dev %u daddr %#" PRIx64
			 " len %#" PRIx64, off, loc.dev, loc.daddr, loc.len,
			 dev, daddr, len);
}

/* ---- device indices ---------------------------------------------------- */

/* The highest index works; nothing about device 0 is assumed. */
static void test_index_63_alone(void **state)
{
	struct famfs_kfmap *m;

	(void)state;
	hdr(REG, FAMFS_FMAP_SIMPLE, 1, 3 * PG);
	se(63, 16 * UT_MiB, 4 * PG);
	m = parse_ok();
	assert_int_equal(m->dev_mask, BIT_ULL(63));
	assert_int_equal(nfirst, 1);
	assert_int_equal(first_ask[0], 63);
	expect_loc(m, PG + 5, 63, 16 * UT_MiB + PG + 5, 3 * PG - 5);
	famfs_kfmap_free(m);
}

/* Devices are asked about in the order the reply first names them. */
static void test_asked_in_reply_order(void **state)
{
	static const uint32_t devs[] = { 5, 0, 63, 5, 1, 0, 32 };
	static const uint32_t want[] = { 5, 0, 63, 1, 32 };
	struct famfs_kfmap *m;
	uint32_t i, n = sizeof(devs) / sizeof(devs[0]);

	(void)state;
	hdr(REG, FAMFS_FMAP_SIMPLE, n, n * C2M);
	for (i = 0; i < n; i++)
		se(devs[i], (uint64_t)(i + 1) * C2M, C2M);
	m = parse_ok();
	assert_int_equal(nfirst, sizeof(want) / sizeof(want[0]));
	for (i = 0; i < nfirst; i++)
		assert_int_equal(first_ask[i], want[i]);
	for (i = 0; i < n; i++)
		expect_loc(m, i * C2M + PG, devs[i], (i + 1) * C2M + PG,
			   C2M - PG);
	famfs_kfmap_free(m);
}

/*
 * A device this host cannot resolve (GET_DAXDEV fails) fails every map
 * that uses it, with the callback's error, and no other map.
 */
static void test_missing_device_fails_only_its_maps(void **state)
{
	struct famfs_kfmap *m;

	(void)state;
	dev_err[1] = -ENXIO;
	hdr(REG, FAMFS_FMAP_INTERLEAVE, 1, 8 * UT_MiB);
	ie(2, C2M, 8 * UT_MiB);
	se(0, 0, 4 * UT_MiB);
	se(1, 0, 4 * UT_MiB);
	assert_int_equal(parse_err(), -ENXIO);
	assert_true(dev_asked & BIT_ULL(1));

	dev_asked = 0;
	nfirst = 0;
	hdr(REG, FAMFS_FMAP_SIMPLE, 2, 4 * UT_MiB);
	se(0, 8 * UT_MiB, C2M);
	se(2, 0, C2M);
	m = parse_ok();
	assert_int_equal(m->dev_mask, BIT_ULL(0) | BIT_ULL(2));
	famfs_kfmap_free(m);
}

/* Each extent is bounded by its own device, not by the largest one. */
static void test_bounds_per_device(void **state)
{
	struct famfs_kfmap *m;

	(void)state;
	dev_size[0] = 64 * UT_GiB;
	dev_size[1] = 64 * UT_MiB;
	hdr(REG, FAMFS_FMAP_INTERLEAVE, 1, 16 * UT_MiB);
	ie(2, C2M, 16 * UT_MiB);
	se(0, 60 * UT_MiB, 8 * UT_MiB);
	se(1, 56 * UT_MiB, 8 * UT_MiB);	/* ends at the end of device 1 */
	m = parse_ok();
	famfs_kfmap_free(m);

	hdr(REG, FAMFS_FMAP_INTERLEAVE, 1, 16 * UT_MiB);
	ie(2, C2M, 16 * UT_MiB);
	se(0, 60 * UT_MiB, 8 * UT_MiB);
	se(1, 56 * UT_MiB + PG, 8 * UT_MiB);
	assert_int_equal(parse_err(), -EIO);
	if (!strstr(famfs_kc_last_warn, "bytes of device 1"))
		fail_msg("unexpected reason: %s", famfs_kc_last_warn);
}

/* ---- golden vectors ---------------------------------------------------- */

/*
 * famfs creat -N 2 -C 2M -s 64M over two devices: 32 chunks, chunk k on
 * strip k % 2 at strip offset (k / 2) * 2 MiB.  @d0/@d1 are the devices
 * of strips 0 and 1 (either order).
 */
static void check_two_device_interleave(uint32_t d0, uint32_t d1)
{
	const uint64_t b[2] = { 0x2a00000, 0x200000 };
	const uint32_t d[2] = { d0, d1 };
	struct famfs_kfmap *m;
	uint64_t k;

	hdr(REG, FAMFS_FMAP_INTERLEAVE, 1, 64 * UT_MiB);
	ie(2, C2M, 64 * UT_MiB);
	se(d0, b[0], 32 * UT_MiB);
	se(d1, b[1], 32 * UT_MiB);
	m = parse_ok();
	assert_int_equal(m->dev_mask, BIT_ULL(d0) | BIT_ULL(d1));
	for (k = 0; k < 32; k++) {
		expect_loc(m, k * C2M, d[k % 2], b[k % 2] + k / 2 * C2M, C2M);
		expect_loc(m, k * C2M + C2M - 1, d[k % 2],
			   b[k % 2] + k / 2 * C2M + C2M - 1, 1);
	}
	/* a few by hand: 5 MiB is chunk 2 (strip 0, stripe 1) at 1 MiB */
	expect_loc(m, 5 * UT_MiB, d0, 0x2a00000 + 3 * UT_MiB, UT_MiB);
	/* 63 MiB + 4 KiB is chunk 31 (strip 1, stripe 15) at 1 MiB + 4 KiB */
	expect_loc(m, 63 * UT_MiB + PG, d1, 0x200000 + 31 * UT_MiB + PG,
		   UT_MiB - PG);
	famfs_kfmap_free(m);
}

static void test_interleave_two_devices(void **state)
{
	(void)state;
	check_two_device_interleave(0, 1);
}

/* Strip 0 on the secondary: chunk 0 lands on device 1. */
static void test_interleave_two_devices_reversed(void **state)
{
	(void)state;
	check_two_device_interleave(1, 0);
	assert_int_equal(first_ask[0], 1);
	assert_int_equal(first_ask[1], 0);
}

/*
 * Four strips on two devices (within-device striping where there are
 * fewer devices than strips): strips 0 and 2 on device 0, 1 and 3 on
 * device 1; 1 MiB chunks, 12 MiB = 12 chunks, 3 per strip.
 */
static void test_four_strips_two_devices(void **state)
{
	const uint64_t b[4] = { 0x400000, 0x1000000, 0x800000, 0x2000000 };
	struct famfs_kfmap *m;
	uint64_t k;

	(void)state;
	hdr(REG, FAMFS_FMAP_INTERLEAVE, 1, 12 * UT_MiB);
	ie(4, UT_MiB, 12 * UT_MiB);
	for (k = 0; k < 4; k++)
		se(k % 2, b[k], 3 * UT_MiB);
	m = parse_ok();
	assert_int_equal(m->dev_mask, 3);
	for (k = 0; k < 12; k++)
		expect_loc(m, k * UT_MiB + 3 * PG, k % 4 % 2,
			   b[k % 4] + k / 4 * UT_MiB + 3 * PG,
			   UT_MiB - 3 * PG);
	/* chunk 9 = strip 1, stripe 2: device 1 at 0x1000000 + 2 MiB */
	expect_loc(m, 9 * UT_MiB, 1, 0x1200000, UT_MiB);
	famfs_kfmap_free(m);
}

/*
 * Two interleaved extents on different device sets: iext 0 (8 MiB, 2 MiB
 * chunks) on devices 0 and 1, iext 1 (4 MiB + 100 bytes, 4 KiB chunks)
 * on devices 2, 3 and 63.
 */
static void test_iexts_on_different_devices(void **state)
{
	struct famfs_kfmap *m;

	(void)state;
	hdr(REG, FAMFS_FMAP_INTERLEAVE, 2, 12 * UT_MiB + 100);
	ie(2, C2M, 8 * UT_MiB);
	se(0, 0x10000000, 4 * UT_MiB);
	se(1, 0x20000000, 4 * UT_MiB);
	ie(3, PG, 4 * UT_MiB + 100);	/* 1025 chunks: 342 per strip */
	se(2, 0, 342 * PG);
	se(3, UT_MiB, 342 * PG);
	se(63, 2 * UT_MiB, 342 * PG);
	m = parse_ok();
	assert_int_equal(m->dev_mask, 0xfULL | BIT_ULL(63));
	assert_int_equal(nfirst, 5);
	expect_loc(m, 6 * UT_MiB + 7, 1, 0x20000000 + C2M + 7, C2M - 7);
	/* iext 1 chunk 0, 1, 2, 3 -> devices 2, 3, 63, 2 (stripe 1) */
	expect_loc(m, 8 * UT_MiB, 2, 0, PG);
	expect_loc(m, 8 * UT_MiB + PG + 1, 3, UT_MiB + 1, PG - 1);
	expect_loc(m, 8 * UT_MiB + 2 * PG, 63, 2 * UT_MiB, PG);
	expect_loc(m, 8 * UT_MiB + 3 * PG, 2, PG, PG);
	/* the last chunk, 1024 = strip 1 (1024 % 3), stripe 341 */
	expect_loc(m, 12 * UT_MiB, 3, UT_MiB + 341 * PG, PG);
	famfs_kfmap_free(m);
}

/* Simple extents alternating between devices, across every boundary. */
static void test_simple_alternating(void **state)
{
	struct famfs_kfmap *m;
	uint64_t i;

	(void)state;
	hdr(REG, FAMFS_FMAP_SIMPLE, 6, 12 * UT_MiB);
	for (i = 0; i < 6; i++)
		se(i % 2, (10 - i) * C2M, C2M);
	m = parse_ok();
	for (i = 0; i < 6; i++) {
		expect_loc(m, i * C2M, i % 2, (10 - i) * C2M, C2M);
		if (i)
			expect_loc(m, i * C2M - 1, (i - 1) % 2,
				   (10 - i + 1) * C2M + C2M - 1, 1);
	}
	famfs_kfmap_free(m);
}

/* 32 strips on devices 32..63: the upper half of the device mask. */
static void test_32_strips_upper_devices(void **state)
{
	struct famfs_kfmap *m;
	uint64_t k;

	(void)state;
	hdr(REG, FAMFS_FMAP_INTERLEAVE, 1, 64 * C2M);
	ie(32, C2M, 64 * C2M);
	for (k = 0; k < 32; k++)
		se(32 + k, k * UT_GiB / 64, 2 * C2M);
	m = parse_ok();
	assert_int_equal(m->dev_mask, 0xffffffff00000000ULL);
	for (k = 0; k < 64; k++)
		expect_loc(m, k * C2M + PG, 32 + k % 32,
			   k % 32 * UT_GiB / 64 + k / 32 * C2M + PG, C2M - PG);
	famfs_kfmap_free(m);
}

#define T(fn) cmocka_unit_test_setup(fn, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_index_63_alone),
		T(test_asked_in_reply_order),
		T(test_missing_device_fails_only_its_maps),
		T(test_bounds_per_device),
		T(test_interleave_two_devices),
		T(test_interleave_two_devices_reversed),
		T(test_four_strips_two_devices),
		T(test_iexts_on_different_devices),
		T(test_simple_alternating),
		T(test_32_strips_upper_devices),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
