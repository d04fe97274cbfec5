// SPDX-License-Identifier: Apache-2.0
/*
 * Log entries (entry.c): golden images, round trips and every rejection of
 * famfs_entry_decode.  Invalid entries are built byte by byte here at the
 * offsets omf.h documents and sealed with a valid CRC, so each case reaches
 * the one check it is about.
 */
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "famfs.h"
#include "unit_util.h"

#define BUFSZ		8192
#define FILE_SEQ	7

static uint32_t test_seed(void)
{
	uint8_t u[16];

	ut_uuid(u, 0x10);
	return ref_crc32c(0, u, 16);
}

static uint32_t align8(uint32_t v)
{
	return (v + 7) & ~7u;
}

/* Recompute e_crc over [4, e_len) with the fs seed. */
static void reseal(uint8_t *b)
{
	uint32_t len = get_le32(b + 4);

	put_le32(b, ref_crc32c(test_seed(), b + 4, len - 4));
}

/* ---- raw FILE entries, built from the documented layout ---------------- */

struct raw_ext {
	uint32_t dev, reserved;
	uint64_t off, len;
};

struct raw_file {
	uint64_t seq, size, chunk;
	uint32_t mode, uid, gid, flags;
	uint16_t ext_type, n, plen, reserved;
	struct raw_ext x[40];
	char path[4100];
};

/* Valid: 3 MiB simple file "dir/file0" in two extents. */
static void rf_default(struct raw_file *r)
{
	memset(r, 0, sizeof(*r));
	r->seq = FILE_SEQ;
	r->size = 0x300000;
	r->mode = 0644;
	r->uid = 1000;
	r->gid = 1001;
	r->ext_type = FAMFS_EXT_SIMPLE;
	r->n = 2;
	r->x[0] = (struct raw_ext){ .dev = 0, .off = 0xa00000, .len = 0x200000 };
	r->x[1] = (struct raw_ext){ .dev = 1, .off = 0x200000, .len = 0x100000 };
	memcpy(r->path, "dir/file0", 9);
	r->plen = 9;
}

static void rf_set_path(struct raw_file *r, const char *p, size_t n)
{
	memcpy(r->path, p, n);
	r->plen = (uint16_t)n;
}

static uint32_t rf_build(const struct raw_file *r, uint8_t *b)
{
	uint32_t len = align8(0x18 + 0x28 + 24u * r->n + r->plen + 1);
	uint8_t *x = b + 0x40;

	memset(b, 0, len);
	put_le32(b + 0x04, len);
	put_le64(b + 0x08, r->seq);
	put_le16(b + 0x10, FAMFS_ENTRY_FILE);
	put_le64(b + 0x18, r->size);
	put_le64(b + 0x20, r->chunk);
	put_le32(b + 0x28, r->mode);
	put_le32(b + 0x2c, r->uid);
	put_le32(b + 0x30, r->gid);
	put_le32(b + 0x34, r->flags);
	put_le16(b + 0x38, r->ext_type);
	put_le16(b + 0x3a, r->n);
	put_le16(b + 0x3c, r->plen);
	put_le16(b + 0x3e, r->reserved);
	for (int i = 0; i < r->n; i++, x += 24) {
		put_le32(x + 0x00, r->x[i].dev);
		put_le32(x + 0x04, r->x[i].reserved);
		put_le64(x + 0x08, r->x[i].off);
		put_le64(x + 0x10, r->x[i].len);
	}
	memcpy(x, r->path, r->plen);
	reseal(b);
	return len;
}

static uint32_t raw_mkdir(uint8_t *b, uint64_t seq, uint32_t mode,
			  const char *path, uint16_t plen)
{
	uint32_t len = align8(0x18 + 0x10 + plen + 1);

	memset(b, 0, len);
	put_le32(b + 0x04, len);
	put_le64(b + 0x08, seq);
	put_le16(b + 0x10, FAMFS_ENTRY_MKDIR);
	put_le32(b + 0x18, mode);
	put_le32(b + 0x1c, 0);
	put_le32(b + 0x20, 0);
	put_le16(b + 0x24, plen);
	memcpy(b + 0x28, path, plen);
	reseal(b);
	return len;
}

static uint32_t raw_daxdev(uint8_t *b, uint64_t seq, uint8_t uuid_first,
			   uint64_t size, uint32_t index)
{
	memset(b, 0, 0x38);
	put_le32(b + 0x04, 0x38);
	put_le64(b + 0x08, seq);
	put_le16(b + 0x10, FAMFS_ENTRY_ADD_DAXDEV);
	if (uuid_first)
		ut_uuid(b + 0x18, uuid_first);
	put_le64(b + 0x28, size);
	put_le32(b + 0x30, index);
	reseal(b);
	return 0x38;
}

/* ---- decode expectations ---------------------------------------------- */

static void expect_decode(const uint8_t *b, size_t room, uint64_t seq,
			  int err, const char *needle)
{
	struct famfs_entry *e = malloc(sizeof(*e));
	struct famfs_why why = { "" };
	int rc;

	assert_non_null(e);
	rc = famfs_entry_decode(b, room, seq, test_seed(), e, &why);
	free(e);
	if (rc != err)
		fail_msg("decode returned %d, expected %d (%s)", rc, err,
			 why.msg);
	if (needle && !strstr(why.msg, needle))
		fail_msg("why '%s' lacks '%s'", why.msg, needle);
}

static void expect_file_ok(const struct raw_file *r)
{
	uint8_t buf[BUFSZ];

	rf_build(r, buf);
	expect_decode(buf, sizeof(buf), r->seq, 0, NULL);
}

static void expect_file_bad(const struct raw_file *r, const char *needle)
{
	uint8_t buf[BUFSZ];

	rf_build(r, buf);
	expect_decode(buf, sizeof(buf), r->seq, -EUCLEAN, needle);
}

/* ---- native entries --------------------------------------------------- */

static struct famfs_entry *new_entry(uint32_t type, const char *path)
{
	struct famfs_entry *e = calloc(1, sizeof(*e));

	assert_non_null(e);
	e->type = type;
	if (path)
		assert_int_equal(famfs_entry_set_path(e, path), 0);
	return e;
}

static void assert_entry_equal(const struct famfs_entry *a,
			       const struct famfs_entry *b)
{
	assert_int_equal(a->seq, b->seq);
	assert_int_equal(a->type, b->type);
	assert_int_equal(a->path_len, b->path_len);
	assert_memory_equal(a->path, b->path, a->path_len + 1);
	switch (a->type) {
	case FAMFS_ENTRY_FILE:
		assert_int_equal(a->file.size, b->file.size);
		assert_int_equal(a->file.chunk, b->file.chunk);
		assert_int_equal(a->file.mode, b->file.mode);
		assert_int_equal(a->file.uid, b->file.uid);
		assert_int_equal(a->file.gid, b->file.gid);
		assert_int_equal(a->file.ext_type, b->file.ext_type);
		assert_int_equal(a->file.nextents, b->file.nextents);
		for (uint32_t i = 0; i < a->file.nextents; i++) {
			assert_int_equal(a->file.ext[i].dev, b->file.ext[i].dev);
			assert_int_equal(a->file.ext[i].offset,
					 b->file.ext[i].offset);
			assert_int_equal(a->file.ext[i].len, b->file.ext[i].len);
		}
		break;
	case FAMFS_ENTRY_MKDIR:
		assert_int_equal(a->dir.mode, b->dir.mode);
		assert_int_equal(a->dir.uid, b->dir.uid);
		assert_int_equal(a->dir.gid, b->dir.gid);
		break;
	case FAMFS_ENTRY_ADD_DAXDEV:
		assert_memory_equal(a->dev.uuid, b->dev.uuid, 16);
		assert_int_equal(a->dev.size, b->dev.size);
		assert_int_equal(a->dev.index, b->dev.index);
		break;
	default:
		fail_msg("unexpected type %u", a->type);
	}
}

/* Encode, check the length, decode, compare. */
static void round_trip(const struct famfs_entry *e)
{
	struct famfs_entry *d = calloc(1, sizeof(*d));
	struct famfs_why why = { "" };
	uint8_t buf[BUFSZ];
	int len, rc;

	assert_non_null(d);
	memset(buf, 0xcc, sizeof(buf));
	len = famfs_entry_encode(e, test_seed(), buf, sizeof(buf));
	assert_int_equal(len, famfs_entry_size(e));
	assert_int_equal(len % 8, 0);
	assert_int_equal(get_le32(buf + 4), (uint32_t)len);
	/* decoding needs no more room than the entry */
	rc = famfs_entry_decode(buf, (size_t)len, e->seq, test_seed(), d, &why);
	if (rc)
		fail_msg("decode %d: %s", rc, why.msg);
	assert_int_equal(d->len, (uint32_t)len);
	assert_entry_equal(d, e);
	free(d);
}

/* ---- golden images ---------------------------------------------------- */

static void test_golden_file(void **state)
{
	struct famfs_entry *e = new_entry(FAMFS_ENTRY_FILE, "dir/file0");
	uint8_t want[0x68], got[BUFSZ];

	(void)state;
	e->seq = 5;
	e->file = (struct famfs_file_info){
		.size = 0x1234, .mode = 0644, .uid = 1000, .gid = 1001,
		.ext_type = FAMFS_EXT_SIMPLE, .nextents = 1,
		.ext[0] = { .dev = 2, .offset = 0xa00000, .len = 0x200000 },
	};
	memset(want, 0, sizeof(want));
	put_le32(want + 0x04, 0x68);		/* e_len */
	put_le64(want + 0x08, 5);		/* e_seq */
	put_le16(want + 0x10, 1);		/* e_type FILE */
	put_le64(want + 0x18, 0x1234);		/* f_size */
	put_le64(want + 0x20, 0);		/* f_chunk_size */
	put_le32(want + 0x28, 0644);		/* f_mode */
	put_le32(want + 0x2c, 1000);		/* f_uid */
	put_le32(want + 0x30, 1001);		/* f_gid */
	put_le16(want + 0x38, 0);		/* f_ext_type SIMPLE */
	put_le16(want + 0x3a, 1);		/* f_nextents */
	put_le16(want + 0x3c, 9);		/* f_path_len */
	put_le32(want + 0x40, 2);		/* x_dev_index */
	put_le64(want + 0x48, 0xa00000);	/* x_offset */
	put_le64(want + 0x50, 0x200000);	/* x_len */
	memcpy(want + 0x58, "dir/file0", 9);	/* NUL and padding: zero */
	put_le32(want + 0x00, ref_crc32c(test_seed(), want + 4, 0x68 - 4));

	memset(got, 0xee, sizeof(got));
	assert_int_equal(famfs_entry_size(e), 0x68);
	assert_int_equal(famfs_entry_encode(e, test_seed(), got, sizeof(got)),
			 0x68);
	assert_memory_equal(got, want, sizeof(want));
	/* nothing past the entry is touched */
	assert_int_equal(got[0x68], 0xee);
	free(e);
}

static void test_golden_file_interleaved(void **state)
{
	struct famfs_entry *e = new_entry(FAMFS_ENTRY_FILE, "s");
	uint8_t want[0x78], got[BUFSZ];

	(void)state;
	e->seq = 0x0102030405060708ull;
	e->file = (struct famfs_file_info){
		.size = 0x500000, .chunk = 0x100000, .mode = 04755,
		.uid = 0xa1b2c3d4, .gid = 0x11223344,
		.ext_type = FAMFS_EXT_INTERLEAVE, .nextents = 2,
		.ext[0] = { .dev = 3, .offset = 0x0a0b0c0d0e0f0000ull,
			    .len = 0x300000 },
		.ext[1] = { .dev = 63, .offset = 0x400000, .len = 0x300000 },
	};
	memset(want, 0, sizeof(want));
	put_le32(want + 0x04, 0x78);
	put_le64(want + 0x08, 0x0102030405060708ull);
	put_le16(want + 0x10, 1);
	put_le64(want + 0x18, 0x500000);
	put_le64(want + 0x20, 0x100000);
	put_le32(want + 0x28, 04755);
	put_le32(want + 0x2c, 0xa1b2c3d4);
	put_le32(want + 0x30, 0x11223344);
	put_le16(want + 0x38, 1);		/* INTERLEAVE */
	put_le16(want + 0x3a, 2);
	put_le16(want + 0x3c, 1);
	put_le32(want + 0x40, 3);
	put_le64(want + 0x48, 0x0a0b0c0d0e0f0000ull);
	put_le64(want + 0x50, 0x300000);
	put_le32(want + 0x58, 63);
	put_le64(want + 0x60, 0x400000);
	put_le64(want + 0x68, 0x300000);
	want[0x70] = 's';
	put_le32(want + 0x00, ref_crc32c(test_seed(), want + 4, 0x78 - 4));

	assert_int_equal(famfs_entry_encode(e, test_seed(), got, sizeof(got)),
			 0x78);
	assert_memory_equal(got, want, sizeof(want));
	free(e);
}

static void test_golden_mkdir(void **state)
{
	struct famfs_entry *e = new_entry(FAMFS_ENTRY_MKDIR, "dir");
	uint8_t want[0x30], got[BUFSZ];

	(void)state;
	e->seq = 0;
	e->dir = (struct famfs_dir_info){ .mode = 0755, .uid = 7, .gid = 8 };
	memset(want, 0, sizeof(want));
	put_le32(want + 0x04, 0x30);
	put_le64(want + 0x08, 0);
	put_le16(want + 0x10, 2);		/* MKDIR */
	put_le32(want + 0x18, 0755);		/* d_mode */
	put_le32(want + 0x1c, 7);		/* d_uid */
	put_le32(want + 0x20, 8);		/* d_gid */
	put_le16(want + 0x24, 3);		/* d_path_len */
	memcpy(want + 0x28, "dir", 3);
	put_le32(want + 0x00, ref_crc32c(test_seed(), want + 4, 0x30 - 4));

	assert_int_equal(famfs_entry_encode(e, test_seed(), got, sizeof(got)),
			 0x30);
	assert_memory_equal(got, want, sizeof(want));
	free(e);
}

static void test_golden_daxdev(void **state)
{
	struct famfs_entry *e = new_entry(FAMFS_ENTRY_ADD_DAXDEV, NULL);
	uint8_t want[0x38], got[BUFSZ];

	(void)state;
	e->seq = 3;
	ut_uuid(e->dev.uuid, 0x40);
	e->dev.size = 0x0000000280000000ull;
	e->dev.index = 1;
	memset(want, 0, sizeof(want));
	put_le32(want + 0x04, 0x38);
	put_le64(want + 0x08, 3);
	put_le16(want + 0x10, 3);		/* ADD_DAXDEV */
	ut_uuid(want + 0x18, 0x40);		/* a_dev_uuid */
	put_le64(want + 0x28, 0x280000000ull);	/* a_dev_size */
	put_le32(want + 0x30, 1);		/* a_dev_index */
	put_le32(want + 0x00, ref_crc32c(test_seed(), want + 4, 0x38 - 4));

	assert_int_equal(famfs_entry_size(e), 0x38);
	assert_int_equal(famfs_entry_encode(e, test_seed(), got, sizeof(got)),
			 0x38);
	assert_memory_equal(got, want, sizeof(want));
	free(e);
}

/* The hand builders agree with decode (they are used for rejections). */
static void test_raw_builders_decode(void **state)
{
	struct famfs_entry *e = calloc(1, sizeof(*e));
	struct raw_file r;
	uint8_t buf[BUFSZ];
	uint32_t len;

	(void)state;
	assert_non_null(e);
	rf_default(&r);
	len = rf_build(&r, buf);
	assert_int_equal(famfs_entry_decode(buf, len, FILE_SEQ, test_seed(), e,
					    NULL), 0);
	assert_int_equal(e->len, len);
	assert_int_equal(e->file.nextents, 2);
	assert_int_equal(e->file.ext[1].dev, 1);
	assert_int_equal(e->file.ext[1].len, 0x100000);
	assert_string_equal(e->path, "dir/file0");

	len = raw_mkdir(buf, 4, 0700, "a/b", 3);
	assert_int_equal(famfs_entry_decode(buf, len, 4, test_seed(), e, NULL),
			 0);
	assert_int_equal(e->type, FAMFS_ENTRY_MKDIR);
	assert_int_equal(e->dir.mode, 0700);
	assert_string_equal(e->path, "a/b");

	len = raw_daxdev(buf, 9, 0x77, 4096, 63);
	assert_int_equal(famfs_entry_decode(buf, len, 9, test_seed(), e, NULL),
			 0);
	assert_int_equal(e->dev.index, 63);
	assert_int_equal(e->dev.size, 4096);
	assert_int_equal(e->path_len, 0);
	free(e);
}

/* ---- round trips ------------------------------------------------------ */

static void test_round_trip_simple(void **state)
{
	(void)state;
	for (uint32_t n = 1; n <= FAMFS_MAX_EXTENTS; n++) {
		struct famfs_entry *e = new_entry(FAMFS_ENTRY_FILE, NULL);
		char path[64];

		snprintf(path, sizeof(path), "d%u/file-%u", n, n * 37);
		assert_int_equal(famfs_entry_set_path(e, path), 0);
		e->seq = 1000 + n;
		e->file.mode = (n * 0421) & 07777;
		e->file.uid = n;
		e->file.gid = 0xffffffffu - n;
		e->file.ext_type = FAMFS_EXT_SIMPLE;
		e->file.nextents = n;
		for (uint32_t i = 0; i < n; i++) {
			e->file.ext[i].dev = (i * 7) % FAMFS_MAX_DEVICES;
			e->file.ext[i].offset = (uint64_t)(i + 1) << 32;
			e->file.ext[i].len = 0x200000 + 0x1000 * i;
			e->file.size += e->file.ext[i].len;
		}
		e->file.size -= n;	/* the last extent may be partly used */
		round_trip(e);
		free(e);
	}
}

static void test_round_trip_interleaved(void **state)
{
	const uint64_t chunk = 0x200000;

	(void)state;
	for (uint32_t n = 1; n <= FAMFS_MAX_STRIPS; n++) {
		struct famfs_entry *e = new_entry(FAMFS_ENTRY_FILE, "i/x");

		e->seq = n;
		e->file.mode = 0600;
		e->file.ext_type = FAMFS_EXT_INTERLEAVE;
		e->file.chunk = chunk;
		e->file.nextents = n;
		/* 3n chunks minus a bit: each strip holds exactly 3 chunks */
		e->file.size = 3 * n * chunk - 5;
		for (uint32_t i = 0; i < n; i++) {
			e->file.ext[i].dev = i + 1;
			e->file.ext[i].offset = 0x400000 + i * 3 * chunk;
			e->file.ext[i].len = 3 * chunk;
		}
		round_trip(e);
		free(e);
	}
}

static void test_round_trip_longest(void **state)
{
	struct famfs_entry *e = new_entry(FAMFS_ENTRY_FILE, NULL);

	(void)state;
	for (int i = 0; i < 1023; i++)
		e->path[i] = (i % 101 == 100) ? '/' : 'a' + i % 26;
	e->path[1023] = '\0';
	e->path_len = 1023;
	e->seq = UINT64_MAX - 1;
	e->file.size = UINT64_MAX;
	e->file.mode = 07777;
	e->file.nextents = FAMFS_MAX_EXTENTS;
	/* 31 extents of 2^59 and one of 2^59 - 1: exactly 2^64 - 1 bytes */
	for (uint32_t i = 0; i < FAMFS_MAX_EXTENTS; i++) {
		e->file.ext[i].dev = FAMFS_MAX_DEVICES - 1;
		e->file.ext[i].offset = 0;
		e->file.ext[i].len = 1ull << 59;
	}
	e->file.ext[FAMFS_MAX_EXTENTS - 1].len--;
	assert_int_equal(famfs_entry_size(e),
			 align8(24 + 40 + 32 * 24 + 1023 + 1));
	round_trip(e);
	free(e);
}

static void test_round_trip_mkdir_daxdev(void **state)
{
	struct famfs_entry *e = new_entry(FAMFS_ENTRY_MKDIR, "top/sub");

	(void)state;
	e->seq = 42;
	e->dir = (struct famfs_dir_info){ .mode = 01777, .uid = 0, .gid = 5 };
	round_trip(e);
	free(e);

	e = new_entry(FAMFS_ENTRY_ADD_DAXDEV, NULL);
	e->seq = 1;
	ut_uuid(e->dev.uuid, 0xf0);
	e->dev.size = UINT64_MAX;
	e->dev.index = 63;
	round_trip(e);
	free(e);
}

/* Every path length pads to the next multiple of 8 with zeros. */
static void test_padding_every_length(void **state)
{
	char path[80];

	(void)state;
	for (size_t n = 1; n < sizeof(path); n++) {
		struct famfs_entry *e;
		uint8_t buf[BUFSZ];
		int len;

		memset(path, 'p', n);
		path[n] = '\0';
		e = new_entry(FAMFS_ENTRY_MKDIR, path);
		e->seq = n;
		e->dir.mode = 0755;
		memset(buf, 0xff, sizeof(buf));
		len = famfs_entry_encode(e, test_seed(), buf, sizeof(buf));
		assert_int_equal(len, align8(24 + 16 + (uint32_t)n + 1));
		for (int i = 0x28 + (int)n; i < len; i++)
			assert_int_equal(buf[i], 0);
		round_trip(e);
		free(e);
	}
}

/* ---- header rejections ------------------------------------------------ */

static void test_reject_wrong_seq(void **state)
{
	struct raw_file r;
	uint8_t buf[BUFSZ];

	(void)state;
	rf_default(&r);
	rf_build(&r, buf);
	expect_decode(buf, sizeof(buf), FILE_SEQ + 1, -EUCLEAN, "sequence");
	expect_decode(buf, sizeof(buf), FILE_SEQ - 1, -EUCLEAN, "sequence");
	expect_decode(buf, sizeof(buf), FILE_SEQ, 0, NULL);
}

static void test_reject_bad_crc(void **state)
{
	struct raw_file r;
	uint8_t buf[BUFSZ];

	(void)state;
	rf_default(&r);
	rf_build(&r, buf);
	buf[0] ^= 1;
	expect_decode(buf, sizeof(buf), FILE_SEQ, -EBADMSG, "checksum");
	buf[0] ^= 1;
	buf[0x58] ^= 0x20;		/* "dir/file0" -> "DIR/file0" */
	expect_decode(buf, sizeof(buf), FILE_SEQ, -EBADMSG, "checksum");
}

/* A CRC made with another filesystem's seed does not validate. */
static void test_reject_other_seed(void **state)
{
	struct famfs_entry *e = new_entry(FAMFS_ENTRY_MKDIR, "x");
	struct famfs_entry *d = calloc(1, sizeof(*d));
	uint8_t buf[BUFSZ];

	(void)state;
	e->dir.mode = 0755;
	assert_true(famfs_entry_encode(e, test_seed() ^ 1, buf,
				       sizeof(buf)) > 0);
	assert_int_equal(famfs_entry_decode(buf, sizeof(buf), 0, test_seed(),
					    d, NULL), -EBADMSG);
	free(d);
	free(e);
}

static void test_reject_zeroed_memory(void **state)
{
	uint8_t buf[BUFSZ];

	(void)state;
	memset(buf, 0, sizeof(buf));
	expect_decode(buf, sizeof(buf), 0, -ENODATA, NULL);
}

static void test_reject_len_unaligned(void **state)
{
	struct raw_file r;
	uint8_t buf[BUFSZ];
	uint32_t len;

	(void)state;
	rf_default(&r);
	len = rf_build(&r, buf);
	put_le32(buf + 4, len + 4);
	reseal(buf);
	expect_decode(buf, sizeof(buf), FILE_SEQ, -EUCLEAN, "length");
	put_le32(buf + 4, len - 1);
	reseal(buf);
	expect_decode(buf, sizeof(buf), FILE_SEQ, -EUCLEAN, "length");
}

static void test_reject_len_too_big(void **state)
{
	struct raw_file r;
	uint8_t buf[BUFSZ];

	(void)state;
	rf_default(&r);
	rf_build(&r, buf);
	put_le32(buf + 4, 4096 + 8);
	reseal(buf);
	expect_decode(buf, sizeof(buf), FILE_SEQ, -EUCLEAN, "length");
	put_le32(buf + 4, 0xfffffff8u);
	expect_decode(buf, sizeof(buf), FILE_SEQ, -EUCLEAN, "length");
}

static void test_reject_len_too_small(void **state)
{
	struct raw_file r;
	uint8_t buf[BUFSZ];

	(void)state;
	rf_default(&r);
	rf_build(&r, buf);
	put_le32(buf + 4, 16);
	reseal(buf);
	expect_decode(buf, sizeof(buf), FILE_SEQ, -EUCLEAN, "length");
	put_le32(buf + 4, 0);		/* crc stays nonzero */
	expect_decode(buf, sizeof(buf), FILE_SEQ, -EUCLEAN, "length");
}

static void test_reject_len_past_room(void **state)
{
	struct raw_file r;
	uint8_t buf[BUFSZ];
	uint32_t len;

	(void)state;
	rf_default(&r);
	len = rf_build(&r, buf);
	expect_decode(buf, len, FILE_SEQ, 0, NULL);
	expect_decode(buf, len - 8, FILE_SEQ, -EUCLEAN, "length");
	expect_decode(buf, len - 1, FILE_SEQ, -EUCLEAN, "length");
	expect_decode(buf, 23, FILE_SEQ, -EUCLEAN, NULL);
	expect_decode(buf, 0, FILE_SEQ, -EUCLEAN, NULL);
}

static void test_reject_type(void **state)
{
	static const uint16_t types[] = { 0, 4, 99, 0xffff };
	struct raw_file r;
	uint8_t buf[BUFSZ];

	(void)state;
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		rf_default(&r);
		rf_build(&r, buf);
		put_le16(buf + 0x10, types[i]);
		reseal(buf);
		expect_decode(buf, sizeof(buf), FILE_SEQ, -EUCLEAN, "type");
	}
}

static void test_reject_header_flags(void **state)
{
	struct raw_file r;
	uint8_t buf[BUFSZ];

	(void)state;
	rf_default(&r);
	rf_build(&r, buf);
	put_le16(buf + 0x12, 0x8000);
	reseal(buf);
	expect_decode(buf, sizeof(buf), FILE_SEQ, -EUCLEAN, "reserved");
}

static void test_reject_header_reserved(void **state)
{
	struct raw_file r;
	uint8_t buf[BUFSZ];

	(void)state;
	rf_default(&r);
	rf_build(&r, buf);
	put_le32(buf + 0x14, 1);
	reseal(buf);
	expect_decode(buf, sizeof(buf), FILE_SEQ, -EUCLEAN, "reserved");
}

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

static void flip_all(uint8_t *buf, uint32_t len, uint64_t seq)
{
	static const uint8_t masks[] = { 0x01, 0x80, 0xff, 0x08 };
	struct famfs_entry *e = malloc(sizeof(*e));

	assert_non_null(e);
	/* room is the whole buffer: a changed e_len still stays in range */
	assert_int_equal(famfs_entry_decode(buf, BUFSZ, seq, test_seed(), e,
					    NULL), 0);
	for (uint32_t off = 0; off < len; off++) {
		for (size_t m = 0; m < sizeof(masks); m++) {
			int rc;

			buf[off] ^= masks[m];
			rc = famfs_entry_decode(buf, BUFSZ, seq, test_seed(),
						e, NULL);
			buf[off] ^= masks[m];
			if (rc >= 0)
				fail_msg("byte %#x ^ %#x of a %u-byte entry accepted",
					 off, masks[m], len);
		}
	}
	free(e);
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

static void expect_encode_fails(const struct famfs_entry *e)
{
	uint8_t buf[BUFSZ];
	int rc = famfs_entry_encode(e, test_seed(), buf, sizeof(buf));

	if (rc >= 0)
		fail_msg("encode accepted an invalid entry (%d)", rc);
}

static void test_encode_refuses(void **state)
{
	struct famfs_entry *e;
	uint8_t buf[BUFSZ];

	(void)state;
	e = good_file();
	assert_true(famfs_entry_encode(e, 1, buf, sizeof(buf)) > 0);
	assert_int_equal(famfs_entry_set_path(e, "a//b"), 0);
	expect_encode_fails(e);
	assert_int_equal(famfs_entry_set_path(e, ".meta"), 0);
	expect_encode_fails(e);
	free(e);

	e = good_file();
	e->file.mode = 010644;
	expect_encode_fails(e);
	free(e);

	e = good_file();
	e->file.size = 0;
	expect_encode_fails(e);
	free(e);

	e = good_file();
	e->file.size = 4097;
	expect_encode_fails(e);
	free(e);

	e = good_file();
	e->file.nextents = 0;
	expect_encode_fails(e);
	free(e);

	e = good_file();
	e->file.ext[0].dev = 64;
	expect_encode_fails(e);
	free(e);

	e = good_file();
	e->file.ext_type = FAMFS_EXT_INTERLEAVE;
	e->file.chunk = 3000;
	expect_encode_fails(e);
	free(e);

	e = new_entry(FAMFS_ENTRY_ADD_DAXDEV, NULL);
	ut_uuid(e->dev.uuid, 1);
	e->dev.size = 4096;
	e->dev.index = 0;
	expect_encode_fails(e);
	e->dev.index = 64;
	expect_encode_fails(e);
	free(e);
}

static void test_encode_bad_size(void **state)
{
	struct famfs_entry *e = good_file();
	uint8_t buf[BUFSZ];
	int len = famfs_entry_size(e);

	(void)state;
	assert_int_equal(len, align8(24 + 40 + 24 + 2));
	assert_int_equal(famfs_entry_encode(e, 0, buf, (size_t)len - 1),
			 -ENOSPC);
	assert_int_equal(famfs_entry_encode(e, 0, buf, (size_t)len), len);
	e->file.nextents = FAMFS_MAX_EXTENTS + 1;
	assert_int_equal(famfs_entry_size(e), -EINVAL);
	assert_int_equal(famfs_entry_encode(e, 0, buf, sizeof(buf)), -EINVAL);
	e->type = 0;
	assert_int_equal(famfs_entry_size(e), -EINVAL);
	e->type = 99;
	assert_int_equal(famfs_entry_encode(e, 0, buf, sizeof(buf)), -EINVAL);
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
	rc = famfs_entry_encode(e, test_seed(), buf, sizeof(buf));
	free(e);
	assert_true(rc < 0);
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
		cmocka_unit_test(test_golden_file),
		cmocka_unit_test(test_golden_file_interleaved),
		cmocka_unit_test(test_golden_mkdir),
		cmocka_unit_test(test_golden_daxdev),
		cmocka_unit_test(test_raw_builders_decode),
		cmocka_unit_test(test_round_trip_simple),
		cmocka_unit_test(test_round_trip_interleaved),
		cmocka_unit_test(test_round_trip_longest),
		cmocka_unit_test(test_round_trip_mkdir_daxdev),
		cmocka_unit_test(test_padding_every_length),
		cmocka_unit_test(test_reject_wrong_seq),
		cmocka_unit_test(test_reject_bad_crc),
		cmocka_unit_test(test_reject_other_seed),
		cmocka_unit_test(test_reject_zeroed_memory),
		cmocka_unit_test(test_reject_len_unaligned),
		cmocka_unit_test(test_reject_len_too_big),
		cmocka_unit_test(test_reject_len_too_small),
		cmocka_unit_test(test_reject_len_past_room),
		cmocka_unit_test(test_reject_type),
		cmocka_unit_test(test_reject_header_flags),
		cmocka_unit_test(test_reject_header_reserved),
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
