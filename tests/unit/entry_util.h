/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Builders and checks shared by the log-entry tests (test_entry.c,
 * test_entry_reject.c): entries built byte by byte at the offsets omf.h
 * documents and sealed with a valid CRC, so each case reaches the one
 * check it is about.
 */
#ifndef FAMFS_ENTRY_UTIL_H
#define FAMFS_ENTRY_UTIL_H

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

static inline uint32_t test_seed(void)
{
	uint8_t u[16];

	ut_uuid(u, 0x10);
	return ref_crc32c(0, u, 16);
}

static inline uint32_t align8(uint32_t v)
{
	return (v + 7) & ~7u;
}

/* Recompute e_crc over [4, e_len) with the fs seed. */
static inline void reseal(uint8_t *b)
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
static inline void rf_default(struct raw_file *r)
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

static inline void rf_set_path(struct raw_file *r, const char *p, size_t n)
{
	memcpy(r->path, p, n);
	r->plen = (uint16_t)n;
}

static inline uint32_t rf_build(const struct raw_file *r, uint8_t *b)
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

static inline uint32_t raw_mkdir(uint8_t *b, uint64_t seq, uint32_t mode,
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

static inline uint32_t raw_daxdev(uint8_t *b, uint64_t seq, uint8_t uuid_first,
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

static inline void expect_decode(const uint8_t *b, size_t room, uint64_t seq,
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

static inline void expect_file_ok(const struct raw_file *r)
{
	uint8_t buf[BUFSZ];

	rf_build(r, buf);
	expect_decode(buf, sizeof(buf), r->seq, 0, NULL);
}

static inline void expect_file_bad(const struct raw_file *r, const char *needle)
{
	uint8_t buf[BUFSZ];

	rf_build(r, buf);
	expect_decode(buf, sizeof(buf), r->seq, -EUCLEAN, needle);
}

/* ---- native entries --------------------------------------------------- */

static inline struct famfs_entry *new_entry(uint32_t type, const char *path)
{
	struct famfs_entry *e = calloc(1, sizeof(*e));

	assert_non_null(e);
	e->type = type;
	if (path)
		assert_int_equal(famfs_entry_set_path(e, path), 0);
	return e;
}

static inline void assert_entry_equal(const struct famfs_entry *a,
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
static inline void round_trip(const struct famfs_entry *e)
{
	struct famfs_entry *d = calloc(1, sizeof(*d));
	struct famfs_why why = { "" };
	uint8_t buf[BUFSZ];
	int len, rc;

	assert_non_null(d);
	memset(buf, 0xcc, sizeof(buf));
	len = famfs_entry_encode(e, test_seed(), buf, sizeof(buf), NULL);
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

#endif /* FAMFS_ENTRY_UTIL_H */
