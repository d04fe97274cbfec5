// SPDX-License-Identifier: Apache-2.0
/*
 * File maps on the FUSE wire (fmap.c): golden GET_FMAP images built byte
 * by byte at the offsets KERNEL.md "ABI" gives, and every rule the encoder
 * refuses a map for.  GET_DAXDEV and the offset resolver (checked against
 * a chunk-by-chunk model of RAID-0 that uses no division) are tested in
 * test_fmap_resolve.c.
 *
 * The wire is in host byte order; the golden images are written
 * little-endian, so they are skipped on a big-endian host.
 */
#include "fmap_util.h"

static uint8_t buf[BUFSZ];
static uint8_t want[BUFSZ];

/* Encode into a patterned buffer; expect @err and not one byte written. */
static void expect_reject(const struct famfs_fmap *m, uint8_t ft,
			  uint64_t size, size_t room, int err)
{
	memset(buf, PAT, sizeof(buf));
	assert_int_equal(famfs_fmap_encode(m, ft, size, buf, room), err);
	assert_pattern(buf, 0, sizeof(buf));
}

static void expect_ok(const struct famfs_fmap *m, uint8_t ft, uint64_t size)
{
	int len = famfs_fmap_reply_size(m);

	assert_true(len > 0);
	memset(buf, PAT, sizeof(buf));
	assert_int_equal(famfs_fmap_encode(m, ft, size, buf, BUFSZ), len);
	assert_pattern(buf, (size_t)len, sizeof(buf));
}

/* ---- golden images, from the layout in KERNEL.md "ABI" ------------------- */

static void g_header(uint8_t *b, uint8_t ft, uint32_t ext_type, uint32_t n,
		     uint64_t size)
{
	b[0x00] = ft;			/* file_type */
	b[0x01] = 0;			/* reserved */
	put_le16(b + 0x02, 1);		/* fmap_version */
	put_le32(b + 0x04, ext_type);
	put_le32(b + 0x08, n);		/* nextents */
	put_le32(b + 0x0c, 0);		/* reserved0 */
	put_le64(b + 0x10, size);	/* file_size */
	put_le64(b + 0x18, 0);		/* reserved1 */
}

static void g_ext(uint8_t *b, uint32_t dev, uint64_t off, uint64_t len)
{
	put_le32(b + 0x00, dev);	/* se_devindex */
	put_le32(b + 0x04, 0);		/* reserved */
	put_le64(b + 0x08, off);	/* se_offset */
	put_le64(b + 0x10, len);	/* se_len */
}

static void g_iext(uint8_t *b, uint32_t nstrips, uint32_t chunk,
		   uint64_t nbytes)
{
	put_le32(b + 0x00, nstrips);	/* ie_nstrips */
	put_le32(b + 0x04, chunk);	/* ie_chunk_size */
	put_le64(b + 0x08, nbytes);	/* ie_nbytes */
	put_le64(b + 0x10, 0);		/* reserved */
}

/*
 * Encode @m and compare with the first @wlen bytes of @w: same length from
 * encode and reply_size, same bytes, nothing written past the end; then
 * again into a room of exactly @wlen bytes.
 */
static void check_golden(const struct famfs_fmap *m, uint8_t ft,
			 uint64_t size, const uint8_t *w, size_t wlen)
{
	need_le();
	assert_int_equal(famfs_fmap_reply_size(m), (int)wlen);
	memset(buf, PAT, sizeof(buf));
	assert_int_equal(famfs_fmap_encode(m, ft, size, buf, BUFSZ),
			 (int)wlen);
	assert_memory_equal(buf, w, wlen);
	assert_pattern(buf, wlen, sizeof(buf));

	memset(buf, PAT, sizeof(buf));
	assert_int_equal(famfs_fmap_encode(m, ft, size, buf, wlen),
			 (int)wlen);
	assert_memory_equal(buf, w, wlen);
	assert_pattern(buf, wlen, sizeof(buf));
}

static void test_golden_one_extent(void **state)
{
	struct famfs_fmap *m = mk_map(FAMFS_EXT_SIMPLE, UT_MiB + 5, 0, 1);

	(void)state;
	set_ext(m, 0, 0, 0x4000000, C2M);
	memset(want, 0, sizeof(want));
	g_header(want, 0, 0, 1, UT_MiB + 5);
	g_ext(want + 0x20, 0, 0x4000000, C2M);
	check_golden(m, FAMFS_FMAP_REG, UT_MiB + 5, want, 0x38);
	free(m);
}

static void test_golden_three_extents(void **state)
{
	uint64_t size = 7 * UT_MiB + 123;
	struct famfs_fmap *m = mk_map(FAMFS_EXT_SIMPLE, size, 0, 3);

	(void)state;
	set_ext(m, 0, 0, 0x1400000, C2M);
	set_ext(m, 1, 1, 0x200000, 4 * UT_MiB);
	set_ext(m, 2, 5, 0x123400000, C2M);
	memset(want, 0, sizeof(want));
	g_header(want, 0, 0, 3, size);
	g_ext(want + 0x20, 0, 0x1400000, C2M);
	g_ext(want + 0x38, 1, 0x200000, 4 * UT_MiB);
	g_ext(want + 0x50, 5, 0x123400000, C2M);
	check_golden(m, FAMFS_FMAP_REG, size, want, 0x68);
	free(m);
}

/* .meta/.superblock: file_type 1, the 2 MiB superblock region of dev 0. */
static void test_golden_superblock(void **state)
{
	struct famfs_fmap *m = mk_map(FAMFS_EXT_SIMPLE, C2M, 0, 1);

	(void)state;
	set_ext(m, 0, 0, 0, C2M);
	memset(want, 0, sizeof(want));
	g_header(want, 1, 0, 1, C2M);
	g_ext(want + 0x20, 0, 0, C2M);
	check_golden(m, FAMFS_FMAP_SUPERBLOCK, C2M, want, 0x38);
	free(m);
}

/* The same image as literal bytes: a layout change breaks this test. */
static void test_golden_superblock_hex(void **state)
{
	static const uint8_t hex[] = {
		0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x20, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x20, 0x00, 0x00, 0x00, 0x00, 0x00,
	};
	struct famfs_fmap *m = mk_map(FAMFS_EXT_SIMPLE, C2M, 0, 1);

	(void)state;
	set_ext(m, 0, 0, 0, C2M);
	check_golden(m, FAMFS_FMAP_SUPERBLOCK, C2M, hex, sizeof(hex));
	free(m);
}

/* .meta/.log: file_type 2, the 8 MiB log right after the superblock. */
static void test_golden_log(void **state)
{
	uint64_t len = FAMFS_LOG_LEN_DEFAULT;
	struct famfs_fmap *m = mk_map(FAMFS_EXT_SIMPLE, len, 0, 1);

	(void)state;
	set_ext(m, 0, 0, FAMFS_LOG_OFFSET, len);
	memset(want, 0, sizeof(want));
	g_header(want, 2, 0, 1, len);
	g_ext(want + 0x20, 0, 0x200000, 0x800000);
	check_golden(m, FAMFS_FMAP_LOG, len, want, 0x38);
	free(m);
}

/* Header with nextents 1, one iext, then the 4 strips in strip order. */
static void test_golden_interleave(void **state)
{
	struct famfs_fmap *m = mk_interleave4();

	(void)state;
	memset(want, 0, sizeof(want));
	g_header(want, 0, 1, 1, 24 * UT_MiB);
	g_iext(want + 0x20, 4, 0x200000, 24 * UT_MiB);
	g_ext(want + 0x38, 0, 0x00a00000, 0x600000);
	g_ext(want + 0x50, 1, 0x00200000, 0x600000);
	g_ext(want + 0x68, 2, 0x100000000, 0x600000);
	g_ext(want + 0x80, 3, 0x00600000, 0x800000);
	check_golden(m, FAMFS_FMAP_REG, 24 * UT_MiB, want, 0x98);
	free(m);
}

static void test_golden_interleave_hex(void **state)
{
	static const uint8_t hex[] = {
		/* header */
		0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00,
		0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x80, 0x01, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		/* iext: 4 strips, chunk 2 MiB, 24 MiB */
		0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x20, 0x00,
		0x00, 0x00, 0x80, 0x01, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		/* strip 0 */
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0xa0, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x60, 0x00, 0x00, 0x00, 0x00, 0x00,
		/* strip 1 */
		0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x20, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x60, 0x00, 0x00, 0x00, 0x00, 0x00,
		/* strip 2 */
		0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x60, 0x00, 0x00, 0x00, 0x00, 0x00,
		/* strip 3 */
		0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x60, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00,
	};
	struct famfs_fmap *m = mk_interleave4();

	(void)state;
	assert_int_equal(sizeof(hex), 152);
	check_golden(m, FAMFS_FMAP_REG, 24 * UT_MiB, hex, sizeof(hex));
	free(m);
}

/* file_size and ie_nbytes are the argument, not m->size. */
static void test_file_size_from_argument(void **state)
{
	struct famfs_fmap *m = mk_map(FAMFS_EXT_SIMPLE, 4 * UT_MiB, 0, 1);
	struct famfs_fmap *s = mk_interleave4();

	(void)state;
	need_le();
	set_ext(m, 0, 0, 0, 4 * UT_MiB);
	expect_ok(m, FAMFS_FMAP_REG, 3 * UT_MiB);
	assert_int_equal(get_le64(buf + 0x10), 3 * UT_MiB);
	expect_ok(s, FAMFS_FMAP_REG, 20 * UT_MiB);
	assert_int_equal(get_le64(buf + 0x10), 20 * UT_MiB);
	assert_int_equal(get_le64(buf + 0x28), 20 * UT_MiB);
	free(m);
	free(s);
}

static void test_reply_size(void **state)
{
	struct famfs_fmap *m = mk_map(FAMFS_EXT_SIMPLE, 0, 0, 0);

	(void)state;
	assert_int_equal(famfs_fmap_reply_size(m), 32);
	m->nextents = 32;
	assert_int_equal(famfs_fmap_reply_size(m), 32 + 32 * 24);
	m->nextents = 1364;
	assert_int_equal(famfs_fmap_reply_size(m), FAMFS_FMAP_MAX);
	m->ext_type = FAMFS_EXT_INTERLEAVE;
	m->nextents = 4;
	assert_int_equal(famfs_fmap_reply_size(m), 32 + 24 + 4 * 24);
	m->ext_type = 2;
	assert_int_equal(famfs_fmap_reply_size(m), -EINVAL);
	m->ext_type = FAMFS_EXT_SIMPLE;
	m->nextents = UINT32_MAX;		/* would not fit an int */
	assert_int_equal(famfs_fmap_reply_size(m), -EINVAL);
	free(m);
}

/* ---- room ---------------------------------------------------------------- */

static void test_room_one_short(void **state)
{
	struct famfs_fmap *m = mk_interleave4();

	(void)state;
	expect_reject(m, FAMFS_FMAP_REG, 24 * UT_MiB, 151, -ERANGE);
	expect_reject(m, FAMFS_FMAP_REG, 24 * UT_MiB, 0, -ERANGE);
	free(m);
}

static void test_room_exact(void **state)
{
	struct famfs_fmap *m = mk_simple_n(3, C2M);

	(void)state;
	memset(buf, PAT, sizeof(buf));
	assert_int_equal(famfs_fmap_encode(m, 0, 6 * UT_MiB, buf, 104), 104);
	assert_pattern(buf, 104, sizeof(buf));
	free(m);
}

/* A map the kernel refuses is -EINVAL even when the room is too small. */
static void test_invalid_before_room(void **state)
{
	struct famfs_fmap *m = mk_simple_n(3, C2M);

	(void)state;
	m->ext[1].len = 0;
	expect_reject(m, 0, 4 * UT_MiB, 10, -EINVAL);
	free(m);
}

/* ---- rejections: nothing is written -------------------------------------- */

static void test_reject_nextents_zero_simple(void **state)
{
	struct famfs_fmap *m = mk_map(FAMFS_EXT_SIMPLE, 0, 0, 0);

	(void)state;
	expect_reject(m, 0, 0, BUFSZ, -EINVAL);
	free(m);
}

static void test_reject_nextents_zero_interleave(void **state)
{
	struct famfs_fmap *m = mk_map(FAMFS_EXT_INTERLEAVE, C2M, C2M, 0);

	(void)state;
	expect_reject(m, 0, C2M, BUFSZ, -EINVAL);
	free(m);
}

static void test_simple_32_extents_ok(void **state)
{
	struct famfs_fmap *m = mk_simple_n(32, C2M);

	(void)state;
	expect_ok(m, 0, 64 * UT_MiB);
	free(m);
}

static void test_reject_33_extents(void **state)
{
	struct famfs_fmap *m = mk_simple_n(33, C2M);

	(void)state;
	expect_reject(m, 0, 66 * UT_MiB, BUFSZ, -EINVAL);
	free(m);
}

/* 1364 extents fill exactly 32 KiB, but the 7.46 limit is 32. */
static void test_reject_1364_extents(void **state)
{
	struct famfs_fmap *m = mk_simple_n(1364, C2M);

	(void)state;
	assert_int_equal(famfs_fmap_reply_size(m), FAMFS_FMAP_MAX);
	expect_reject(m, 0, 1364 * C2M, FAMFS_FMAP_MAX, -EINVAL);
	free(m);
}

static void test_interleave_32_strips_ok(void **state)
{
	struct famfs_fmap *m = mk_strips(32, C2M, 64 * UT_MiB, C2M);

	(void)state;
	expect_ok(m, 0, 64 * UT_MiB);
	free(m);
}

static void test_reject_33_strips(void **state)
{
	struct famfs_fmap *m = mk_strips(33, C2M, 66 * UT_MiB, C2M);

	(void)state;
	expect_reject(m, 0, 66 * UT_MiB, BUFSZ, -EINVAL);
	free(m);
}

static void test_reject_chunk_zero(void **state)
{
	struct famfs_fmap *m = mk_strips(2, 0, 4 * UT_MiB, 4 * UT_MiB);

	(void)state;
	expect_reject(m, 0, 4 * UT_MiB, BUFSZ, -EINVAL);
	free(m);
}

static void test_reject_chunk_not_pow2(void **state)
{
	struct famfs_fmap *m = mk_strips(2, 3 * UT_MiB, 12 * UT_MiB,
					 8 * UT_MiB);

	(void)state;
	expect_reject(m, 0, 12 * UT_MiB, BUFSZ, -EINVAL);
	m->chunk = C2M + 4096;
	expect_reject(m, 0, 12 * UT_MiB, BUFSZ, -EINVAL);
	m->chunk = 4 * UT_MiB;			/* the control */
	expect_ok(m, 0, 12 * UT_MiB);
	free(m);
}

/* ie_chunk_size is a u32: 2 GiB is the largest power of two it holds. */
static void test_reject_chunk_over_u32(void **state)
{
	uint64_t g4 = 4 * UT_GiB;
	struct famfs_fmap *m = mk_strips(1, g4, g4, g4);

	(void)state;
	expect_reject(m, 0, g4, BUFSZ, -EINVAL);
	m->chunk = 2 * UT_GiB;
	expect_ok(m, 0, g4);
	need_le();
	assert_int_equal(get_le32(buf + 0x24), 0x80000000u);
	free(m);
}

static void test_reject_extent_len_zero(void **state)
{
	struct famfs_fmap *m = mk_simple_n(3, C2M);

	(void)state;
	m->ext[2].len = 0;
	expect_reject(m, 0, 4 * UT_MiB, BUFSZ, -EINVAL);
	free(m);
}

static void test_reject_strip_len_zero(void **state)
{
	/*
	 * Every strip needs at least one chunk, so for a strip the per-strip
	 * rule refuses length 0 as well; this pins the result, not the rule.
	 */
	struct famfs_fmap *m = mk_strips(4, C2M, 1, C2M);

	(void)state;
	expect_ok(m, 0, 1);
	m->ext[3].len = 0;
	expect_reject(m, 0, 1, BUFSZ, -EINVAL);
	free(m);
}

static void test_reject_extent_offset_overflow(void **state)
{
	struct famfs_fmap *m = mk_simple_n(2, C2M);

	(void)state;
	m->ext[1].offset = UINT64_MAX - C2M - 4095;	/* last page: fine */
	expect_ok(m, 0, 4 * UT_MiB);
	m->ext[1].offset = UINT64_MAX - C2M + 1;	/* ends at 2^64 */
	expect_reject(m, 0, 4 * UT_MiB, BUFSZ, -EINVAL);
	free(m);
}

static void test_reject_strip_offset_overflow(void **state)
{
	struct famfs_fmap *m = mk_interleave4();

	(void)state;
	m->ext[2].offset = UINT64_MAX - 0x600000 - 4095;
	expect_ok(m, 0, 24 * UT_MiB);
	m->ext[2].offset = UINT64_MAX - 0x600000 + 1;
	expect_reject(m, 0, 24 * UT_MiB, BUFSZ, -EINVAL);
	free(m);
}

static void test_reject_file_type(void **state)
{
	struct famfs_fmap *m = mk_simple_n(1, C2M);

	(void)state;
	for (uint8_t ft = 0; ft <= 2; ft++)
		expect_ok(m, ft, C2M);
	expect_reject(m, 3, C2M, BUFSZ, -EINVAL);
	expect_reject(m, 255, C2M, BUFSZ, -EINVAL);
	free(m);
}

static void test_reject_ext_type(void **state)
{
	struct famfs_fmap *m = mk_simple_n(1, C2M);

	(void)state;
	m->ext_type = 2;
	expect_reject(m, 0, C2M, BUFSZ, -EINVAL);
	free(m);
}

static void test_reject_simple_short(void **state)
{
	struct famfs_fmap *m = mk_simple_n(3, C2M);

	(void)state;
	expect_ok(m, 0, 6 * UT_MiB);
	expect_reject(m, 0, 6 * UT_MiB + 1, BUFSZ, -EINVAL);
	free(m);
}

/* Two extents of 2^63 bytes: the total wraps to 0. */
static void test_reject_simple_total_overflow(void **state)
{
	struct famfs_fmap *m = mk_map(FAMFS_EXT_SIMPLE, 1, 0, 2);

	(void)state;
	set_ext(m, 0, 0, 0, 1ull << 63);
	set_ext(m, 1, 1, 0, 1ull << 63);
	expect_reject(m, 0, 1, BUFSZ, -EINVAL);
	m->ext[1].len = (1ull << 63) - 4096;
	expect_ok(m, 0, 1);
	free(m);
}

/* 2^63 + 2^63 + 2 MiB wraps to 2 MiB, which would cover a 1 MiB file. */
static void test_reject_simple_total_wraps_to_cover(void **state)
{
	struct famfs_fmap *m = mk_map(FAMFS_EXT_SIMPLE, UT_MiB, 0, 3);

	(void)state;
	set_ext(m, 0, 0, 0, 1ull << 63);
	set_ext(m, 1, 1, 0, 1ull << 63);
	set_ext(m, 2, 2, 0, C2M);
	expect_reject(m, 0, UT_MiB, BUFSZ, -EINVAL);
	free(m);
}

/* The strip lengths add up to the file, but strip 3 is short. */
static void test_reject_strip_short(void **state)
{
	struct famfs_fmap *m = mk_interleave4();

	(void)state;
	m->ext[0].len = 8 * UT_MiB;
	m->ext[3].len = 4 * UT_MiB;
	expect_reject(m, 0, 24 * UT_MiB, BUFSZ, -EINVAL);
	free(m);
}

/* Per-strip need S*C, S = ceil(ceil(size/C)/N): exact passes, one less not. */
static void test_strip_rule_table(void **state)
{
	static const struct {
		uint32_t n;
		uint64_t size, need;
	} t[] = {
		{ 4, 24 * UT_MiB, 6 * UT_MiB },		/* 12 chunks */
		{ 4, 24 * UT_MiB + 1, 8 * UT_MiB },	/* 13 chunks */
		{ 4, 16 * UT_MiB + 1, 6 * UT_MiB },	/* 9 chunks */
		{ 4, 1, 2 * UT_MiB },			/* 1 chunk */
		{ 3, 24 * UT_MiB, 8 * UT_MiB },		/* 12 chunks */
		{ 1, 5 * UT_MiB, 6 * UT_MiB },		/* 3 chunks */
	};

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct famfs_fmap *m = mk_strips(t[i].n, C2M, t[i].size,
						 t[i].need);

		expect_ok(m, 0, t[i].size);
		m->ext[t[i].n - 1].len = t[i].need - 1;
		expect_reject(m, 0, t[i].size, BUFSZ, -EINVAL);
		free(m);
	}
}

/*
 * The rule at the largest geometry: 2 GiB chunks, 3 strips, a file of
 * INT64_MAX bytes (2^32 chunks): S = 1431655766 chunks per strip.
 */
static void test_strip_rule_large(void **state)
{
	uint64_t size = INT64_MAX, need = 1431655766ull << 31;
	struct famfs_fmap *m = mk_strips(3, 1ull << 31, size, need);

	(void)state;
	for (uint32_t i = 0; i < 3; i++)
		m->ext[i].offset = 0;
	expect_ok(m, 0, size);
	m->ext[1].len = need - 1;
	expect_reject(m, 0, size, BUFSZ, -EINVAL);
	free(m);
}

/* KERNEL.md: se_devindex < FAMFS_MAX_DEVS (64), checked before BIT_ULL(). */
static void test_reject_dev_index(void **state)
{
	struct famfs_fmap *m = mk_simple_n(2, C2M);
	struct famfs_fmap *s = mk_interleave4();

	(void)state;
	m->ext[1].dev = 63;
	expect_ok(m, 0, 4 * UT_MiB);
	m->ext[1].dev = 64;
	expect_reject(m, 0, 4 * UT_MiB, BUFSZ, -EINVAL);
	s->ext[2].dev = UINT32_MAX;
	expect_reject(s, 0, 24 * UT_MiB, BUFSZ, -EINVAL);
	free(m);
	free(s);
}

/* KERNEL.md: file_size <= MAX_LFS_FILESIZE (INT64_MAX on 64-bit). */
static void test_reject_file_size_over_max(void **state)
{
	struct famfs_fmap *m = mk_map(FAMFS_EXT_SIMPLE, 1, 0, 1);

	(void)state;
	set_ext(m, 0, 0, 0, UINT64_MAX - 4095);
	expect_ok(m, 0, INT64_MAX);
	expect_reject(m, 0, (uint64_t)INT64_MAX + 1, BUFSZ, -EINVAL);
	free(m);
}

/* The kernel parses with PAGE_SIZE alignment: offsets, lengths, chunks. */
static void test_reject_unaligned(void **state)
{
	struct famfs_fmap *s = mk_simple_n(2, C2M), *i = mk_interleave4();

	(void)state;
	s->ext[1].offset += 512;
	expect_reject(s, 0, 4 * UT_MiB, BUFSZ, -EINVAL);
	s->ext[1].offset -= 512;
	s->ext[0].len += 2048;
	expect_reject(s, 0, 4 * UT_MiB, BUFSZ, -EINVAL);
	s->ext[0].len -= 2048;
	expect_ok(s, 0, 4 * UT_MiB);
	i->ext[3].offset += 4095;
	expect_reject(i, 0, 24 * UT_MiB, BUFSZ, -EINVAL);
	i->ext[3].offset -= 4095;
	i->chunk = 2048;			/* a power of two below a page */
	expect_reject(i, 0, 24 * UT_MiB, BUFSZ, -EINVAL);
	i->chunk = 4096;
	expect_ok(i, 0, 24 * UT_MiB);
	free(s);
	free(i);
}

/* KERNEL.md: ie_nbytes > 0. */
static void test_reject_interleave_size_zero(void **state)
{
	struct famfs_fmap *m = mk_interleave4();

	(void)state;
	expect_reject(m, 0, 0, BUFSZ, -EINVAL);
	free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden_one_extent),
		cmocka_unit_test(test_golden_three_extents),
		cmocka_unit_test(test_golden_superblock),
		cmocka_unit_test(test_golden_superblock_hex),
		cmocka_unit_test(test_golden_log),
		cmocka_unit_test(test_golden_interleave),
		cmocka_unit_test(test_golden_interleave_hex),
		cmocka_unit_test(test_file_size_from_argument),
		cmocka_unit_test(test_reply_size),
		cmocka_unit_test(test_room_one_short),
		cmocka_unit_test(test_room_exact),
		cmocka_unit_test(test_invalid_before_room),
		cmocka_unit_test(test_reject_nextents_zero_simple),
		cmocka_unit_test(test_reject_nextents_zero_interleave),
		cmocka_unit_test(test_simple_32_extents_ok),
		cmocka_unit_test(test_reject_33_extents),
		cmocka_unit_test(test_reject_1364_extents),
		cmocka_unit_test(test_interleave_32_strips_ok),
		cmocka_unit_test(test_reject_33_strips),
		cmocka_unit_test(test_reject_chunk_zero),
		cmocka_unit_test(test_reject_chunk_not_pow2),
		cmocka_unit_test(test_reject_chunk_over_u32),
		cmocka_unit_test(test_reject_extent_len_zero),
		cmocka_unit_test(test_reject_strip_len_zero),
		cmocka_unit_test(test_reject_extent_offset_overflow),
		cmocka_unit_test(test_reject_strip_offset_overflow),
		cmocka_unit_test(test_reject_file_type),
		cmocka_unit_test(test_reject_ext_type),
		cmocka_unit_test(test_reject_simple_short),
		cmocka_unit_test(test_reject_simple_total_overflow),
		cmocka_unit_test(test_reject_simple_total_wraps_to_cover),
		cmocka_unit_test(test_reject_strip_short),
		cmocka_unit_test(test_strip_rule_table),
		cmocka_unit_test(test_strip_rule_large),
		cmocka_unit_test(test_reject_dev_index),
		cmocka_unit_test(test_reject_file_size_over_max),
		cmocka_unit_test(test_reject_interleave_size_zero),
		cmocka_unit_test(test_reject_unaligned),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
