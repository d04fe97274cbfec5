// SPDX-License-Identifier: Apache-2.0
/*
 * GET_DAXDEV replies (famfs_daxdev_encode) and file offset -> device
 * offset resolution (famfs_fmap_resolve) of fmap.c.  The GET_FMAP encoder
 * is tested in test_fmap.c.
 */
#include "fmap_util.h"

/* ---- GET_DAXDEV ---------------------------------------------------------- */

static void test_daxdev_golden(void **state)
{
	struct fuse_daxdev_out out;
	uint8_t w[280];

	(void)state;
	need_le();
	memset(w, 0, sizeof(w));
	put_le16(w + 0x00, 3);			/* index */
	put_le16(w + 0x02, 1);			/* reserved: HAS_DEVNUM */
	put_le32(w + 0x04, 0);			/* reserved2 */
	put_le64(w + 0x08, 0x10302);		/* reserved3: 259:2 */
	put_le64(w + 0x10, 0);			/* reserved4 */
	memcpy(w + 0x18, "/dev/pmem1", 10);	/* name, NUL-padded */

	memset(&out, PAT, sizeof(out));
	assert_int_equal(sizeof(out), 280);
	assert_int_equal(famfs_daxdev_encode(3, famfs_new_encode_dev(259, 2), 0,
					     "/dev/pmem1", &out), 0);
	assert_memory_equal(&out, w, sizeof(w));
}

/* A device-dax char device in famfs mode: HAS_DEVNUM | CHARDEV, 252:3. */
static void test_daxdev_chardev_golden(void **state)
{
	struct fuse_daxdev_out out;
	uint8_t w[280];

	(void)state;
	need_le();
	memset(w, 0, sizeof(w));
	put_le16(w + 0x00, 1);			/* index */
	put_le16(w + 0x02, 3);			/* HAS_DEVNUM | CHARDEV */
	put_le64(w + 0x08, 0xfc03);		/* reserved3: 252:3 */
	memcpy(w + 0x18, "/dev/dax0.0", 11);

	memset(&out, PAT, sizeof(out));
	assert_int_equal(FAMFS_DAXDEV_HAS_DEVNUM | FAMFS_DAXDEV_CHARDEV, 3);
	assert_int_equal(famfs_daxdev_encode(1, famfs_new_encode_dev(252, 3), 1,
					     "/dev/dax0.0", &out), 0);
	assert_memory_equal(&out, w, sizeof(w));
	/* minor bits 8-19 go to bits 20-31 (new_encode_dev) */
	assert_int_equal(famfs_daxdev_encode(1, famfs_new_encode_dev(252, 0x123),
					     1, "", &out), 0);
	assert_int_equal(out.reserved3, 0x10fc23);
	/* the flag without a number: refused, out untouched */
	memset(&out, PAT, sizeof(out));
	assert_int_equal(famfs_daxdev_encode(1, 0, 1, "/dev/dax0.0", &out),
			 -EINVAL);
	assert_pattern((const uint8_t *)&out, 0, sizeof(out));
}

static void test_daxdev_no_devnum(void **state)
{
	struct fuse_daxdev_out out;

	(void)state;
	memset(&out, PAT, sizeof(out));
	assert_int_equal(famfs_daxdev_encode(0, 0, 0, "/dev/pmem0", &out), 0);
	assert_int_equal(out.index, 0);
	assert_int_equal(out.reserved, 0);
	assert_int_equal(out.reserved2, 0);
	assert_int_equal(out.reserved3, 0);
	assert_int_equal(out.reserved4, 0);
	assert_string_equal(out.name, "/dev/pmem0");
	for (size_t i = 10; i < sizeof(out.name); i++)
		assert_int_equal(out.name[i], 0);
}

static void test_daxdev_devnum_flag(void **state)
{
	struct fuse_daxdev_out out;

	(void)state;
	memset(&out, PAT, sizeof(out));
	assert_int_equal(famfs_daxdev_encode(63, 0xffffffff, 0, "x", &out), 0);
	assert_int_equal(out.index, 63);
	assert_int_equal(out.reserved, FAMFS_DAXDEV_HAS_DEVNUM);
	assert_int_equal(out.reserved3, 0xffffffff);
	/* a device number alone identifies the device */
	assert_int_equal(famfs_daxdev_encode(1, 0x801, 0, "", &out), 0);
	assert_int_equal(out.reserved, FAMFS_DAXDEV_HAS_DEVNUM);
	assert_int_equal(out.reserved3, 0x801);
	assert_int_equal(out.name[0], 0);
}

static void expect_daxdev_reject(uint32_t index, uint64_t devnum,
				 const char *name, int err)
{
	struct fuse_daxdev_out out;

	memset(&out, PAT, sizeof(out));
	assert_int_equal(famfs_daxdev_encode(index, devnum, 0, name, &out), err);
	assert_pattern((const uint8_t *)&out, 0, sizeof(out));
}

static void test_daxdev_name_255(void **state)
{
	struct fuse_daxdev_out out;
	char name[300];

	(void)state;
	memset(name, 'n', sizeof(name));
	name[255] = 0;
	memset(&out, PAT, sizeof(out));
	assert_int_equal(famfs_daxdev_encode(1, 0, 0, name, &out), 0);
	assert_memory_equal(out.name, name, 256);
}

static void test_daxdev_reject_name_256(void **state)
{
	char name[300];

	(void)state;
	memset(name, 'n', sizeof(name));
	name[256] = 0;
	expect_daxdev_reject(1, 0, name, -ENAMETOOLONG);
	name[299] = 0;
	name[256] = 'n';
	expect_daxdev_reject(1, 0x801, name, -ENAMETOOLONG);
}

/* out.index is a u16. */
static void test_daxdev_reject_index(void **state)
{
	struct fuse_daxdev_out out;

	(void)state;
	assert_int_equal(famfs_daxdev_encode(65535, 0, 0, "d", &out), 0);
	assert_int_equal(out.index, 65535);
	expect_daxdev_reject(65536, 0, "d", -EINVAL);
}

/* new_encode_dev() yields 32 bits; more cannot be a device number. */
static void test_daxdev_reject_devnum_wide(void **state)
{
	(void)state;
	expect_daxdev_reject(1, 0x100000000ull, "d", -EINVAL);
}

static void test_daxdev_reject_nothing_named(void **state)
{
	(void)state;
	expect_daxdev_reject(1, 0, "", -EINVAL);
	expect_daxdev_reject(1, 0, NULL, -EINVAL);
}

static void test_new_encode_dev(void **state)
{
	(void)state;
	assert_int_equal(famfs_new_encode_dev(259, 0), 0x10300);
	assert_int_equal(famfs_new_encode_dev(8, 1), 0x801);
	assert_int_equal(famfs_new_encode_dev(1, 300), 0x10012c);
	assert_int_equal(famfs_new_encode_dev(0, 0), 0);
	assert_int_equal(famfs_new_encode_dev(0xfff, 0xfffff), 0xffffffffu);
	assert_int_equal(famfs_new_encode_dev(0, 0xfff00), 0xfff00000u);
	/* out of the kernel's 12:20 range: no device number */
	assert_int_equal(famfs_new_encode_dev(0x1000, 0), 0);
	assert_int_equal(famfs_new_encode_dev(1, 0x100000), 0);
}

/* Within 12:20 bits glibc's makedev() is the same encoding. */
static void test_new_encode_dev_vs_makedev(void **state)
{
	(void)state;
	for (unsigned int ma = 0; ma <= 0xfff; ma += 0x7f)
		for (unsigned int mi = 0; mi <= 0xfffff; mi += 0x3ffd)
			assert_int_equal(famfs_new_encode_dev(ma, mi),
					 (uint64_t)makedev(ma, mi));
}

/* ---- resolve ------------------------------------------------------------- */

static void expect_resolve(const struct famfs_fmap *m, uint64_t off,
			   uint32_t dev, uint64_t doff, uint64_t len)
{
	uint32_t d = UINT32_MAX;
	uint64_t o = UINT64_MAX, l = UINT64_MAX;

	if (famfs_fmap_resolve(m, off, &d, &o, &l))
		fail_msg("offset 0x%" PRIx64 " not resolved", off);
	if (d != dev || o != doff || l != len)
		fail_msg("offset 0x%" PRIx64 ": got %u/0x%" PRIx64 "+0x%" PRIx64
			 ", want %u/0x%" PRIx64 "+0x%" PRIx64,
			 off, d, o, l, dev, doff, len);
}

static void expect_unresolved(const struct famfs_fmap *m, uint64_t off)
{
	uint32_t d = 77;
	uint64_t o = 77, l = 77;

	assert_int_equal(famfs_fmap_resolve(m, off, &d, &o, &l), -EINVAL);
	assert_int_equal(d, 77);
	assert_int_equal(o, 77);
	assert_int_equal(l, 77);
}

/* KERNEL.md: N=4, C=2 MiB, 24 MiB, off 15 MiB: chunk 7, stripe 1, strip 3. */
static void test_resolve_kernel_example(void **state)
{
	struct famfs_fmap *m = mk_interleave4();

	(void)state;
	expect_resolve(m, 15 * UT_MiB, 3, 0x00600000 + 3 * UT_MiB, UT_MiB);
	free(m);
}

/*
 * The model: walk the file a chunk at a time, dealing chunks to the strips
 * round-robin; each strip's cursor moves on by one chunk per chunk dealt.
 * Every chunk is probed at its first, second, middle and last byte, so each
 * boundary is seen from both sides.
 */
static void check_against_model(const struct famfs_fmap *m)
{
	uint64_t cursor[FUSE_FAMFS_MAX_STRIPS] = { 0 };
	uint64_t foff, clen, probe[4];
	uint32_t s = 0, nchunks = 0;

	for (foff = 0; foff < m->size; foff += clen) {
		const struct famfs_extent *x = &m->ext[s];

		clen = m->size - foff < m->chunk ? m->size - foff : m->chunk;
		probe[0] = 0;
		probe[1] = 1 < clen ? 1 : 0;
		probe[2] = clen / 2;
		probe[3] = clen - 1;
		for (int k = 0; k < 4; k++)
			expect_resolve(m, foff + probe[k], x->dev,
				       x->offset + cursor[s] + probe[k],
				       clen - probe[k]);
		cursor[s] += m->chunk;
		s = s + 1 == m->nextents ? 0 : s + 1;
		nchunks++;
	}
	assert_true(nchunks > 0);
	expect_unresolved(m, m->size);
}

static void test_resolve_every_chunk(void **state)
{
	struct famfs_fmap *m = mk_interleave4();

	(void)state;
	check_against_model(m);
	free(m);
}

/* A last partial chunk: the length stops at the file size. */
static void test_resolve_partial_last_chunk(void **state)
{
	struct famfs_fmap *m = mk_interleave4();

	(void)state;
	m->size = 22 * UT_MiB + 4096;		/* chunk 11 holds 4 KiB */
	expect_resolve(m, 22 * UT_MiB, 3, 0x00600000 + 4 * UT_MiB, 4096);
	expect_resolve(m, 22 * UT_MiB + 4095, 3,
		       0x00600000 + 4 * UT_MiB + 4095, 1);
	expect_unresolved(m, 22 * UT_MiB + 4096);
	check_against_model(m);
	m->size = 5 * UT_MiB + 1;		/* odd sizes and 3 strips */
	m->nextents = 3;
	check_against_model(m);
	free(m);
}

static void test_resolve_simple_boundaries(void **state)
{
	struct famfs_fmap *m = mk_map(FAMFS_EXT_SIMPLE, 7 * UT_MiB, 0, 3);

	(void)state;
	set_ext(m, 0, 0, 0x1400000, C2M);
	set_ext(m, 1, 1, 0x200000, 4 * UT_MiB);
	set_ext(m, 2, 5, 0x123400000, C2M);
	expect_resolve(m, 0, 0, 0x1400000, C2M);
	expect_resolve(m, C2M - 1, 0, 0x1400000 + C2M - 1, 1);
	expect_resolve(m, C2M, 1, 0x200000, 4 * UT_MiB);
	expect_resolve(m, C2M + 5, 1, 0x200005, 4 * UT_MiB - 5);
	expect_resolve(m, 6 * UT_MiB - 1, 1, 0x200000 + 4 * UT_MiB - 1, 1);
	/* the last extent is longer than the file: capped at 7 MiB */
	expect_resolve(m, 6 * UT_MiB, 5, 0x123400000, UT_MiB);
	expect_resolve(m, 7 * UT_MiB - 1, 5, 0x123400000 + UT_MiB - 1, 1);
	expect_unresolved(m, 7 * UT_MiB);
	free(m);
}

static void test_resolve_off_at_size(void **state)
{
	struct famfs_fmap *m = mk_simple_n(2, C2M);
	struct famfs_fmap *s = mk_interleave4();

	(void)state;
	/* both maps reach past the size: only the size stops them */
	m->size = 3 * UT_MiB;
	s->ext[0].len = 8 * UT_MiB;
	expect_resolve(m, 3 * UT_MiB - 1, 1, 0x40000000 + 3 * UT_MiB - 1, 1);
	expect_unresolved(m, 3 * UT_MiB);
	expect_unresolved(m, UINT64_MAX);
	expect_resolve(s, 24 * UT_MiB - 1, 3, 0x00600000 + 6 * UT_MiB - 1, 1);
	expect_unresolved(s, 24 * UT_MiB);
	expect_unresolved(s, UINT64_MAX);
	free(m);
	free(s);
}

/* A map that does not reach the size (never encoded, but resolvable). */
static void test_resolve_uncovered_simple(void **state)
{
	struct famfs_fmap *m = mk_simple_n(2, C2M);

	(void)state;
	m->size = 5 * UT_MiB;
	expect_resolve(m, 4 * UT_MiB - 1, 1, 0x40000000 + 4 * UT_MiB - 1, 1);
	expect_unresolved(m, 4 * UT_MiB);
	expect_unresolved(m, 5 * UT_MiB - 1);
	free(m);
}

/* Strip 1 holds only 2 chunks: chunk 9 (stripe 2) is not mapped. */
static void test_resolve_uncovered_strip(void **state)
{
	struct famfs_fmap *m = mk_interleave4();

	(void)state;
	m->ext[1].len = 4 * UT_MiB;
	expect_resolve(m, 10 * UT_MiB, 1, 0x00200000 + C2M, C2M);
	expect_unresolved(m, 18 * UT_MiB);
	expect_unresolved(m, 20 * UT_MiB - 1);
	/* a strip ending mid-chunk caps the length at the strip */
	m->ext[1].len = 5 * UT_MiB;
	expect_resolve(m, 18 * UT_MiB, 1, 0x00200000 + 4 * UT_MiB, UT_MiB);
	expect_unresolved(m, 19 * UT_MiB);
	free(m);
}

/* Offsets far past 4 GiB: no 32-bit truncation anywhere. */
static void test_resolve_64bit(void **state)
{
	uint64_t c = UT_GiB, off = (1ull << 40) + 5;
	struct famfs_fmap *m = mk_strips(3, c, 1ull << 41, 1ull << 40);

	(void)state;
	/* chunk 1024 = 3 * 341 + 1: strip 1, stripe 341 */
	expect_resolve(m, off, 1, m->ext[1].offset + 341 * c + 5, c - 5);
	m->size = off + 7;
	expect_resolve(m, off, 1, m->ext[1].offset + 341 * c + 5, 7);
	free(m);
}

static void test_resolve_bad_chunk(void **state)
{
	struct famfs_fmap *m = mk_interleave4();

	(void)state;
	m->chunk = 0;
	expect_unresolved(m, 0);
	free(m);
}

static void test_resolve_no_strips(void **state)
{
	struct famfs_fmap *m = mk_interleave4();

	(void)state;
	m->nextents = 0;
	expect_unresolved(m, 0);
	expect_unresolved(m, 5 * UT_MiB);
	free(m);
}

static void test_resolve_bad_ext_type(void **state)
{
	struct famfs_fmap *m = mk_simple_n(1, C2M);

	(void)state;
	m->ext_type = 7;
	expect_unresolved(m, 0);
	m->ext_type = FAMFS_EXT_SIMPLE;
	m->nextents = 0;
	expect_unresolved(m, 0);
	free(m);
}

/* An extent that wraps the device address space resolves to nothing. */
static void test_resolve_extent_overflow(void **state)
{
	struct famfs_fmap *m = mk_simple_n(2, C2M);
	struct famfs_fmap *s = mk_interleave4();

	(void)state;
	m->ext[1].offset = UINT64_MAX - UT_MiB;
	expect_resolve(m, 0, 0, 0x40000000, C2M);
	expect_unresolved(m, C2M);
	s->ext[2].offset = UINT64_MAX - 0x100000;
	expect_unresolved(s, 4 * UT_MiB);
	free(m);
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_daxdev_golden),
		cmocka_unit_test(test_daxdev_chardev_golden),
		cmocka_unit_test(test_daxdev_no_devnum),
		cmocka_unit_test(test_daxdev_devnum_flag),
		cmocka_unit_test(test_daxdev_name_255),
		cmocka_unit_test(test_daxdev_reject_name_256),
		cmocka_unit_test(test_daxdev_reject_index),
		cmocka_unit_test(test_daxdev_reject_devnum_wide),
		cmocka_unit_test(test_daxdev_reject_nothing_named),
		cmocka_unit_test(test_new_encode_dev),
		cmocka_unit_test(test_new_encode_dev_vs_makedev),
		cmocka_unit_test(test_resolve_kernel_example),
		cmocka_unit_test(test_resolve_every_chunk),
		cmocka_unit_test(test_resolve_partial_last_chunk),
		cmocka_unit_test(test_resolve_simple_boundaries),
		cmocka_unit_test(test_resolve_off_at_size),
		cmocka_unit_test(test_resolve_uncovered_simple),
		cmocka_unit_test(test_resolve_uncovered_strip),
		cmocka_unit_test(test_resolve_64bit),
		cmocka_unit_test(test_resolve_bad_chunk),
		cmocka_unit_test(test_resolve_no_strips),
		cmocka_unit_test(test_resolve_bad_ext_type),
		cmocka_unit_test(test_resolve_extent_overflow),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
