// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's GET_FMAP parser (kernel/src/famfs_fmap_parse.c, the same
 * text the kernel patch adds as fs/fuse/famfs_fmap_parse.c), compiled here
 * in userspace through kernel/src/famfs_kcompat.h:
 *
 *  - every rejection rule of KERNEL.md "5 In-memory fmap and validation",
 *    one test each, checking both -EIO and which rule fired;
 *  - the maps our encoder (famfs_fmap_encode()) produces for simple files,
 *    the .superblock and .log meta files and interleaved files are
 *    accepted, and parse back to what was encoded (round trip), with the
 *    kernel's offset resolution agreeing with the userspace resolver;
 *  - the interleave example of KERNEL.md "6 Interleave math".
 *
 * Replies are built with the wire structs of include/famfs/fuse_famfs.h, copied
 * into a byte buffer, so the layout is the one the kernel sees
 * (kfmap_reply.h).  Maps over several devices: test_kfmap_multi.c.
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

#include "famfs_fmap.h"
#include "unit_fmap.h"
#include "unit_util.h"

#define PG		4096u
#define C2M		(2 * UT_MiB)
#define DEV_SIZE	(64 * UT_GiB)
#define KFMAP_RBUF_SIZE	(FAMFS_FMAP_MAX + 4096)

#include "kfmap_reply.h"

/* ---- a reply under construction: kfmap_reply.h ---------------------------- */

/* The header as a struct, to corrupt one field at a time. */
static struct fuse_famfs_fmap_header *rhdr(void)
{
	return (struct fuse_famfs_fmap_header *)rbuf;
}

/* ---- the device size callback ---------------------------------------------- */

static uint64_t dev_sizes[FAMFS_MAX_DEVS];
static int dev_calls;
static int dev_fail_idx = -1;
static uint64_t dev_asked;

static int fake_dev_size(void *ctx, u32 dev, u64 *size)
{
	(void)ctx;
	dev_calls++;
	assert_true(dev < FAMFS_MAX_DEVS);
	dev_asked |= BIT_ULL(dev);
	if ((int)dev == dev_fail_idx)
		return -ENODEV;
	*size = dev_sizes[dev];
	return 0;
}

static int setup(void **state)
{
	(void)state;
	for (int i = 0; i < FAMFS_MAX_DEVS; i++)
		dev_sizes[i] = DEV_SIZE;
	dev_calls = 0;
	dev_fail_idx = -1;
	dev_asked = 0;
	rlen = 0;
	famfs_kc_last_warn[0] = 0;
	return 0;
}

static int parse(struct famfs_kfmap **m)
{
	return famfs_kfmap_parse(rbuf, rlen, PG, fake_dev_size, NULL, m);
}

/* -EIO, no map, no device asked about, and the message names the rule. */
static void expect_reject(const char *why)
{
	struct famfs_kfmap *m = (void *)1;
	int calls = dev_calls;

	assert_int_equal(parse(&m), -EIO);
	assert_null(m);
	if (!strstr(famfs_kc_last_warn, why))
		fail_msg("expected \"%s\" in \"%s\"", why, famfs_kc_last_warn);
	assert_int_equal(dev_calls, calls);
}

/* Like expect_reject() for checks made after the devices were asked. */
static void expect_reject_late(const char *why)
{
	struct famfs_kfmap *m = (void *)1;

	assert_int_equal(parse(&m), -EIO);
	assert_null(m);
	if (!strstr(famfs_kc_last_warn, why))
		fail_msg("expected \"%s\" in \"%s\"", why, famfs_kc_last_warn);
}

static struct famfs_kfmap *expect_ok(void)
{
	struct famfs_kfmap *m = NULL;

	assert_int_equal(parse(&m), 0);
	assert_non_null(m);
	assert_int_equal(m->flags, 0);
	return m;
}

/* A valid one-extent map to break. */
static void good_simple(void)
{
	hdr(FAMFS_FMAP_REG, FAMFS_FMAP_SIMPLE, 1, 3 * UT_MiB);
	se(0, 4 * UT_MiB, 4 * UT_MiB);
}

/* A valid interleaved map to break: 2 strips, 2 MiB chunks, 8 MiB. */
static void good_interleave(void)
{
	hdr(FAMFS_FMAP_REG, FAMFS_FMAP_INTERLEAVE, 1, 8 * UT_MiB);
	ie(2, C2M, 8 * UT_MiB);
	se(0, 0, 4 * UT_MiB);
	se(1, 0, 4 * UT_MiB);
}

/* ---- the baseline maps pass ------------------------------------------------ */

static void test_good_simple(void **state)
{
	struct famfs_kfmap *m;

	(void)state;
	good_simple();
	m = expect_ok();
	assert_int_equal(m->nr, 1);
	assert_int_equal(m->mapped, 4 * UT_MiB);
	assert_int_equal(m->dev_mask, 1);
	famfs_kfmap_free(m);
}

static void test_good_interleave(void **state)
{
	struct famfs_kfmap *m;

	(void)state;
	good_interleave();
	m = expect_ok();
	assert_int_equal(m->nr, 1);
	assert_int_equal(m->ie[0].nstrips, 2);
	assert_int_equal(m->dev_mask, 3);
	famfs_kfmap_free(m);
}

/* ---- reply and header rules ---------------------------------------------- */

static void test_reject_reply_shorter_than_header(void **state)
{
	(void)state;
	good_simple();
	rlen = sizeof(struct fuse_famfs_fmap_header) - 1;
	expect_reject("shorter than the header");
	rlen = 0;
	expect_reject("shorter than the header");
}

static void test_reject_simple_truncated(void **state)
{
	(void)state;
	good_simple();
	rlen--;
	expect_reject("extents need");
}

static void test_reject_simple_trailing(void **state)
{
	(void)state;
	good_simple();
	se(0, 0, PG);		/* one extent more than announced */
	expect_reject("extents need");
}

static void test_reject_interleave_truncated_iext(void **state)
{
	(void)state;
	hdr(FAMFS_FMAP_REG, FAMFS_FMAP_INTERLEAVE, 1, 8 * UT_MiB);
	ie(2, C2M, 8 * UT_MiB);
	rlen -= 1;
	expect_reject("truncated in iext");
}

static void test_reject_interleave_truncated_strips(void **state)
{
	(void)state;
	good_interleave();
	rlen -= 1;
	expect_reject("truncated in the strips");
}

static void test_reject_interleave_trailing(void **state)
{
	(void)state;
	good_interleave();
	put("x", 1);
	expect_reject("trailing bytes");
}

static void test_reject_version(void **state)
{
	(void)state;
	good_simple();
	rhdr()->fmap_version = 0;
	expect_reject("version 0");
	rhdr()->fmap_version = 2;
	expect_reject("version 2");
}

static void test_reject_header_reserved(void **state)
{
	(void)state;
	good_simple();
	rhdr()->reserved = 1;
	expect_reject("reserved header field");
}

static void test_reject_header_reserved0(void **state)
{
	(void)state;
	good_simple();
	rhdr()->reserved0 = 1;
	expect_reject("reserved header field");
}

static void test_reject_header_reserved1(void **state)
{
	(void)state;
	good_simple();
	rhdr()->reserved1 = 1ULL << 63;
	expect_reject("reserved header field");
}

static void test_reject_file_type(void **state)
{
	(void)state;
	good_simple();
	rhdr()->file_type = FAMFS_FMAP_LOG + 1;
	expect_reject("unknown file type 3");
}

static void test_reject_ext_type(void **state)
{
	(void)state;
	good_simple();
	rhdr()->ext_type = 2;
	expect_reject("unknown extent type 2");
}

static void test_reject_nextents_zero(void **state)
{
	(void)state;
	hdr(FAMFS_FMAP_REG, FAMFS_FMAP_SIMPLE, 0, 0);
	expect_reject("0 extents");
}

static void test_reject_nextents_33(void **state)
{
	(void)state;
	hdr(FAMFS_FMAP_REG, FAMFS_FMAP_SIMPLE, 33, 33 * PG);
	for (int i = 0; i < 33; i++)
		se(0, i * PG, PG);
	expect_reject("33 extents");
}

static void test_reject_iexts_33(void **state)
{
	(void)state;
	hdr(FAMFS_FMAP_REG, FAMFS_FMAP_INTERLEAVE, 33, 33 * PG);
	for (int i = 0; i < 33; i++) {
		ie(1, PG, PG);
		se(0, i * PG, PG);
	}
	expect_reject("33 extents");
}

static void test_reject_file_size_too_large(void **state)
{
	(void)state;
	good_simple();
	rhdr()->file_size = (uint64_t)INT64_MAX + 1;
	expect_reject("file size");
}

/* ---- simple extent rules ----------------------------------------------- */

static void test_reject_devindex_64(void **state)
{
	(void)state;
	hdr(FAMFS_FMAP_REG, FAMFS_FMAP_SIMPLE, 1, PG);
	se(64, 0, PG);
	expect_reject("device index 64");
}

/* Checked before the shift: UBSan would flag 1ULL << 0xffffffff. */
static void test_reject_devindex_huge(void **state)
{
	(void)state;
	hdr(FAMFS_FMAP_REG, FAMFS_FMAP_SIMPLE, 1, PG);
	se(UINT32_MAX, 0, PG);
	expect_reject("device index 4294967295");
}

static void test_reject_extent_reserved(void **state)
{
	struct fuse_famfs_simple_ext *e;

	(void)state;
	good_simple();
	e = (void *)(rbuf + sizeof(struct fuse_famfs_fmap_header));
	e->reserved = 1;
	expect_reject("extent 0: reserved");
}

static void test_reject_extent_len_zero(void **state)
{
	(void)state;
	hdr(FAMFS_FMAP_REG, FAMFS_FMAP_SIMPLE, 2, PG);
	se(0, 0, PG);
	se(0, PG, 0);
	expect_reject("extent 1: zero length");
}

static void test_reject_extent_offset_unaligned(void **state)
{
	(void)state;
	hdr(FAMFS_FMAP_REG, FAMFS_FMAP_SIMPLE, 1, PG);
	se(0, 512, PG);
	expect_reject("not 4096-byte aligned");
}

static void test_reject_extent_len_unaligned(void **state)
{
	(void)state;
	hdr(FAMFS_FMAP_REG, FAMFS_FMAP_SIMPLE, 1, 100);
	se(0, 0, 100);
	expect_reject("not 4096-byte aligned");
}

static void test_reject_extent_end_overflow(void **state)
{
	(void)state;
	hdr(FAMFS_FMAP_REG, FAMFS_FMAP_SIMPLE, 1, PG);
	se(0, UINT64_MAX - PG + 1, 2 * PG);
	expect_reject("offset + length overflows");
}

static void test_reject_file_offset_overflow(void **state)
{
	(void)state;
	hdr(FAMFS_FMAP_REG, FAMFS_FMAP_SIMPLE, 2, PG);
	se(0, 0, 1ULL << 63);
	se(1, 0, 1ULL << 63);
	expect_reject("file offset overflows");
}

static void test_reject_simple_short_of_size(void **state)
{
	(void)state;
	hdr(FAMFS_FMAP_REG, FAMFS_FMAP_SIMPLE, 2, 3 * PG + 1);
	se(0, 0, PG);
	se(0, 8 * PG, 2 * PG);
	expect_reject("extents map 0x3000 bytes of a 0x3001 byte file");
}

/* ---- interleaved extent rules ---------------------------------------------- */

static void test_reject_nstrips_zero(void **state)
{
	(void)state;
	hdr(FAMFS_FMAP_REG, FAMFS_FMAP_INTERLEAVE, 1, PG);
	ie(0, C2M, PG);
	expect_reject("0 strips");
}

static void test_reject_nstrips_33(void **state)
{
	(void)state;
	hdr(FAMFS_FMAP_REG, FAMFS_FMAP_INTERLEAVE, 1, 33 * C2M);
	ie(33, C2M, 33 * C2M);
	for (int i = 0; i < 33; i++)
		se(0, i * C2M, C2M);
	expect_reject("33 strips");
}

static void test_reject_chunk_zero(void **state)
{
	(void)state;
	hdr(FAMFS_FMAP_REG, FAMFS_FMAP_INTERLEAVE, 1, PG);
	ie(1, 0, PG);
	se(0, 0, PG);
	expect_reject("chunk size 0");
}

static void test_reject_chunk_unaligned(void **state)
{
	(void)state;
	hdr(FAMFS_FMAP_REG, FAMFS_FMAP_INTERLEAVE, 1, PG);
	ie(1, PG + 512, PG);
	se(0, 0, 2 * PG);
	expect_reject("chunk size 4608");
}

static void test_reject_iext_nbytes_zero(void **state)
{
	(void)state;
	hdr(FAMFS_FMAP_REG, FAMFS_FMAP_INTERLEAVE, 1, 0);
	ie(1, C2M, 0);
	se(0, 0, C2M);
	expect_reject("iext 0: zero length");
}

static void test_reject_iext_reserved(void **state)
{
	struct fuse_famfs_iext *e;

	(void)state;
	good_interleave();
	e = (void *)(rbuf + sizeof(struct fuse_famfs_fmap_header));
	e->reserved = 1;
	expect_reject("iext 0: reserved");
}

/* Only the last interleaved extent may end mid-page. */
static void test_reject_inner_iext_unaligned(void **state)
{
	(void)state;
	hdr(FAMFS_FMAP_REG, FAMFS_FMAP_INTERLEAVE, 2, C2M + 100 + C2M);
	ie(1, C2M, C2M + 100);
	se(0, 0, 2 * C2M);
	ie(1, C2M, C2M);
	se(0, 2 * C2M, C2M);
	expect_reject("iext 0: length 0x200064 not 4096-byte aligned");
}

/*
 * 4 strips, 2 MiB chunks, 24 MiB: each strip needs 3 chunks.  Strip 2 has
 * only 2, yet the strips add up to 26 MiB >= 24 MiB: the sum check of the
 * upstream series would pass this, and offset 20 MiB would map past strip 2.
 */
static void test_reject_strip_short(void **state)
{
	(void)state;
	hdr(FAMFS_FMAP_REG, FAMFS_FMAP_INTERLEAVE, 1, 24 * UT_MiB);
	ie(4, C2M, 24 * UT_MiB);
	se(0, 0, 6 * UT_MiB);
	se(1, 0, 6 * UT_MiB);
	se(2, 0, 4 * UT_MiB);
	se(3, 0, 10 * UT_MiB);
	expect_reject("iext 0 strip 2: 0x400000 bytes, needs 0x600000");
}

static void test_reject_strip_devindex(void **state)
{
	(void)state;
	good_interleave();
	((struct fuse_famfs_simple_ext *)(rbuf + rlen) - 1)->se_devindex = 64;
	expect_reject("strip 1: device index 64");
}

static void test_reject_strip_len_zero(void **state)
{
	(void)state;
	hdr(FAMFS_FMAP_REG, FAMFS_FMAP_INTERLEAVE, 1, C2M);
	ie(2, C2M, C2M);
	se(0, 0, C2M);
	se(1, 0, 0);
	expect_reject("strip 1: zero length");
}

static void test_reject_strip_unaligned(void **state)
{
	(void)state;
	good_interleave();
	((struct fuse_famfs_simple_ext *)(rbuf + rlen) - 1)->se_offset = 100;
	expect_reject("strip 1: offset 0x64");
}

static void test_reject_strip_end_overflow(void **state)
{
	(void)state;
	good_interleave();
	((struct fuse_famfs_simple_ext *)(rbuf + rlen) - 1)->se_offset =
		UINT64_MAX - PG + 1;
	expect_reject("strip 1: offset + length overflows");
}

/* The per-strip need, S * C, itself overflows 64 bits. */
static void test_reject_strip_need_overflow(void **state)
{
	(void)state;
	hdr(FAMFS_FMAP_REG, FAMFS_FMAP_INTERLEAVE, 1, INT64_MAX);
	ie(1, 0x80000000u, UINT64_MAX);
	se(0, 0, 0x80000000u);
	expect_reject("strip size overflows");
}

static void test_reject_interleave_short_of_size(void **state)
{
	(void)state;
	good_interleave();
	rhdr()->file_size = 8 * UT_MiB + 1;
	expect_reject("extents map 0x800000 bytes of a 0x800001 byte file");
}

static void test_reject_iext_total_overflow(void **state)
{
	(void)state;
	hdr(FAMFS_FMAP_REG, FAMFS_FMAP_INTERLEAVE, 2, PG);
	ie(1, 0x80000000u, 1ULL << 63);
	se(0, 0, 1ULL << 63);
	ie(1, 0x80000000u, 1ULL << 63);
	se(1, 0, 1ULL << 63);
	expect_reject("iext 1: file offset overflows");
}

/* ---- device bounds, after the structure ------------------------------------ */

static void test_reject_extent_past_device(void **state)
{
	(void)state;
	dev_sizes[2] = 16 * UT_MiB;
	hdr(FAMFS_FMAP_REG, FAMFS_FMAP_SIMPLE, 2, 4 * UT_MiB);
	se(0, 0, C2M);
	se(2, 14 * UT_MiB + PG, C2M);
	expect_reject_late("beyond the 0x1000000 bytes of device 2");
}

static void test_extent_ends_at_device_end(void **state)
{
	struct famfs_kfmap *m;

	(void)state;
	dev_sizes[2] = 16 * UT_MiB;
	hdr(FAMFS_FMAP_REG, FAMFS_FMAP_SIMPLE, 1, C2M);
	se(2, 14 * UT_MiB, C2M);
	m = expect_ok();
	assert_int_equal(dev_asked, BIT_ULL(2));
	famfs_kfmap_free(m);
}

/* bdev_nr_bytes() is a multiple of 512, not necessarily of the page */
static void test_reject_extent_past_odd_device_end(void **state)
{
	(void)state;
	dev_sizes[0] = 16 * UT_MiB - 512;
	hdr(FAMFS_FMAP_REG, FAMFS_FMAP_SIMPLE, 1, C2M);
	se(0, 14 * UT_MiB, C2M);
	expect_reject_late("beyond the 0xfffe00 bytes of device 0");
}

static void test_reject_strip_past_device(void **state)
{
	(void)state;
	dev_sizes[1] = 3 * UT_MiB;
	good_interleave();
	expect_reject_late("beyond the 0x300000 bytes of device 1");
}

static void test_device_error_fails_parse(void **state)
{
	struct famfs_kfmap *m = (void *)1;

	(void)state;
	dev_fail_idx = 1;
	good_interleave();
	assert_int_equal(parse(&m), -ENODEV);
	assert_null(m);
}

/* No device is looked up for a reply that is malformed anywhere. */
static void test_devices_asked_only_for_valid_replies(void **state)
{
	(void)state;
	hdr(FAMFS_FMAP_REG, FAMFS_FMAP_SIMPLE, 2, 2 * PG);
	se(0, 0, PG);
	se(0, PG, 100);
	expect_reject("extent 1");
	assert_int_equal(dev_calls, 0);
}

static void test_bad_align_argument(void **state)
{
	struct famfs_kfmap *m;

	(void)state;
	good_simple();
	assert_int_equal(famfs_kfmap_parse(rbuf, rlen, 0, fake_dev_size, NULL,
					   &m), -EINVAL);
	assert_int_equal(famfs_kfmap_parse(rbuf, rlen, 3 * PG, fake_dev_size,
					   NULL, &m), -EINVAL);
}

/* ---- round trips with the userspace encoder ---------------------------- */

/* Encode @um with our encoder, parse it with the kernel parser. */
static struct famfs_kfmap *round_trip(const struct famfs_fmap *um,
				      uint8_t file_type)
{
	int n = famfs_fmap_encode(um, file_type, um->size, rbuf, sizeof(rbuf));

	assert_true(n > 0);
	rlen = (size_t)n;
	return expect_ok();
}

/*
 * The kernel resolves every offset to the same place as the userspace
 * resolver, and the range it returns never leaves the extent or strip.
 */
static void check_resolution(const struct famfs_fmap *um,
			     const struct famfs_kfmap *km, uint64_t step)
{
	struct famfs_loc loc;
	uint64_t off, doff, len, lim;
	uint32_t dev;

	for (off = 0; off < um->size; off += step) {
		assert_int_equal(famfs_fmap_resolve(um, off, &dev, &doff, &len),
				 0);
		assert_int_equal(famfs_kfmap_resolve(km, off, &loc), 0);
		assert_int_equal(loc.dev, dev);
		assert_int_equal(loc.daddr, doff);
		assert_true(loc.len >= len);
		/* within one extent or strip of the userspace map */
		lim = 0;
		for (uint32_t i = 0; i < um->nextents; i++) {
			const struct famfs_extent *x = &um->ext[i];

			if (x->dev == dev && doff >= x->offset &&
			    doff < x->offset + x->len)
				lim = x->offset + x->len;
		}
		assert_true(lim && loc.daddr + loc.len <= lim);
	}
}

static void test_round_trip_simple(void **state)
{
	struct famfs_fmap *um = mk_map(FAMFS_EXT_SIMPLE, 7 * UT_MiB + 123,
				       0, 3);
	struct famfs_kfmap *km;

	(void)state;
	set_ext(um, 0, 0, 16 * UT_MiB, 4 * UT_MiB);
	set_ext(um, 1, 3, 2 * UT_MiB, 2 * UT_MiB);
	set_ext(um, 2, 0, 40 * UT_MiB, 2 * UT_MiB);
	km = round_trip(um, FAMFS_FMAP_REG);
	assert_int_equal(km->file_type, FAMFS_FMAP_REG);
	assert_int_equal(km->ext_type, FAMFS_FMAP_SIMPLE);
	assert_int_equal(km->file_size, 7 * UT_MiB + 123);
	assert_int_equal(km->mapped, 8 * UT_MiB);
	assert_int_equal(km->dev_mask, BIT_ULL(0) | BIT_ULL(3));
	assert_int_equal(km->nr, 3);
	for (uint32_t i = 0, foff = 0; i < 3; foff += um->ext[i].len, i++) {
		assert_int_equal(km->se[i].foff, foff);
		assert_int_equal(km->se[i].doff, um->ext[i].offset);
		assert_int_equal(km->se[i].len, um->ext[i].len);
		assert_int_equal(km->se[i].dev, um->ext[i].dev);
	}
	assert_int_equal(dev_asked, BIT_ULL(0) | BIT_ULL(3));
	check_resolution(um, km, PG);
	famfs_kfmap_free(km);
	free(um);
}

/* Allocation units go down to 4 KiB: such maps are valid too. */
static void test_round_trip_4k_extents(void **state)
{
	struct famfs_fmap *um = mk_map(FAMFS_EXT_SIMPLE, 5 * PG, 0, 2);
	struct famfs_kfmap *km;

	(void)state;
	set_ext(um, 0, 0, 3 * PG, 2 * PG);
	set_ext(um, 1, 0, 9 * PG, 3 * PG);
	km = round_trip(um, FAMFS_FMAP_REG);
	check_resolution(um, km, PG);
	famfs_kfmap_free(km);
	free(um);
}

static void test_round_trip_empty_file(void **state)
{
	struct famfs_fmap *um = mk_map(FAMFS_EXT_SIMPLE, 0, 0, 1);
	struct famfs_kfmap *km;

	(void)state;
	set_ext(um, 0, 0, C2M, C2M);
	km = round_trip(um, FAMFS_FMAP_REG);
	assert_int_equal(km->file_size, 0);
	famfs_kfmap_free(km);
	free(um);
}

static void test_round_trip_32_extents(void **state)
{
	struct famfs_fmap *um = mk_map(FAMFS_EXT_SIMPLE, 32 * C2M - 1, 0, 32);
	struct famfs_kfmap *km;
	struct famfs_loc loc;

	(void)state;
	for (uint32_t i = 0; i < 32; i++)
		set_ext(um, i, i % 5, (64 - 2 * i) * C2M, C2M);
	km = round_trip(um, FAMFS_FMAP_REG);
	assert_int_equal(km->nr, 32);
	/* both sides of every extent boundary (binary search) */
	for (uint32_t i = 1; i < 32; i++) {
		assert_int_equal(famfs_kfmap_resolve(km, i * C2M - 1, &loc), 0);
		assert_int_equal(loc.daddr, (64 - 2 * (i - 1)) * C2M + C2M - 1);
		assert_int_equal(loc.len, 1);
		assert_int_equal(famfs_kfmap_resolve(km, i * C2M, &loc), 0);
		assert_int_equal(loc.daddr, (64 - 2 * i) * C2M);
		assert_int_equal(loc.dev, i % 5);
		assert_int_equal(loc.len, C2M);
	}
	check_resolution(um, km, C2M / 2);
	famfs_kfmap_free(km);
	free(um);
}

/* .superblock: one 2 MiB extent at offset 0 (server_run.c) */
static void test_round_trip_superblock(void **state)
{
	struct famfs_fmap *um = mk_map(FAMFS_EXT_SIMPLE, FAMFS_SB_REGION, 0, 1);
	struct famfs_kfmap *km;

	(void)state;
	set_ext(um, 0, 0, 0, FAMFS_SB_REGION);
	km = round_trip(um, FAMFS_FMAP_SUPERBLOCK);
	assert_int_equal(km->file_type, FAMFS_FMAP_SUPERBLOCK);
	assert_int_equal(km->file_size, FAMFS_SB_REGION);
	assert_int_equal(km->se[0].doff, 0);
	check_resolution(um, km, PG);
	famfs_kfmap_free(km);
	free(um);
}

/* .log: one extent of the log length right after the superblock region */
static void test_round_trip_log(void **state)
{
	struct famfs_fmap *um = mk_map(FAMFS_EXT_SIMPLE, FAMFS_LOG_LEN_DEFAULT,
				       0, 1);
	struct famfs_kfmap *km;

	(void)state;
	set_ext(um, 0, 0, FAMFS_LOG_OFFSET, FAMFS_LOG_LEN_DEFAULT);
	km = round_trip(um, FAMFS_FMAP_LOG);
	assert_int_equal(km->file_type, FAMFS_FMAP_LOG);
	assert_int_equal(km->se[0].doff, FAMFS_LOG_OFFSET);
	assert_int_equal(km->se[0].len, FAMFS_LOG_LEN_DEFAULT);
	check_resolution(um, km, PG);
	famfs_kfmap_free(km);
	free(um);
}

/* The interleaved file of test_fmap.c's golden image */
static struct famfs_fmap *mk_interleave4(uint64_t size)
{
	struct famfs_fmap *m = mk_map(FAMFS_EXT_INTERLEAVE, size, C2M, 4);

	set_ext(m, 0, 0, 0x00a00000, 0x600000);
	set_ext(m, 1, 1, 0x00200000, 0x600000);
	set_ext(m, 2, 2, 0x100000000, 0x600000);
	set_ext(m, 3, 3, 0x00600000, 0x800000);
	return m;
}

static void test_round_trip_interleave(void **state)
{
	struct famfs_fmap *um = mk_interleave4(24 * UT_MiB);
	struct famfs_kfmap *km;

	(void)state;
	km = round_trip(um, FAMFS_FMAP_REG);
	assert_int_equal(km->ext_type, FAMFS_FMAP_INTERLEAVE);
	assert_int_equal(km->nr, 1);
	assert_int_equal(km->ie[0].foff, 0);
	assert_int_equal(km->ie[0].nbytes, 24 * UT_MiB);
	assert_int_equal(km->ie[0].chunk, C2M);
	assert_int_equal(km->ie[0].nstrips, 4);
	for (uint32_t s = 0; s < 4; s++) {
		assert_int_equal(km->ie[0].strip[s].dev, um->ext[s].dev);
		assert_int_equal(km->ie[0].strip[s].doff, um->ext[s].offset);
		assert_int_equal(km->ie[0].strip[s].len, um->ext[s].len);
	}
	assert_int_equal(km->dev_mask, 0xf);
	check_resolution(um, km, PG);
	famfs_kfmap_free(km);
	free(um);
}

/* A size that ends mid-chunk and mid-page (ie_nbytes = file size) */
static void test_round_trip_interleave_partial(void **state)
{
	struct famfs_fmap *um = mk_interleave4(21 * UT_MiB + 77);
	struct famfs_kfmap *km;
	struct famfs_loc loc;

	(void)state;
	km = round_trip(um, FAMFS_FMAP_REG);
	check_resolution(um, km, PG / 2);
	/* the last page resolves as a whole page (faults map pages) */
	assert_int_equal(famfs_kfmap_resolve(km, 21 * UT_MiB, &loc), 0);
	assert_true(loc.len >= PG);
	assert_int_equal(famfs_kfmap_resolve(km, 21 * UT_MiB + 77, &loc),
			 -EIO);
	famfs_kfmap_free(km);
	free(um);
}

static void test_round_trip_interleave_32_strips(void **state)
{
	uint64_t chunk = 64 * 1024, size = 32 * 3 * chunk + 5 * chunk + 1;
	struct famfs_fmap *um = mk_map(FAMFS_EXT_INTERLEAVE, size, chunk, 32);
	struct famfs_kfmap *km;

	(void)state;
	for (uint32_t i = 0; i < 32; i++)
		set_ext(um, i, 31 - i, UT_GiB + i * 8 * chunk, 4 * chunk);
	km = round_trip(um, FAMFS_FMAP_REG);
	assert_int_equal(km->ie[0].nstrips, 32);
	assert_int_equal(km->dev_mask, UINT32_MAX);
	check_resolution(um, km, PG);
	famfs_kfmap_free(km);
	free(um);
}

/* ---- resolution -------------------------------------------------------------- */

/*
 * KERNEL.md "6 Interleave math": N = 4, C = 2 MiB, nbytes = 24 MiB; file
 * offset 15 MiB is chunk 7 at 1 MiB, stripe 1, strip 3, strip offset 3 MiB.
 */
static void test_interleave_example(void **state)
{
	struct famfs_loc loc;
	struct famfs_kfmap *m;

	(void)state;
	hdr(FAMFS_FMAP_REG, FAMFS_FMAP_INTERLEAVE, 1, 24 * UT_MiB);
	ie(4, C2M, 24 * UT_MiB);
	se(0, 0x10000000, 6 * UT_MiB);
	se(1, 0x20000000, 6 * UT_MiB);
	se(2, 0x30000000, 6 * UT_MiB);
	se(3, 0x40000000, 6 * UT_MiB);
	m = expect_ok();
	assert_int_equal(famfs_kfmap_resolve(m, 15 * UT_MiB, &loc), 0);
	assert_int_equal(loc.dev, 3);
	assert_int_equal(loc.daddr, 0x40000000 + 3 * UT_MiB);
	assert_int_equal(loc.len, UT_MiB);
	/* chunk 0 of strip 0, and the very last byte: chunk 11, strip 3 */
	assert_int_equal(famfs_kfmap_resolve(m, 0, &loc), 0);
	assert_int_equal(loc.dev, 0);
	assert_int_equal(loc.daddr, 0x10000000);
	assert_int_equal(loc.len, C2M);
	assert_int_equal(famfs_kfmap_resolve(m, 24 * UT_MiB - 1, &loc), 0);
	assert_int_equal(loc.dev, 3);
	assert_int_equal(loc.daddr, 0x40000000 + 6 * UT_MiB - 1);
	assert_int_equal(loc.len, 1);
	assert_int_equal(famfs_kfmap_resolve(m, 24 * UT_MiB, &loc), -EIO);
	famfs_kfmap_free(m);
}

/* Two interleaved extents: the second starts where the first ends. */
static void test_two_iexts(void **state)
{
	struct famfs_loc loc;
	struct famfs_kfmap *m;

	(void)state;
	hdr(FAMFS_FMAP_REG, FAMFS_FMAP_INTERLEAVE, 2, 6 * UT_MiB + 10);
	ie(2, C2M, 3 * UT_MiB);		/* 2 chunks, one per strip */
	se(0, 0, C2M);
	se(1, 0, C2M);
	ie(1, PG, 3 * UT_MiB + 10);
	se(2, 0, 4 * UT_MiB);
	m = expect_ok();
	assert_int_equal(m->ie[1].foff, 3 * UT_MiB);
	assert_int_equal(m->ie[1].strip, m->ie[0].strip + 2);
	/* the first iext's second chunk is cut at its end, not at C */
	assert_int_equal(famfs_kfmap_resolve(m, C2M + PG, &loc), 0);
	assert_int_equal(loc.dev, 1);
	assert_int_equal(loc.daddr, PG);
	assert_int_equal(loc.len, UT_MiB - PG);
	assert_int_equal(famfs_kfmap_resolve(m, 3 * UT_MiB + 5 * PG, &loc),
			 0);
	assert_int_equal(loc.dev, 2);
	assert_int_equal(loc.daddr, 5 * PG);
	assert_int_equal(loc.len, PG);
	famfs_kfmap_free(m);
}

static void test_resolve_past_mapped(void **state)
{
	struct famfs_loc loc;
	struct famfs_kfmap *m;

	(void)state;
	good_simple();
	m = expect_ok();
	assert_int_equal(famfs_kfmap_resolve(m, 4 * UT_MiB - 1, &loc), 0);
	assert_int_equal(loc.len, 1);
	assert_int_equal(famfs_kfmap_resolve(m, 4 * UT_MiB, &loc), -EIO);
	assert_int_equal(famfs_kfmap_resolve(m, UINT64_MAX, &loc), -EIO);
	famfs_kfmap_free(m);
}

/* Both sides agree on the wire layout (fuse_famfs.h also checks sizes). */
static void test_wire_layout(void **state)
{
	(void)state;
	assert_int_equal(sizeof(struct fuse_famfs_fmap_header), 32);
	assert_int_equal(sizeof(struct fuse_famfs_simple_ext), 24);
	assert_int_equal(sizeof(struct fuse_famfs_iext), 24);
	assert_int_equal(sizeof(struct fuse_daxdev_out), 280);
	assert_int_equal(FAMFS_MAX_DEVS, FAMFS_MAX_DEVICES);
	assert_int_equal(FUSE_FAMFS_MAX_EXTENTS, FAMFS_MAX_EXTENTS);
	assert_int_equal(FUSE_FAMFS_MAX_STRIPS, FAMFS_MAX_STRIPS);
}

#define T(fn) cmocka_unit_test_setup(fn, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_good_simple),
		T(test_good_interleave),
		T(test_reject_reply_shorter_than_header),
		T(test_reject_simple_truncated),
		T(test_reject_simple_trailing),
		T(test_reject_interleave_truncated_iext),
		T(test_reject_interleave_truncated_strips),
		T(test_reject_interleave_trailing),
		T(test_reject_version),
		T(test_reject_header_reserved),
		T(test_reject_header_reserved0),
		T(test_reject_header_reserved1),
		T(test_reject_file_type),
		T(test_reject_ext_type),
		T(test_reject_nextents_zero),
		T(test_reject_nextents_33),
		T(test_reject_iexts_33),
		T(test_reject_file_size_too_large),
		T(test_reject_devindex_64),
		T(test_reject_devindex_huge),
		T(test_reject_extent_reserved),
		T(test_reject_extent_len_zero),
		T(test_reject_extent_offset_unaligned),
		T(test_reject_extent_len_unaligned),
		T(test_reject_extent_end_overflow),
		T(test_reject_file_offset_overflow),
		T(test_reject_simple_short_of_size),
		T(test_reject_nstrips_zero),
		T(test_reject_nstrips_33),
		T(test_reject_chunk_zero),
		T(test_reject_chunk_unaligned),
		T(test_reject_iext_nbytes_zero),
		T(test_reject_iext_reserved),
		T(test_reject_inner_iext_unaligned),
		T(test_reject_strip_short),
		T(test_reject_strip_devindex),
		T(test_reject_strip_len_zero),
		T(test_reject_strip_unaligned),
		T(test_reject_strip_end_overflow),
		T(test_reject_strip_need_overflow),
		T(test_reject_interleave_short_of_size),
		T(test_reject_iext_total_overflow),
		T(test_reject_extent_past_device),
		T(test_extent_ends_at_device_end),
		T(test_reject_extent_past_odd_device_end),
		T(test_reject_strip_past_device),
		T(test_device_error_fails_parse),
		T(test_devices_asked_only_for_valid_replies),
		T(test_bad_align_argument),
		T(test_round_trip_simple),
		T(test_round_trip_4k_extents),
		T(test_round_trip_empty_file),
		T(test_round_trip_32_extents),
		T(test_round_trip_superblock),
		T(test_round_trip_log),
		T(test_round_trip_interleave),
		T(test_round_trip_interleave_partial),
		T(test_round_trip_interleave_32_strips),
		T(test_interleave_example),
		T(test_two_iexts),
		T(test_resolve_past_mapped),
		T(test_wire_layout),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
