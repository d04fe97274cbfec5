// SPDX-License-Identifier: Apache-2.0
/*
 * Log entries (entry.c): every rejection of an entry's body by
 * famfs_entry_decode (FILE fields, extents and strips, paths, MKDIR and
 * ADD_DAXDEV), every single-byte change, and famfs_entry_encode refusing
 * what decode refuses.  Builders in entry_util.h.
 */
#include "entry_util.h"

/* ---- FILE body rejections --------------------------------------------- */

static void test_reject_file_len_mismatch(void **state)
{
	struct raw_file r;
	uint8_t buf[BUFSZ];
	uint32_t len;

	(void)state;
	rf_default(&r);
	len = rf_build(&r, buf);
	put_le32(buf + 4, len + 8);	/* one more padding word */
	reseal(buf);
	expect_decode(buf, sizeof(buf), FILE_SEQ, -EUCLEAN, "does not match");
	rf_build(&r, buf);
	put_le16(buf + 0x3a, 1);	/* claims one extent fewer */
	reseal(buf);
	expect_decode(buf, sizeof(buf), FILE_SEQ, -EUCLEAN, "does not match");
}

static void test_reject_file_too_short(void **state)
{
	uint8_t buf[BUFSZ];

	(void)state;
	memset(buf, 0, sizeof(buf));
	put_le32(buf + 4, 32);		/* header + 8 bytes: no FILE body */
	put_le16(buf + 0x10, FAMFS_ENTRY_FILE);
	reseal(buf);
	expect_decode(buf, sizeof(buf), 0, -EUCLEAN, "too short");
}

static void test_reject_file_flags(void **state)
{
	struct raw_file r;

	(void)state;
	rf_default(&r);
	r.flags = 1;
	expect_file_bad(&r, NULL);
}

static void test_reject_file_reserved(void **state)
{
	struct raw_file r;

	(void)state;
	rf_default(&r);
	r.reserved = 0x100;
	expect_file_bad(&r, NULL);
}

static void test_reject_size_zero(void **state)
{
	struct raw_file r;

	(void)state;
	rf_default(&r);
	r.size = 0;
	expect_file_bad(&r, "size 0");
	r.size = 1;
	expect_file_ok(&r);
}

static void test_reject_mode_bits(void **state)
{
	struct raw_file r;

	(void)state;
	rf_default(&r);
	r.mode = 07777;
	expect_file_ok(&r);
	r.mode = 010000;
	expect_file_bad(&r, "mode");
	r.mode = 0100644;		/* S_IFREG | 0644 */
	expect_file_bad(&r, "mode");
}

static void test_reject_nextents_zero(void **state)
{
	struct raw_file r;

	(void)state;
	rf_default(&r);
	r.n = 0;
	expect_file_bad(&r, "count");
}

static void test_reject_nextents_33(void **state)
{
	struct raw_file r;

	(void)state;
	rf_default(&r);
	r.n = 33;
	r.size = 1;
	for (int i = 0; i < 33; i++)
		r.x[i] = (struct raw_ext){ .dev = 0, .off = 0, .len = 4096 };
	expect_file_bad(&r, "count");
	r.n = 32;
	expect_file_ok(&r);
}

static void test_reject_ext_type(void **state)
{
	struct raw_file r;

	(void)state;
	rf_default(&r);
	r.ext_type = 2;
	expect_file_bad(&r, "type");
}

static void test_reject_simple_with_chunk(void **state)
{
	struct raw_file r;

	(void)state;
	rf_default(&r);
	r.chunk = 0x200000;
	expect_file_bad(&r, NULL);
}

static void test_reject_simple_short(void **state)
{
	struct raw_file r;

	(void)state;
	rf_default(&r);
	r.size = 0x300000 + 1;		/* extents hold 0x300000 */
	expect_file_bad(&r, "shorter");
	r.size = 0x300000;
	expect_file_ok(&r);
}

static void test_reject_simple_len_sum_overflow(void **state)
{
	struct raw_file r;

	(void)state;
	rf_default(&r);
	r.size = 0x100000;
	r.x[0].len = UINT64_MAX - 0x200000;
	r.x[0].off = 0;
	r.x[1].off = 0;
	r.x[1].len = 0x400000;		/* sum wraps to 0x1fffff */
	expect_file_bad(&r, "overflow");
}

/* Interleaved @n strips of @len, @size bytes in @chunk chunks. */
static void rf_interleave(struct raw_file *r, uint64_t size, uint64_t chunk,
			  uint16_t n, uint64_t len)
{
	rf_default(r);
	r->ext_type = FAMFS_EXT_INTERLEAVE;
	r->size = size;
	r->chunk = chunk;
	r->n = n;
	for (int i = 0; i < n; i++)
		r->x[i] = (struct raw_ext){ .dev = (uint32_t)i,
					    .off = 0x200000, .len = len };
}

/* strip length needed: ceil(ceil(size / chunk) / n) * chunk */
static uint64_t strip_need(uint64_t size, uint64_t chunk, uint64_t n)
{
	uint64_t chunks = size / chunk + (size % chunk != 0);

	return (chunks / n + (chunks % n != 0)) * chunk;
}

static void test_reject_strip_short(void **state)
{
	const uint64_t c = 0x100000;
	struct raw_file r;

	(void)state;
	/* 11 chunks on 3 strips: 4 chunks each */
	rf_interleave(&r, 10 * c + 1, c, 3, 4 * c);
	expect_file_ok(&r);
	r.x[2].len = 4 * c - 1;
	expect_file_bad(&r, "strip");
	rf_interleave(&r, 10 * c + 1, c, 3, 4 * c);
	r.x[0].len = 3 * c;
	expect_file_bad(&r, "strip");
}

/* Accept exactly the strips at least as long as the formula says. */
static void test_strip_boundary_table(void **state)
{
	static const uint64_t sizes[] = {
		1, 4095, 4096, 4097, 0x100000, 0x100001, 0x2fffff, 0x7654321,
	};
	static const uint64_t chunks[] = { 4096, 0x10000, 0x200000 };
	struct raw_file r;

	(void)state;
	for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		for (size_t c = 0; c < sizeof(chunks) / sizeof(chunks[0]); c++) {
			for (uint16_t n = 1; n <= 32; n += 5) {
				uint64_t need = strip_need(sizes[s], chunks[c],
							   n);

				rf_interleave(&r, sizes[s], chunks[c], n, need);
				expect_file_ok(&r);
				r.x[n - 1].len = need - 1;
				expect_file_bad(&r, "strip");
			}
		}
	}
}

/*
 * The strips must hold the file even when the product in the coverage rule
 * does not fit in 64 bits: a size near 2^64 on a 4 KiB strip is refused.
 */
static void test_reject_strip_coverage_overflow(void **state)
{
	struct raw_file r;

	(void)state;
	/* ceil(size / 2^32) = 2^32 chunks of 2^32 bytes: 2^64 per strip */
	rf_interleave(&r, UINT64_MAX, 1ull << 32, 1, 4096);
	expect_file_bad(&r, NULL);
	/* 2 chunks of 2^63 bytes on one strip */
	rf_interleave(&r, UINT64_MAX, 1ull << 63, 1, 4096);
	expect_file_bad(&r, NULL);
}

static void test_reject_chunk_not_pow2(void **state)
{
	struct raw_file r;

	(void)state;
	rf_interleave(&r, 0x300000, 0x300000, 2, 0x300000);
	expect_file_bad(&r, "power of two");
	rf_interleave(&r, 0x300000, 0, 2, 0x300000);
	expect_file_bad(&r, "power of two");
	rf_interleave(&r, 0x300000, 0x200000, 2, 0x200000);
	expect_file_ok(&r);
}

static void test_reject_ext_dev_index(void **state)
{
	struct raw_file r;

	(void)state;
	rf_default(&r);
	r.x[1].dev = 63;
	expect_file_ok(&r);
	r.x[1].dev = 64;
	expect_file_bad(&r, "device index");
	r.x[1].dev = 0xffffffffu;
	expect_file_bad(&r, "device index");
}

static void test_reject_ext_overflow(void **state)
{
	struct raw_file r;

	(void)state;
	rf_default(&r);
	r.x[0].off = UINT64_MAX - 0x200000 + 1;	/* ends exactly at 2^64 */
	expect_file_bad(&r, "overflows");
	r.x[0].off = UINT64_MAX - 0x200000;	/* ends at 2^64 - 1 */
	expect_file_ok(&r);
}

static void test_reject_ext_len_zero(void **state)
{
	struct raw_file r;

	(void)state;
	rf_default(&r);
	r.size = 0x200000;
	r.x[1].len = 0;
	expect_file_bad(&r, "zero");
}

static void test_reject_ext_reserved(void **state)
{
	struct raw_file r;

	(void)state;
	rf_default(&r);
	r.x[0].reserved = 0x01000000;
	expect_file_bad(&r, "reserved");
}

/* ---- path rejections -------------------------------------------------- */

static void test_reject_path_not_terminated(void **state)
{
	struct raw_file r;
	uint8_t buf[BUFSZ];
	uint32_t len;

	(void)state;
	rf_default(&r);
	len = rf_build(&r, buf);
	buf[0x40 + 2 * 24 + 9] = 'x';	/* the NUL after "dir/file0" */
	reseal(buf);
	expect_decode(buf, len, FILE_SEQ, -EUCLEAN, "NUL-terminated");
}

static void test_reject_path_padding(void **state)
{
	struct raw_file r;
	uint8_t buf[BUFSZ];
	uint32_t len;

	(void)state;
	rf_default(&r);
	len = rf_build(&r, buf);
	assert_true(len > 0x40 + 2 * 24 + 10);	/* there is padding */
	buf[len - 1] = 1;
	reseal(buf);
	expect_decode(buf, len, FILE_SEQ, -EUCLEAN, "padding");
}

static void expect_path_bad(const char *p, size_t n)
{
	struct raw_file r;
	uint8_t buf[BUFSZ];

	rf_default(&r);
	rf_set_path(&r, p, n);
	expect_file_bad(&r, NULL);
	/* the same rules for directories */
	raw_mkdir(buf, 3, 0755, p, (uint16_t)n);
	expect_decode(buf, sizeof(buf), 3, -EUCLEAN, NULL);
}

static void test_reject_path_dotdot(void **state)
{
	(void)state;
	expect_path_bad("..", 2);
	expect_path_bad("a/../b", 6);
	expect_path_bad("a/..", 4);
}

static void test_reject_path_dot(void **state)
{
	(void)state;
	expect_path_bad(".", 1);
	expect_path_bad("a/./b", 5);
}

static void test_reject_path_empty_component(void **state)
{
	(void)state;
	expect_path_bad("a//b", 4);
	expect_path_bad("a/", 2);
	expect_path_bad("", 0);
}

static void test_reject_path_absolute(void **state)
{
	(void)state;
	expect_path_bad("/a", 2);
}

static void test_reject_path_nul_inside(void **state)
{
	(void)state;
	expect_path_bad("a\0b", 3);
}

static void test_reject_path_meta(void **state)
{
	struct raw_file r;

	(void)state;
	expect_path_bad(".meta", 5);
	expect_path_bad(".meta/x", 7);
	rf_default(&r);
	rf_set_path(&r, "x/.meta", 7);
	expect_file_ok(&r);
}

static void test_reject_path_1024(void **state)
{
	char p[1024];
	struct raw_file r;

	(void)state;
	for (size_t i = 0; i < sizeof(p); i++)
		p[i] = (i % 100 == 99) ? '/' : 'q';
	rf_default(&r);
	rf_set_path(&r, p, 1023);
	expect_file_ok(&r);
	expect_path_bad(p, 1024);
}

/*
 * A path longer than FAMFS_PATH_MAX, in an entry that is otherwise the
 * right size, must be refused without writing past struct famfs_entry:
 * decode copies the path into e->path[FAMFS_PATH_MAX + 1].
 */
static void test_reject_path_long_no_overflow(void **state)
{
	static const uint16_t lens[] = { 1024, 2000, 4055 };
	struct {
		struct famfs_entry e;
		uint8_t guard[4096];
	} *g = malloc(sizeof(*g));
	char *p = malloc(4096);
	uint8_t buf[BUFSZ];

	(void)state;
	assert_non_null(g);
	assert_non_null(p);
	memset(p, 'z', 4096);
	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		uint32_t len = raw_mkdir(buf, 0, 0755, p, lens[i]);
		size_t past = 0;
		int rc;

		assert_true(len <= FAMFS_ENTRY_MAX);
		memset(g->guard, 0xa5, sizeof(g->guard));
		rc = famfs_entry_decode(buf, len, 0, test_seed(), &g->e, NULL);
		for (size_t k = 0; k < sizeof(g->guard); k++)
			if (g->guard[k] != 0xa5)
				past = k + 1;
		if (rc != -EUCLEAN || past) {
			free(p);
			free(g);
			fail_msg("path of %u bytes: decode returned %d, wrote %zu bytes past struct famfs_entry",
				 lens[i], rc, past);
		}
	}
	free(p);
	free(g);
}

/* ---- MKDIR and ADD_DAXDEV rejections ---------------------------------- */

static void test_reject_mkdir_fields(void **state)
{
	uint8_t buf[BUFSZ];
	uint32_t len;

	(void)state;
	len = raw_mkdir(buf, 1, 010755, "d", 1);
	expect_decode(buf, len, 1, -EUCLEAN, "mode");
	len = raw_mkdir(buf, 1, 0755, "d", 1);
	expect_decode(buf, len, 1, 0, NULL);
	put_le16(buf + 0x26, 1);	/* d_reserved */
	reseal(buf);
	expect_decode(buf, len, 1, -EUCLEAN, NULL);
	len = raw_mkdir(buf, 1, 0755, "d", 1);
	put_le16(buf + 0x24, 9);	/* path length disagrees with e_len */
	reseal(buf);
	expect_decode(buf, len, 1, -EUCLEAN, "does not match");
}

static void test_reject_mkdir_too_short(void **state)
{
	uint8_t buf[BUFSZ];

	(void)state;
	memset(buf, 0, sizeof(buf));
	put_le32(buf + 4, 32);
	put_le16(buf + 0x10, FAMFS_ENTRY_MKDIR);
	reseal(buf);
	expect_decode(buf, sizeof(buf), 0, -EUCLEAN, "too short");
}

static void test_reject_daxdev_index(void **state)
{
	uint8_t buf[BUFSZ];

	(void)state;
	raw_daxdev(buf, 0, 0x40, 0x10000000, 0);
	expect_decode(buf, 0x38, 0, -EUCLEAN, "index");
	raw_daxdev(buf, 0, 0x40, 0x10000000, 64);
	expect_decode(buf, 0x38, 0, -EUCLEAN, "index");
	raw_daxdev(buf, 0, 0x40, 0x10000000, 1);
	expect_decode(buf, 0x38, 0, 0, NULL);
}

static void test_reject_daxdev_uuid(void **state)
{
	uint8_t buf[BUFSZ];

	(void)state;
	raw_daxdev(buf, 0, 0, 0x10000000, 1);
	expect_decode(buf, 0x38, 0, -EUCLEAN, "UUID");
}

static void test_reject_daxdev_size(void **state)
{
	uint8_t buf[BUFSZ];

	(void)state;
	raw_daxdev(buf, 0, 0x40, 0, 1);
	expect_decode(buf, 0x38, 0, -EUCLEAN, "size");
}

static void test_reject_daxdev_reserved_len(void **state)
{
	uint8_t buf[BUFSZ];

	(void)state;
	raw_daxdev(buf, 0, 0x40, 4096, 1);
	put_le32(buf + 0x34, 1);
	reseal(buf);
	expect_decode(buf, 0x38, 0, -EUCLEAN, NULL);
	raw_daxdev(buf, 0, 0x40, 4096, 1);
	put_le32(buf + 4, 0x40);	/* one padding word too many */
	reseal(buf);
	expect_decode(buf, sizeof(buf), 0, -EUCLEAN, "length");
}

/* ---- every single-byte change ----------------------------------------- */

/* what famfs_entry_decode() refuses with: damage, checksum, terminator */
static const int entry_errs[] = { EFSCORRUPTED, EFSBADCRC, ENODATA, 0 };

static void flip_all(uint8_t *buf, uint32_t len, uint64_t seq)
{
	static const uint8_t masks[] = { 0x01, 0x80, 0xff, 0x08 };
	struct famfs_entry *e = malloc(sizeof(*e));
	unsigned int bad = 0;

	assert_non_null(e);
	/* room is the whole buffer: a changed e_len still stays in range */
	assert_int_equal(famfs_entry_decode(buf, BUFSZ, seq, test_seed(), e,
					    NULL), 0);
	for (uint32_t off = 0; off < len; off++) {
		for (size_t m = 0; m < sizeof(masks); m++) {
			struct famfs_why why = { "" };
			int rc;

			buf[off] ^= masks[m];
			rc = famfs_entry_decode(buf, BUFSZ, seq, test_seed(),
						e, &why);
			buf[off] ^= masks[m];
			ut_refused(rc, entry_errs, why.msg, &bad,
				   "byte %#x ^ %#x of a %u-byte entry", off,
				   masks[m], len);
		}
	}
	free(e);
	assert_int_equal(bad, 0);
}

static void test_every_byte_file(void **state)
{
	struct raw_file r;
	uint8_t buf[BUFSZ];
	uint32_t len;

	(void)state;
	memset(buf, 0, sizeof(buf));
	rf_default(&r);
	len = rf_build(&r, buf);
	flip_all(buf, len, FILE_SEQ);
	rf_interleave(&r, 0x500000, 0x100000, 3, 0x200000);
	len = rf_build(&r, buf);
	flip_all(buf, len, FILE_SEQ);
}

static void test_every_byte_mkdir(void **state)
{
	uint8_t buf[BUFSZ];
	uint32_t len;

	(void)state;
	memset(buf, 0, sizeof(buf));
	len = raw_mkdir(buf, 12, 0755, "some/dir", 8);
	flip_all(buf, len, 12);
}

static void test_every_byte_daxdev(void **state)
{
	uint8_t buf[BUFSZ];
	uint32_t len;

	(void)state;
	memset(buf, 0, sizeof(buf));
	len = raw_daxdev(buf, 2, 0x40, 0x40000000, 2);
	flip_all(buf, len, 2);
}

/* ---- encode refuses what decode refuses -------------------------------- */

static struct famfs_entry *good_file(void)
{
	struct famfs_entry *e = new_entry(FAMFS_ENTRY_FILE, "f");

	e->seq = 0;
	e->file.size = 4096;
	e->file.mode = 0644;
	e->file.nextents = 1;
	e->file.ext[0] = (struct famfs_extent){ .dev = 0, .offset = 0x200000,
						.len = 4096 };
	return e;
}

/* ways to spoil a good entry before encoding it */
static void sp_double_slash(struct famfs_entry *e)
{
	assert_int_equal(famfs_entry_set_path(e, "a//b"), 0);
}

static void sp_meta(struct famfs_entry *e)
{
	assert_int_equal(famfs_entry_set_path(e, ".meta"), 0);
}

static void sp_mode(struct famfs_entry *e) { e->file.mode = 010644; }
static void sp_size0(struct famfs_entry *e) { e->file.size = 0; }
static void sp_size_over(struct famfs_entry *e) { e->file.size = 4097; }
static void sp_noext(struct famfs_entry *e) { e->file.nextents = 0; }
static void sp_dev64(struct famfs_entry *e) { e->file.ext[0].dev = 64; }

static void sp_chunk(struct famfs_entry *e)
{
	e->file.ext_type = FAMFS_EXT_INTERLEAVE;
	e->file.chunk = 3000;
}

static void daxdev(struct famfs_entry *e, uint32_t index)
{
	e->type = FAMFS_ENTRY_ADD_DAXDEV;
	e->path_len = 0;
	e->path[0] = 0;
	ut_uuid(e->dev.uuid, 1);
	e->dev.size = 4096;
	e->dev.index = index;
}

static void sp_dev_index0(struct famfs_entry *e) { daxdev(e, 0); }
static void sp_dev_index64(struct famfs_entry *e) { daxdev(e, 64); }

struct encode_row {
	const char *name;
	void (*spoil)(struct famfs_entry *e);
	int err;
	const char *why;	/* the decoder's reason, as encode reports it */
};

static const struct encode_row encode_rows[] = {
	{ "empty path component", sp_double_slash, -EFSCORRUPTED,
	  "empty path component" },
	{ "the reserved .meta name", sp_meta, -EFSCORRUPTED,
	  "'.meta' is reserved" },
	{ "mode beyond 07777", sp_mode, -EFSCORRUPTED,
	  "FILE entry has unknown flags or mode bits" },
	{ "zero size", sp_size0, -EFSCORRUPTED,
	  "FILE entry has size 0" },
	{ "size beyond the extents", sp_size_over, -EFSCORRUPTED,
	  "extents are shorter than the file" },
	{ "no extent", sp_noext, -EFSCORRUPTED,
	  "FILE entry has a bad extent type or count" },
	{ "device index 64", sp_dev64, -EFSCORRUPTED,
	  "extent names a device index above 63" },
	{ "chunk not a power of two", sp_chunk, -EFSCORRUPTED,
	  "interleave chunk is not a power of two" },
	{ "ADD_DAXDEV of index 0 (the primary)", sp_dev_index0, -EFSCORRUPTED,
	  "ADD_DAXDEV entry has a bad UUID, size or index" },
	{ "ADD_DAXDEV of index 64", sp_dev_index64, -EFSCORRUPTED,
	  "ADD_DAXDEV entry has a bad UUID, size or index" },
};

/* Encode refuses what decode refuses: every row, its errno and reason. */
static void test_encode_refuses(void **state)
{
	uint8_t buf[BUFSZ];
	int bad = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(encode_rows) / sizeof(encode_rows[0]); i++) {
		const struct encode_row *r = &encode_rows[i];
		struct famfs_entry *e = good_file();
		struct famfs_why why = { "" };
		int rc;

		assert_true(famfs_entry_encode(e, 1, buf, sizeof(buf), NULL) > 0);
		r->spoil(e);
		rc = famfs_entry_encode(e, test_seed(), buf, sizeof(buf), &why);
		if (rc != r->err || strcmp(why.msg, r->why)) {
			print_error("row '%s': rc %d (want %d), why '%s' (want '%s')\n",
				    r->name, rc, r->err, why.msg, r->why);
			bad++;
		}
		free(e);
	}
	assert_int_equal(bad, 0);
}

static void test_encode_bad_size(void **state)
{
	struct famfs_entry *e = good_file();
	uint8_t buf[BUFSZ];
	int len = famfs_entry_size(e);

	(void)state;
	assert_int_equal(len, align8(24 + 40 + 24 + 2));
	assert_int_equal(famfs_entry_encode(e, 0, buf, (size_t)len - 1, NULL),
			 -ENOSPC);
	assert_int_equal(famfs_entry_encode(e, 0, buf, (size_t)len, NULL), len);
	e->file.nextents = FAMFS_MAX_EXTENTS + 1;
	assert_int_equal(famfs_entry_size(e), -EINVAL);
	assert_int_equal(famfs_entry_encode(e, 0, buf, sizeof(buf), NULL), -EINVAL);
	e->type = 0;
	assert_int_equal(famfs_entry_size(e), -EINVAL);
	e->type = 99;
	assert_int_equal(famfs_entry_encode(e, 0, buf, sizeof(buf), NULL), -EINVAL);
	free(e);
}

/* "nothing is written that a replayer would refuse" (entry.c) */
static void test_encode_refused_writes_nothing(void **state)
{
	struct famfs_entry *e = good_file();
	uint8_t buf[BUFSZ], zero[BUFSZ];
	int rc;

	(void)state;
	assert_int_equal(famfs_entry_set_path(e, "bad//path"), 0);
	memset(buf, 0, sizeof(buf));
	memset(zero, 0, sizeof(zero));
	rc = famfs_entry_encode(e, test_seed(), buf, sizeof(buf), NULL);
	free(e);
	assert_int_equal(rc, -EFSCORRUPTED);
	if (memcmp(buf, zero, sizeof(buf)))
		fail_msg("a refused entry was written to the buffer");
}

static void test_set_path(void **state)
{
	struct famfs_entry *e = new_entry(FAMFS_ENTRY_MKDIR, NULL);
	char *p = malloc(1025);

	(void)state;
	assert_non_null(p);
	memset(p, 'x', 1024);
	p[1024] = '\0';
	assert_int_equal(famfs_entry_set_path(e, p), -ENAMETOOLONG);
	p[1023] = '\0';
	assert_int_equal(famfs_entry_set_path(e, p), 0);
	assert_int_equal(e->path_len, 1023);
	assert_int_equal(e->path[1023], '\0');
	assert_int_equal(famfs_entry_set_path(e, "ab"), 0);
	assert_int_equal(e->path_len, 2);
	assert_string_equal(e->path, "ab");
	free(p);
	free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reject_file_len_mismatch),
		cmocka_unit_test(test_reject_file_too_short),
		cmocka_unit_test(test_reject_file_flags),
		cmocka_unit_test(test_reject_file_reserved),
		cmocka_unit_test(test_reject_size_zero),
		cmocka_unit_test(test_reject_mode_bits),
		cmocka_unit_test(test_reject_nextents_zero),
		cmocka_unit_test(test_reject_nextents_33),
		cmocka_unit_test(test_reject_ext_type),
		cmocka_unit_test(test_reject_simple_with_chunk),
		cmocka_unit_test(test_reject_simple_short),
		cmocka_unit_test(test_reject_simple_len_sum_overflow),
		cmocka_unit_test(test_reject_strip_short),
		cmocka_unit_test(test_strip_boundary_table),
		cmocka_unit_test(test_reject_strip_coverage_overflow),
		cmocka_unit_test(test_reject_chunk_not_pow2),
		cmocka_unit_test(test_reject_ext_dev_index),
		cmocka_unit_test(test_reject_ext_overflow),
		cmocka_unit_test(test_reject_ext_len_zero),
		cmocka_unit_test(test_reject_ext_reserved),
		cmocka_unit_test(test_reject_path_not_terminated),
		cmocka_unit_test(test_reject_path_padding),
		cmocka_unit_test(test_reject_path_dotdot),
		cmocka_unit_test(test_reject_path_dot),
		cmocka_unit_test(test_reject_path_empty_component),
		cmocka_unit_test(test_reject_path_absolute),
		cmocka_unit_test(test_reject_path_nul_inside),
		cmocka_unit_test(test_reject_path_meta),
		cmocka_unit_test(test_reject_path_1024),
		cmocka_unit_test(test_reject_path_long_no_overflow),
		cmocka_unit_test(test_reject_mkdir_fields),
		cmocka_unit_test(test_reject_mkdir_too_short),
		cmocka_unit_test(test_reject_daxdev_index),
		cmocka_unit_test(test_reject_daxdev_uuid),
		cmocka_unit_test(test_reject_daxdev_size),
		cmocka_unit_test(test_reject_daxdev_reserved_len),
		cmocka_unit_test(test_every_byte_file),
		cmocka_unit_test(test_every_byte_mkdir),
		cmocka_unit_test(test_every_byte_daxdev),
		cmocka_unit_test(test_encode_refuses),
		cmocka_unit_test(test_encode_bad_size),
		cmocka_unit_test(test_encode_refused_writes_nothing),
		cmocka_unit_test(test_set_path),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
