// SPDX-License-Identifier: Apache-2.0
/*
 * Log entries (entry.c): golden images, round trips and the rejections of
 * an entry's header by famfs_entry_decode.  The rejections of the bodies
 * are in test_entry_reject.c; the builders in entry_util.h.
 */
#include "entry_util.h"

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
	assert_int_equal(famfs_entry_encode(e, test_seed(), got, sizeof(got), NULL),
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

	assert_int_equal(famfs_entry_encode(e, test_seed(), got, sizeof(got), NULL),
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

	assert_int_equal(famfs_entry_encode(e, test_seed(), got, sizeof(got), NULL),
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
	assert_int_equal(famfs_entry_encode(e, test_seed(), got, sizeof(got), NULL),
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
		len = famfs_entry_encode(e, test_seed(), buf, sizeof(buf), NULL);
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
				       sizeof(buf), NULL) > 0);
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
	static const uint16_t types[] = { 0, 8, 99, 0xffff };
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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
