// SPDX-License-Identifier: Apache-2.0
/*
 * Superblock encode/decode and geometry rules (sb.c).  Expected on-media
 * images are written here byte by byte at the offsets omf.h documents, never
 * through struct famfs_dsb, so a layout change in omf.h breaks these tests.
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

#define SB_SIZE		512
#define DEV_SIZE	0x123456000ull

static void assert_msg_has(const struct famfs_why *why, const char *needle)
{
	if (!strstr(why->msg, needle))
		fail_msg("why '%s' lacks '%s'", why->msg, needle);
}

/* A valid primary: 8 MiB log, 2 MiB units, device DEV_SIZE. */
static void valid_primary(struct famfs_sb_info *s)
{
	memset(s, 0, sizeof(*s));
	s->version = 1;
	s->flags = FAMFS_SB_PRIMARY;
	ut_uuid(s->fs_uuid, 0x10);
	ut_uuid(s->dev_uuid, 0x20);
	ut_uuid(s->master_uuid, 0x30);
	s->dev_size = DEV_SIZE;
	s->alloc_unit = 0x200000;
	s->log_offset = 0x200000;
	s->log_len = 0x800000;
	s->data_offset = 0xa00000;
	s->mkfs_time = 0x65a1b2c3;
}

/* A valid secondary device with index 5. */
static void valid_secondary(struct famfs_sb_info *s)
{
	memset(s, 0, sizeof(*s));
	s->version = 1;
	s->flags = 0;
	s->dev_index = 5;
	ut_uuid(s->fs_uuid, 0x10);
	ut_uuid(s->dev_uuid, 0x50);
	ut_uuid(s->master_uuid, 0x30);
	ut_uuid(s->primary_uuid, 0x20);
	s->dev_size = 0x40000000;
	s->alloc_unit = 0x200000;
	s->data_offset = 0x200000;
	s->mkfs_time = 0x65a1b2c3;
}

/* The expected 512 bytes of @s, built from the documented offsets. */
static void sb_by_hand(const struct famfs_sb_info *s, uint8_t *b)
{
	memset(b, 0, SB_SIZE);
	put_le64(b + 0x000, 0x31425353464d4146ull);
	put_le32(b + 0x008, s->version);
	put_le32(b + 0x00c, s->flags);
	put_le32(b + 0x010, s->compat);
	put_le32(b + 0x014, s->incompat);
	put_le32(b + 0x018, s->ro_compat);
	put_le32(b + 0x01c, s->dev_index);
	memcpy(b + 0x020, s->fs_uuid, 16);
	memcpy(b + 0x030, s->dev_uuid, 16);
	memcpy(b + 0x040, s->master_uuid, 16);
	memcpy(b + 0x050, s->primary_uuid, 16);
	put_le64(b + 0x060, s->dev_size);
	put_le64(b + 0x068, s->alloc_unit);
	put_le64(b + 0x070, s->log_offset);
	put_le64(b + 0x078, s->log_len);
	put_le64(b + 0x080, s->data_offset);
	put_le64(b + 0x088, s->mkfs_time);
	put_le32(b + 0x1fc, ref_crc32c(0, b, 0x1fc));
}

/* Recompute the CRC after a deliberate change of a field. */
static void reseal(uint8_t *b)
{
	put_le32(b + 0x1fc, ref_crc32c(0, b, 0x1fc));
}

static void assert_sb_equal(const struct famfs_sb_info *a,
			    const struct famfs_sb_info *b)
{
	assert_int_equal(a->version, b->version);
	assert_int_equal(a->flags, b->flags);
	assert_int_equal(a->compat, b->compat);
	assert_int_equal(a->incompat, b->incompat);
	assert_int_equal(a->ro_compat, b->ro_compat);
	assert_int_equal(a->dev_index, b->dev_index);
	assert_memory_equal(a->fs_uuid, b->fs_uuid, 16);
	assert_memory_equal(a->dev_uuid, b->dev_uuid, 16);
	assert_memory_equal(a->master_uuid, b->master_uuid, 16);
	assert_memory_equal(a->primary_uuid, b->primary_uuid, 16);
	assert_int_equal(a->dev_size, b->dev_size);
	assert_int_equal(a->alloc_unit, b->alloc_unit);
	assert_int_equal(a->log_offset, b->log_offset);
	assert_int_equal(a->log_len, b->log_len);
	assert_int_equal(a->data_offset, b->data_offset);
	assert_int_equal(a->mkfs_time, b->mkfs_time);
}

/* Every field a distinct value, so a swapped or shifted field shows. */
static void test_encode_golden_distinct(void **state)
{
	struct famfs_sb_info s = {
		.version = 0x11223344, .flags = 0x55667788,
		.compat = 0x99aabbcc, .incompat = 0xddeeff01,
		.ro_compat = 0x02030405, .dev_index = 0x06070809,
		.dev_size = 0x0102030405060708ull,
		.alloc_unit = 0x1112131415161718ull,
		.log_offset = 0x2122232425262728ull,
		.log_len = 0x3132333435363738ull,
		.data_offset = 0x4142434445464748ull,
		.mkfs_time = 0x5152535455565758ull,
	};
	uint8_t want[SB_SIZE], got[SB_SIZE];

	(void)state;
	ut_uuid(s.fs_uuid, 0x60);
	ut_uuid(s.dev_uuid, 0x70);
	ut_uuid(s.master_uuid, 0x80);
	ut_uuid(s.primary_uuid, 0x90);
	sb_by_hand(&s, want);
	memset(got, 0xa5, sizeof(got));
	famfs_sb_encode(&s, got);
	assert_memory_equal(got, want, SB_SIZE);
}

static void test_encode_golden_valid(void **state)
{
	struct famfs_sb_info s;
	uint8_t want[SB_SIZE], got[SB_SIZE];

	(void)state;
	valid_primary(&s);
	sb_by_hand(&s, want);
	famfs_sb_encode(&s, got);
	assert_memory_equal(got, want, SB_SIZE);
	valid_secondary(&s);
	sb_by_hand(&s, want);
	famfs_sb_encode(&s, got);
	assert_memory_equal(got, want, SB_SIZE);
}

/* A literal image of valid_primary(): any layout change breaks this. */
static void test_encode_hexdump(void **state)
{
	static const uint8_t head[0x90] = {
		/* 0x000 magic "FAMFSSB1", version 1, flags PRIMARY */
		0x46, 0x41, 0x4d, 0x46, 0x53, 0x53, 0x42, 0x31,
		0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
		/* 0x010 compat, incompat, ro_compat, dev_index */
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		/* 0x020 fs uuid */
		0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17,
		0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f,
		/* 0x030 dev uuid */
		0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27,
		0x28, 0x29, 0x2a, 0x2b, 0x2c, 0x2d, 0x2e, 0x2f,
		/* 0x040 master uuid */
		0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37,
		0x38, 0x39, 0x3a, 0x3b, 0x3c, 0x3d, 0x3e, 0x3f,
		/* 0x050 primary uuid (none) */
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		/* 0x060 dev_size 0x123456000, alloc_unit 2 MiB */
		0x00, 0x60, 0x45, 0x23, 0x01, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x20, 0x00, 0x00, 0x00, 0x00, 0x00,
		/* 0x070 log_offset 2 MiB, log_len 8 MiB */
		0x00, 0x00, 0x20, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00,
		/* 0x080 data_offset 10 MiB, mkfs_time 0x65a1b2c3 */
		0x00, 0x00, 0xa0, 0x00, 0x00, 0x00, 0x00, 0x00,
		0xc3, 0xb2, 0xa1, 0x65, 0x00, 0x00, 0x00, 0x00,
	};
	static const uint8_t crc[4] = { 0xf3, 0x84, 0xc8, 0x08 };
	struct famfs_sb_info s;
	uint8_t got[SB_SIZE];

	(void)state;
	valid_primary(&s);
	memset(got, 0xff, sizeof(got));
	famfs_sb_encode(&s, got);
	assert_memory_equal(got, head, sizeof(head));
	for (int i = 0x90; i < 0x1fc; i++)
		assert_int_equal(got[i], 0);
	assert_memory_equal(got + 0x1fc, crc, 4);
}

static void test_decode_round_trip(void **state)
{
	struct famfs_sb_info s, d;
	struct famfs_why why = { "" };
	uint8_t buf[SB_SIZE];

	(void)state;
	valid_primary(&s);
	famfs_sb_encode(&s, buf);
	memset(&d, 0xee, sizeof(d));
	assert_int_equal(famfs_sb_decode(buf, DEV_SIZE, &d, &why), 0);
	assert_sb_equal(&d, &s);
	assert_true(famfs_sb_is_primary(&d));
	assert_int_equal(famfs_sb_ro_features(&d), 0);

	valid_secondary(&s);
	famfs_sb_encode(&s, buf);
	memset(&d, 0xee, sizeof(d));
	assert_int_equal(famfs_sb_decode(buf, s.dev_size, &d, &why), 0);
	assert_sb_equal(&d, &s);
	assert_false(famfs_sb_is_primary(&d));
}

/* A hand-built image decodes too: decode reads the documented layout. */
static void test_decode_hand_built(void **state)
{
	struct famfs_sb_info s, d;
	uint8_t buf[SB_SIZE];

	(void)state;
	valid_primary(&s);
	s.master_uuid[3] = 0x99;
	s.mkfs_time = 0x0102030405060708ull;
	sb_by_hand(&s, buf);
	assert_int_equal(famfs_sb_decode(buf, DEV_SIZE, &d, NULL), 0);
	assert_sb_equal(&d, &s);
}

/* dev_size 0: the caller does not know the device size; no check. */
static void test_decode_unknown_device_size(void **state)
{
	struct famfs_sb_info s, d;
	uint8_t buf[SB_SIZE];

	(void)state;
	valid_primary(&s);
	famfs_sb_encode(&s, buf);
	assert_int_equal(famfs_sb_decode(buf, 0, &d, NULL), 0);
}

/*
 * what famfs_sb_decode() refuses a damaged superblock with: no magic (no
 * superblock), unknown incompat features, damage, checksum
 */
static const int sb_errs[] = { ENODATA, EOPNOTSUPP, EFSCORRUPTED, EFSBADCRC, 0 };

static void flip_every_byte(const struct famfs_sb_info *s, uint64_t dev)
{
	static const uint8_t masks[] = { 0x01, 0x80, 0xff, 0x10 };
	uint8_t good[SB_SIZE], buf[SB_SIZE];
	struct famfs_sb_info d;
	unsigned int bad = 0;

	famfs_sb_encode(s, good);
	assert_int_equal(famfs_sb_decode(good, dev, &d, NULL), 0);
	for (int off = 0; off < SB_SIZE; off++) {
		for (size_t m = 0; m < sizeof(masks); m++) {
			struct famfs_why why = { "" };
			int rc;

			memcpy(buf, good, SB_SIZE);
			buf[off] ^= masks[m];
			rc = famfs_sb_decode(buf, dev, &d, &why);
			/*
			 * a first-use feature bit of a primary: what a cut
			 * write turning it on leaves, taken with both masks
			 */
			if (off == 0x14 && !(masks[m] & ~0x7fu) &&
			    famfs_sb_is_primary(s)) {
				assert_int_equal(rc, 0);
				assert_int_equal(d.torn_features, masks[m]);
				continue;
			}
			ut_refused(rc, sb_errs, why.msg, &bad, "byte %#x ^ %#x",
				   off, masks[m]);
		}
	}
	assert_int_equal(bad, 0);
}

static void test_every_byte_change_primary(void **state)
{
	struct famfs_sb_info s;

	(void)state;
	valid_primary(&s);
	flip_every_byte(&s, DEV_SIZE);
}

static void test_every_byte_change_secondary(void **state)
{
	struct famfs_sb_info s;

	(void)state;
	valid_secondary(&s);
	flip_every_byte(&s, s.dev_size);
}

static void test_bad_magic(void **state)
{
	struct famfs_sb_info s, d;
	struct famfs_why why = { "" };
	uint8_t buf[SB_SIZE];

	(void)state;
	valid_primary(&s);
	famfs_sb_encode(&s, buf);
	buf[7] = '2';			/* "FAMFSSB2" */
	reseal(buf);
	assert_int_equal(famfs_sb_decode(buf, DEV_SIZE, &d, &why), -ENODATA);
	assert_msg_has(&why, "magic");
	memset(buf, 0, sizeof(buf));
	assert_int_equal(famfs_sb_decode(buf, DEV_SIZE, &d, NULL), -ENODATA);
}

/* Every unknown incompat bit refuses, with valid CRC and geometry. */
static void test_unknown_incompat(void **state)
{
	struct famfs_sb_info s, d;
	uint8_t buf[SB_SIZE];

	(void)state;
	for (int bit = 0; bit < 32; bit++) {
		struct famfs_why why = { "" };

		if (FAMFS_FEATURE_INCOMPAT_SUPP & (1u << bit))
			continue;
		valid_primary(&s);
		s.incompat = 1u << bit;
		famfs_sb_encode(&s, buf);
		assert_int_equal(famfs_sb_decode(buf, DEV_SIZE, &d, &why),
				 -EOPNOTSUPP);
		assert_msg_has(&why, "upgrade famfs");
	}
}

static void test_unknown_ro_compat(void **state)
{
	struct famfs_sb_info s, d;
	uint8_t buf[SB_SIZE];

	(void)state;
	valid_primary(&s);
	s.ro_compat = 0x80000000u;
	famfs_sb_encode(&s, buf);
	assert_int_equal(famfs_sb_decode(buf, DEV_SIZE, &d, NULL), 0);
	assert_int_equal(d.ro_compat, 0x80000000u);
	assert_int_not_equal(famfs_sb_ro_features(&d), 0);
}

static void test_unknown_compat(void **state)
{
	struct famfs_sb_info s, d;
	uint8_t buf[SB_SIZE];

	(void)state;
	valid_primary(&s);
	s.compat = 0xffffffffu;
	famfs_sb_encode(&s, buf);
	assert_int_equal(famfs_sb_decode(buf, DEV_SIZE, &d, NULL), 0);
	assert_int_equal(d.compat, 0xffffffffu);
	assert_int_equal(famfs_sb_ro_features(&d), 0);
}

static void test_fs_larger_than_device(void **state)
{
	struct famfs_sb_info s, d;
	struct famfs_why why = { "" };
	uint8_t buf[SB_SIZE];

	(void)state;
	valid_primary(&s);
	famfs_sb_encode(&s, buf);
	assert_int_equal(famfs_sb_decode(buf, DEV_SIZE - 1, &d, &why),
			 -EUCLEAN);
	assert_msg_has(&why, "device has only");
	assert_int_equal(famfs_sb_decode(buf, DEV_SIZE, &d, NULL), 0);
	assert_int_equal(famfs_sb_decode(buf, DEV_SIZE + 1, &d, NULL), 0);
}

static void test_crc_mismatch(void **state)
{
	struct famfs_sb_info s, d;
	struct famfs_why why = { "" };
	uint8_t buf[SB_SIZE];

	(void)state;
	valid_primary(&s);
	famfs_sb_encode(&s, buf);
	buf[0x100] ^= 0x01;		/* reserved space */
	assert_int_equal(famfs_sb_decode(buf, DEV_SIZE, &d, &why), -EBADMSG);
	assert_msg_has(&why, "checksum");
	buf[0x100] ^= 0x01;
	buf[0x1ff] ^= 0x40;		/* the CRC itself */
	assert_int_equal(famfs_sb_decode(buf, DEV_SIZE, &d, NULL), -EBADMSG);
	buf[0x1ff] ^= 0x40;
	buf[0x08c] ^= 0x01;		/* mkfs_time: no other rule covers it */
	assert_int_equal(famfs_sb_decode(buf, DEV_SIZE, &d, NULL), -EBADMSG);
}

/* Encode @s, expect decode to fail with -EUCLEAN. */
static void expect_corrupt(const struct famfs_sb_info *s)
{
	struct famfs_sb_info d;
	struct famfs_why why = { "" };
	uint8_t buf[SB_SIZE];

	famfs_sb_encode(s, buf);
	assert_int_equal(famfs_sb_decode(buf, s->dev_size, &d, &why),
			 -EUCLEAN);
	assert_true(why.msg[0] != '\0');
}

static void expect_ok(const struct famfs_sb_info *s)
{
	struct famfs_sb_info d;
	struct famfs_why why = { "" };
	uint8_t buf[SB_SIZE];
	int rc;

	famfs_sb_encode(s, buf);
	rc = famfs_sb_decode(buf, s->dev_size, &d, &why);
	if (rc)
		fail_msg("decode failed %d: %s", rc, why.msg);
}

static void test_unknown_flags(void **state)
{
	struct famfs_sb_info s;

	(void)state;
	valid_primary(&s);
	s.flags |= 0x2;
	expect_corrupt(&s);
	valid_secondary(&s);
	s.flags = 0x80000000u;
	expect_corrupt(&s);
}

static void test_null_uuids(void **state)
{
	struct famfs_sb_info s;

	(void)state;
	valid_primary(&s);
	memset(s.fs_uuid, 0, 16);
	expect_corrupt(&s);
	valid_primary(&s);
	memset(s.dev_uuid, 0, 16);
	expect_corrupt(&s);
	valid_primary(&s);
	memset(s.master_uuid, 0, 16);	/* not required */
	expect_ok(&s);
}

static void test_primary_rules(void **state)
{
	struct famfs_sb_info s;

	(void)state;
	valid_primary(&s);
	s.dev_index = 1;
	expect_corrupt(&s);
	valid_primary(&s);
	s.primary_uuid[0] = 1;
	expect_corrupt(&s);
	valid_primary(&s);
	s.log_offset = 0x400000;
	s.data_offset = 0xc00000;
	expect_corrupt(&s);
	valid_primary(&s);
	s.data_offset += s.alloc_unit;
	expect_corrupt(&s);
	valid_primary(&s);
	s.log_len = 0x300000;		/* not a multiple of 2 MiB */
	s.data_offset = 0x600000;
	expect_corrupt(&s);
	valid_primary(&s);
	s.alloc_unit = 0x300000;
	expect_corrupt(&s);
	valid_primary(&s);
	s.dev_size = 0xa00000 + 32 * UT_MiB - 1;	/* below the minimum */
	expect_corrupt(&s);
	s.dev_size++;
	expect_ok(&s);
}

static void test_secondary_rules(void **state)
{
	struct famfs_sb_info s;

	(void)state;
	valid_secondary(&s);
	expect_ok(&s);
	s.dev_index = 1;
	expect_ok(&s);
	s.dev_index = 63;
	expect_ok(&s);
	s.dev_index = 0;
	expect_corrupt(&s);
	s.dev_index = 64;
	expect_corrupt(&s);
	s.dev_index = 0xffffffffu;
	expect_corrupt(&s);

	valid_secondary(&s);
	memset(s.primary_uuid, 0, 16);
	expect_corrupt(&s);
	valid_secondary(&s);
	s.log_offset = 0x200000;
	expect_corrupt(&s);
	valid_secondary(&s);
	s.log_len = 0x200000;
	expect_corrupt(&s);
	valid_secondary(&s);
	s.alloc_unit = 0x1800;
	expect_corrupt(&s);
	valid_secondary(&s);
	s.data_offset = 0x400000;
	expect_corrupt(&s);
	valid_secondary(&s);
	s.dev_size = 0x400000 - 1;	/* data_offset + one unit, minus 1 */
	expect_corrupt(&s);
	s.dev_size = 0x400000;
	expect_ok(&s);
	/* 1 GiB units: data starts at 1 GiB */
	valid_secondary(&s);
	s.alloc_unit = UT_GiB;
	s.data_offset = UT_GiB;
	s.dev_size = 2 * UT_GiB;
	expect_ok(&s);
}

static void test_geometry_alloc_unit(void **state)
{
	static const uint64_t bad[] = {
		0, 1, 2048, 4095, 4097, 3 * UT_MiB, 2 * UT_GiB,
		UT_GiB + 4096, 1ull << 63,
	};
	const uint64_t big = 4096 * FAMFS_DEV_UNITS_MAX;	/* 16 TiB */

	(void)state;
	for (uint64_t au = 4096; au <= UT_GiB; au <<= 1) {
		struct famfs_why why = { "" };
		int rc = famfs_check_geometry(big, 8 * UT_MiB, au, &why);

		if (rc)
			fail_msg("unit %" PRIu64 " refused: %s", au, why.msg);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct famfs_why why = { "" };

		assert_int_equal(famfs_check_geometry(big, 8 * UT_MiB, bad[i],
						      &why), -EINVAL);
		assert_msg_has(&why, "allocation unit");
	}
}

static void test_geometry_log_len(void **state)
{
	static const uint64_t bad[] = {
		0, 4096, UT_MiB, 3 * UT_MiB, 2 * UT_MiB + 4096,
		UT_GiB + 2 * UT_MiB, 2 * UT_GiB,
	};
	const uint64_t big = 4096 * FAMFS_DEV_UNITS_MAX;	/* 16 TiB */

	(void)state;
	for (uint64_t len = 2 * UT_MiB; len <= UT_GiB; len += 2 * UT_MiB)
		assert_int_equal(famfs_check_geometry(big, len, 4096, NULL), 0);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct famfs_why why = { "" };

		assert_int_equal(famfs_check_geometry(big, bad[i], 4096, &why),
				 -EINVAL);
		assert_msg_has(&why, "log length");
	}
}

/* At most 2^32 units per device: the replayer's bitmap stays bounded. */
static void test_geometry_units_max(void **state)
{
	const uint64_t max4k = 4096 * FAMFS_DEV_UNITS_MAX;
	struct famfs_why why = { "" };

	(void)state;
	assert_int_equal(famfs_check_geometry(max4k, 8 * UT_MiB, 4096, NULL), 0);
	assert_int_equal(famfs_check_geometry(max4k + 4095, 8 * UT_MiB, 4096,
					      NULL), 0);	/* partial unit */
	assert_int_equal(famfs_check_geometry(max4k + 4096, 8 * UT_MiB, 4096,
					      &why), -EFBIG);
	assert_msg_has(&why, "larger unit");
	assert_int_equal(famfs_check_geometry(max4k + 4096, 8 * UT_MiB, 8192,
					      NULL), 0);
	assert_int_equal(famfs_check_geometry(UINT64_MAX, 8 * UT_MiB, 2 * UT_MiB,
					      NULL), -EFBIG);
	assert_int_equal(famfs_check_geometry(1ull << 62, 8 * UT_MiB, UT_GiB,
					      NULL), 0);	/* 4 EiB */
}

static void test_min_dev_size(void **state)
{
	(void)state;
	/* superblock region + log, rounded to the unit, + 32 MiB of data */
	assert_int_equal(famfs_min_dev_size(8 * UT_MiB, 2 * UT_MiB),
			 42 * UT_MiB);
	assert_int_equal(famfs_min_dev_size(2 * UT_MiB, 4096), 36 * UT_MiB);
	assert_int_equal(famfs_min_dev_size(2 * UT_MiB, 8 * UT_MiB),
			 40 * UT_MiB);
	/* one unit of data when the unit exceeds 32 MiB */
	assert_int_equal(famfs_min_dev_size(2 * UT_MiB, UT_GiB), 2 * UT_GiB);
	assert_int_equal(famfs_min_dev_size(4 * UT_MiB, 64 * UT_MiB),
			 128 * UT_MiB);
	assert_int_equal(famfs_data_offset(0x200000, 0x800000, 0x200000),
			 0xa00000);
	assert_int_equal(famfs_data_offset(0x200000, 0x200000, UT_GiB),
			 UT_GiB);
}

static void test_geometry_too_small(void **state)
{
	const uint64_t min = 42 * UT_MiB;
	struct famfs_why why = { "" };
	char num[32];

	(void)state;
	assert_int_equal(famfs_check_geometry(min - 1, 8 * UT_MiB, 2 * UT_MiB,
					      &why), -ENOSPC);
	snprintf(num, sizeof(num), "%" PRIu64, min);
	assert_msg_has(&why, num);
	assert_msg_has(&why, "minimum");
	assert_int_equal(famfs_check_geometry(0, 8 * UT_MiB, 2 * UT_MiB, NULL),
			 -ENOSPC);
	assert_int_equal(famfs_check_geometry(min, 8 * UT_MiB, 2 * UT_MiB,
					      NULL), 0);
}

/* Geometry errors come before size errors, which take no log into account. */
static void test_geometry_order(void **state)
{
	(void)state;
	assert_int_equal(famfs_check_geometry(0, 8 * UT_MiB, 3000, NULL),
			 -EINVAL);
	assert_int_equal(famfs_check_geometry(0, 3 * UT_MiB, 4096, NULL),
			 -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_encode_golden_distinct),
		cmocka_unit_test(test_encode_golden_valid),
		cmocka_unit_test(test_encode_hexdump),
		cmocka_unit_test(test_decode_round_trip),
		cmocka_unit_test(test_decode_hand_built),
		cmocka_unit_test(test_decode_unknown_device_size),
		cmocka_unit_test(test_every_byte_change_primary),
		cmocka_unit_test(test_every_byte_change_secondary),
		cmocka_unit_test(test_bad_magic),
		cmocka_unit_test(test_unknown_incompat),
		cmocka_unit_test(test_unknown_ro_compat),
		cmocka_unit_test(test_unknown_compat),
		cmocka_unit_test(test_fs_larger_than_device),
		cmocka_unit_test(test_crc_mismatch),
		cmocka_unit_test(test_unknown_flags),
		cmocka_unit_test(test_null_uuids),
		cmocka_unit_test(test_primary_rules),
		cmocka_unit_test(test_secondary_rules),
		cmocka_unit_test(test_geometry_alloc_unit),
		cmocka_unit_test(test_geometry_log_len),
		cmocka_unit_test(test_geometry_units_max),
		cmocka_unit_test(test_min_dev_size),
		cmocka_unit_test(test_geometry_too_small),
		cmocka_unit_test(test_geometry_order),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
