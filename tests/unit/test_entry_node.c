// SPDX-License-Identifier: Apache-2.0
/*
 * The root-tree entries (entry_node.c): INODE, LINK, XATTR and ATTR built
 * byte by byte from the tables of docs/format-roottree.md (R3-R6), decoded
 * field by field and encoded back to the same bytes; then every refusal
 * of their decoder, each reached with an otherwise valid entry; the
 * feature an entry needs, and the feature names.
 */
#include <sys/stat.h>

#include "entry_util.h"

#define SEQ		3
#define BIG		20000	/* room for any entry, 16 KiB included */

/* ---- the documented layouts -------------------------------------------- */

/* Header (format.md 7.1) in front of @blen body bytes, padded to 8, sealed. */
static uint32_t seal(uint8_t *b, uint16_t type, size_t blen)
{
	uint32_t len = align8((uint32_t)(24 + blen));

	memset(b, 0, 24);
	memset(b + 24 + blen, 0, len - 24 - blen);
	put_le32(b + 0x04, len);
	put_le64(b + 0x08, SEQ);
	put_le16(b + 0x10, type);
	reseal(b);
	return len;
}

struct raw_inode {
	uint64_t size, chunk, mtime, ctime;
	uint32_t mode, uid, gid, flags, mnsec, cnsec, major, minor;
	uint16_t ext_type, n, plen, tlen;
	struct raw_ext x[33];
	const char *path, *target;
};

/* INODE (R3): 72-byte body, extents, path + NUL, target + NUL. */
static uint32_t ri_build(const struct raw_inode *r, uint8_t *b)
{
	uint8_t *p = b + 24, *q;

	memset(p, 0, 72);
	put_le64(p + 0x00, r->size);
	put_le64(p + 0x08, r->chunk);
	put_le32(p + 0x10, r->mode);
	put_le32(p + 0x14, r->uid);
	put_le32(p + 0x18, r->gid);
	put_le32(p + 0x1c, r->flags);
	put_le64(p + 0x20, r->mtime);
	put_le64(p + 0x28, r->ctime);
	put_le32(p + 0x30, r->mnsec);
	put_le32(p + 0x34, r->cnsec);
	put_le32(p + 0x38, r->major);
	put_le32(p + 0x3c, r->minor);
	put_le16(p + 0x40, r->ext_type);
	put_le16(p + 0x42, r->n);
	put_le16(p + 0x44, r->plen);
	put_le16(p + 0x46, r->tlen);
	q = p + 72;
	for (uint32_t i = 0; i < r->n; i++, q += 24) {
		put_le32(q, r->x[i].dev);
		put_le32(q + 4, r->x[i].reserved);
		put_le64(q + 8, r->x[i].off);
		put_le64(q + 16, r->x[i].len);
	}
	memcpy(q, r->path, r->plen);
	q[r->plen] = 0;
	q += r->plen + 1;
	if (r->target) {
		memcpy(q, r->target, r->tlen);
		q[r->tlen] = 0;
		q += r->tlen + 1;
	}
	return seal(b, FAMFS_ENTRY_INODE, (size_t)(q - p));
}

static void ri_symlink(struct raw_inode *r)
{
	memset(r, 0, sizeof(*r));
	r->mode = S_IFLNK | 0777;
	r->uid = 1000;
	r->gid = 100;
	r->mtime = 1700000001;
	r->mnsec = 123456789;
	r->ctime = (uint64_t)-5;	/* before the epoch */
	r->cnsec = 999999999;
	r->path = "etc/localtime";
	r->plen = 13;
	r->target = "../usr/share/zoneinfo/UTC";
	r->tlen = 25;
	r->size = 25;
}

static void ri_regular(struct raw_inode *r)
{
	memset(r, 0, sizeof(*r));
	r->mode = S_IFREG | 0644;
	r->size = 5000;
	r->n = 1;
	r->x[0] = (struct raw_ext){ 0, 0, 0x800000, 0x200000 };
	r->path = "bin/sh";
	r->plen = 6;
	r->mtime = r->ctime = 1;
}

static void ri_dev(struct raw_inode *r, uint32_t fmt)
{
	memset(r, 0, sizeof(*r));
	r->mode = fmt | 0600;
	r->path = "dev/x";
	r->plen = 5;
	if (fmt == S_IFCHR || fmt == S_IFBLK) {
		r->major = 8;
		r->minor = 1;
	}
}

/* LINK (R4): 8-byte body, new name + NUL, existing name + NUL. */
static uint32_t rl_build(uint8_t *b, const char *path, const char *target,
			 uint32_t reserved)
{
	uint8_t *p = b + 24;
	size_t pl = strlen(path), tl = strlen(target);

	put_le16(p, (uint16_t)pl);
	put_le16(p + 2, (uint16_t)tl);
	put_le32(p + 4, reserved);
	memcpy(p + 8, path, pl + 1);
	memcpy(p + 8 + pl + 1, target, tl + 1);
	return seal(b, FAMFS_ENTRY_LINK, 8 + pl + 1 + tl + 1);
}

/* XATTR (R5): 8-byte body, path + NUL, name + NUL, value. */
static uint32_t rx_build(uint8_t *b, const char *path, const char *name,
			 uint8_t flags, const void *val, uint32_t vlen)
{
	uint8_t *p = b + 24;
	size_t pl = strlen(path), nl = strlen(name);

	put_le16(p, (uint16_t)pl);
	p[2] = (uint8_t)nl;
	p[3] = flags;
	put_le32(p + 4, vlen);
	memcpy(p + 8, path, pl + 1);
	memcpy(p + 8 + pl + 1, name, nl + 1);
	memcpy(p + 8 + pl + 1 + nl + 1, val, vlen);
	return seal(b, FAMFS_ENTRY_XATTR, 8 + pl + 1 + nl + 1 + vlen);
}

struct raw_attr {
	uint32_t valid, mode, uid, gid, mnsec, cnsec;
	uint64_t mtime, ctime;
	uint16_t r1;
	uint32_t r2;
	const char *path;
};

/* ATTR (R6): 48-byte body, path + NUL. */
static uint32_t ra_build(const struct raw_attr *r, uint8_t *b)
{
	uint8_t *p = b + 24;
	size_t pl = strlen(r->path);

	memset(p, 0, 48);
	put_le32(p + 0x00, r->valid);
	put_le32(p + 0x04, r->mode);
	put_le32(p + 0x08, r->uid);
	put_le32(p + 0x0c, r->gid);
	put_le64(p + 0x10, r->mtime);
	put_le64(p + 0x18, r->ctime);
	put_le32(p + 0x20, r->mnsec);
	put_le32(p + 0x24, r->cnsec);
	put_le16(p + 0x28, (uint16_t)pl);
	put_le16(p + 0x2a, r->r1);
	put_le32(p + 0x2c, r->r2);
	memcpy(p + 48, r->path, pl + 1);
	return seal(b, FAMFS_ENTRY_ATTR, 48 + pl + 1);
}

/* ---- helpers ------------------------------------------------------------ */

static uint8_t *bigbuf(void)
{
	uint8_t *b = calloc(1, BIG);

	assert_non_null(b);
	return b;
}

/* Decode @b (which must succeed) into a new entry. */
static struct famfs_entry *dec(const uint8_t *b)
{
	struct famfs_entry *e = calloc(1, sizeof(*e));
	struct famfs_why why = { "" };
	int rc;

	assert_non_null(e);
	rc = famfs_entry_decode(b, BIG, SEQ, test_seed(), e, &why);
	if (rc)
		fail_msg("decode %d: %s", rc, why.msg);
	return e;
}

/* Encoding the decoded entry gives back the hand-built bytes. */
static void same_bytes(const struct famfs_entry *e, const uint8_t *b,
		       uint32_t len)
{
	uint8_t *o = bigbuf();

	memset(o, 0xcc, BIG);
	assert_int_equal(famfs_entry_encode(e, test_seed(), o, BIG, NULL),
			 (int)len);
	assert_int_equal(famfs_entry_size(e), (int)len);
	assert_memory_equal(o, b, len);
	free(o);
}

static void bad_inode(const struct raw_inode *r, const char *needle)
{
	uint8_t *b = bigbuf();

	ri_build(r, b);
	expect_decode(b, BIG, SEQ, -EUCLEAN, needle);
	free(b);
}

static void bad_attr(const struct raw_attr *r, const char *needle)
{
	uint8_t *b = bigbuf();

	ra_build(r, b);
	expect_decode(b, BIG, SEQ, -EUCLEAN, needle);
	free(b);
}

/* ---- round trips -------------------------------------------------------- */

static void test_inode_symlink_bytes(void **state)
{
	struct raw_inode r;
	uint8_t *b = bigbuf();
	struct famfs_entry *e;
	uint32_t len;

	(void)state;
	ri_symlink(&r);
	len = ri_build(&r, b);
	/* 24 + 72 + 13 + 1 + 25 + 1 = 136: already a multiple of 8 */
	assert_int_equal(len, 136);
	e = dec(b);
	assert_int_equal(e->type, FAMFS_ENTRY_INODE);
	assert_int_equal(e->ino.mode, S_IFLNK | 0777);
	assert_int_equal(e->ino.uid, 1000);
	assert_int_equal(e->ino.gid, 100);
	assert_int_equal(e->ino.mtime.sec, 1700000001);
	assert_int_equal(e->ino.mtime.nsec, 123456789);
	assert_int_equal(e->ino.ctime.sec, -5);
	assert_int_equal(e->ino.ctime.nsec, 999999999);
	assert_string_equal(e->path, "etc/localtime");
	assert_string_equal(e->target, "../usr/share/zoneinfo/UTC");
	assert_int_equal(e->target_len, 25);
	assert_int_equal(e->file.size, 0);	/* only files have a size */
	assert_int_equal(e->file.nextents, 0);
	assert_int_equal(famfs_entry_features(e),
			 FAMFS_FEATURE_INODE | FAMFS_FEATURE_SYMLINK);
	same_bytes(e, b, len);
	free(e);
	free(b);
}

static void test_inode_regular_bytes(void **state)
{
	struct raw_inode r;
	uint8_t *b = bigbuf();
	struct famfs_entry *e;
	uint32_t len;

	(void)state;
	ri_regular(&r);
	len = ri_build(&r, b);
	assert_int_equal(len, align8(24 + 72 + 24 + 7));
	e = dec(b);
	assert_int_equal(e->file.size, 5000);
	assert_int_equal(e->file.nextents, 1);
	assert_int_equal(e->file.ext[0].offset, 0x800000);
	assert_int_equal(e->file.ext[0].len, 0x200000);
	assert_int_equal(e->file.mode, 0644);
	assert_int_equal(famfs_entry_features(e), FAMFS_FEATURE_INODE);
	same_bytes(e, b, len);
	free(e);
	/* an interleaved file: 2 strips of 2 MiB chunks */
	r.ext_type = FAMFS_EXT_INTERLEAVE;
	r.chunk = 0x200000;
	r.n = 2;
	r.x[1] = (struct raw_ext){ 1, 0, 0x800000, 0x200000 };
	len = ri_build(&r, b);
	e = dec(b);
	assert_int_equal(e->file.ext_type, FAMFS_EXT_INTERLEAVE);
	assert_int_equal(e->file.ext[1].dev, 1);
	same_bytes(e, b, len);
	free(e);
	free(b);
}

static void test_inode_empty_dir_special_bytes(void **state)
{
	static const uint32_t fmts[] = { S_IFDIR, S_IFIFO, S_IFSOCK, S_IFCHR,
					 S_IFBLK, S_IFREG };
	static const uint32_t feats[] = {
		FAMFS_FEATURE_INODE,
		FAMFS_FEATURE_INODE | FAMFS_FEATURE_SPECIAL,
		FAMFS_FEATURE_INODE | FAMFS_FEATURE_SPECIAL,
		FAMFS_FEATURE_INODE | FAMFS_FEATURE_SPECIAL,
		FAMFS_FEATURE_INODE | FAMFS_FEATURE_SPECIAL,
		FAMFS_FEATURE_INODE | FAMFS_FEATURE_EMPTY,
	};
	uint8_t *b = bigbuf();

	(void)state;
	for (size_t i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++) {
		struct raw_inode r;
		struct famfs_entry *e;
		uint32_t len;

		ri_dev(&r, fmts[i]);
		len = ri_build(&r, b);
		assert_int_equal(len, align8(24 + 72 + 5 + 1));	/* 104 */
		e = dec(b);
		assert_int_equal(e->ino.mode, fmts[i] | 0600);
		assert_int_equal(e->ino.rdev_major, r.major);
		assert_int_equal(e->ino.rdev_minor, r.minor);
		assert_int_equal(famfs_entry_features(e), feats[i]);
		same_bytes(e, b, len);
		free(e);
	}
	free(b);
}

static void test_link_bytes(void **state)
{
	uint8_t *b = bigbuf();
	struct famfs_entry *e;
	uint32_t len;

	(void)state;
	len = rl_build(b, "usr/bin/python3", "usr/bin/python3.11", 0);
	assert_int_equal(len, align8(24 + 8 + 16 + 19));	/* 72 */
	e = dec(b);
	assert_int_equal(e->type, FAMFS_ENTRY_LINK);
	assert_string_equal(e->path, "usr/bin/python3");
	assert_string_equal(e->target, "usr/bin/python3.11");
	assert_int_equal(famfs_entry_features(e), FAMFS_FEATURE_HARDLINK);
	same_bytes(e, b, len);
	free(e);
	free(b);
}

static void test_xattr_bytes(void **state)
{
	static const uint8_t cap[20] = { 1, 0, 0, 2, 0x20 };	/* binary */
	uint8_t *b = bigbuf();
	struct famfs_entry *e;
	uint32_t len;

	(void)state;
	len = rx_build(b, "usr/bin/ping", "security.capability", 0, cap,
		       sizeof(cap));
	assert_int_equal(len, align8(24 + 8 + 13 + 20 + 20));	/* 88 */
	e = dec(b);
	assert_int_equal(e->type, FAMFS_ENTRY_XATTR);
	assert_string_equal(e->xattr.name, "security.capability");
	assert_int_equal(e->xattr.value_len, 20);
	assert_memory_equal(e->xattr.value, cap, 20);
	assert_int_equal(famfs_entry_features(e), FAMFS_FEATURE_XATTR);
	same_bytes(e, b, len);
	free(e);
	/* a remove: no value */
	len = rx_build(b, "a", "user.x", FAMFS_XATTR_REMOVE, "", 0);
	e = dec(b);
	assert_int_equal(e->xattr.flags, FAMFS_XATTR_REMOVE);
	same_bytes(e, b, len);
	free(e);
	/* the largest value */
	{
		uint8_t *v = calloc(1, FAMFS_XATTR_VALUE_MAX);

		assert_non_null(v);
		memset(v, 0x5a, FAMFS_XATTR_VALUE_MAX);
		len = rx_build(b, "a", "user.big", 0, v, FAMFS_XATTR_VALUE_MAX);
		e = dec(b);
		assert_int_equal(e->xattr.value_len, FAMFS_XATTR_VALUE_MAX);
		same_bytes(e, b, len);
		free(e);
		free(v);
	}
	free(b);
}

static void test_attr_bytes(void **state)
{
	struct raw_attr r = {
		.valid = FAMFS_ATTR_ALL, .mode = 04755, .uid = 0, .gid = 5,
		.mtime = 1, .mnsec = 2, .ctime = 3, .cnsec = 4, .path = "x/y",
	};
	uint8_t *b = bigbuf();
	struct famfs_entry *e;
	uint32_t len;

	(void)state;
	len = ra_build(&r, b);
	assert_int_equal(len, 80);		/* 24 + 48 + 4, padded */
	e = dec(b);
	assert_int_equal(e->attr.valid, FAMFS_ATTR_ALL);
	assert_int_equal(e->attr.mode, 04755);
	assert_int_equal(e->attr.gid, 5);
	assert_int_equal(e->attr.mtime.sec, 1);
	assert_int_equal(e->attr.mtime.nsec, 2);
	assert_int_equal(e->attr.ctime.sec, 3);
	assert_int_equal(e->attr.ctime.nsec, 4);
	assert_int_equal(famfs_entry_features(e), FAMFS_FEATURE_SETATTR);
	same_bytes(e, b, len);
	free(e);
	/* only the mode: the other fields stay zero on media */
	r = (struct raw_attr){ .valid = FAMFS_ATTR_MODE, .mode = 0600,
			       .path = "x/y" };
	len = ra_build(&r, b);
	e = dec(b);
	same_bytes(e, b, len);
	free(e);
	free(b);
}

/* The longest symlink target fits a LARGE_ENTRY log's 16 KiB. */
static void test_inode_longest_symlink(void **state)
{
	static char path[FAMFS_PATH_MAX + 1], target[FAMFS_SYMLINK_MAX + 1];
	struct raw_inode r;
	uint8_t *b = bigbuf();
	struct famfs_entry *e;
	uint32_t len;

	(void)state;
	memset(path, 'p', FAMFS_PATH_MAX);	/* components of 255 bytes */
	for (int i = 255; i < (int)FAMFS_PATH_MAX; i += 256)
		path[i] = '/';
	memset(target, 't', FAMFS_SYMLINK_MAX);
	ri_symlink(&r);
	r.path = path;
	r.plen = FAMFS_PATH_MAX;
	r.target = target;
	r.tlen = FAMFS_SYMLINK_MAX;
	r.size = FAMFS_SYMLINK_MAX;
	len = ri_build(&r, b);
	assert_int_equal(len, align8(24 + 72 + 1024 + 4096));	/* 5216 */
	assert_true(len > FAMFS_ENTRY_MAX_V1 && len <= FAMFS_ENTRY_MAX_LARGE);
	e = dec(b);
	assert_int_equal(e->target_len, FAMFS_SYMLINK_MAX);
	same_bytes(e, b, len);
	free(e);
	free(b);
}

/* ---- INODE refusals ----------------------------------------------------- */

static void test_reject_inode_short(void **state)
{
	uint8_t b[64];

	(void)state;
	memset(b, 0, sizeof(b));
	seal(b, FAMFS_ENTRY_INODE, 40);		/* 40 < 72 body bytes */
	expect_decode(b, sizeof(b), SEQ, -EUCLEAN, "INODE entry too short");
}

static void test_reject_inode_fields(void **state)
{
	struct raw_inode r;

	(void)state;
	ri_symlink(&r);
	r.flags = 1;
	bad_inode(&r, "unknown flags");
	ri_symlink(&r);
	r.tlen = 4096;
	r.size = 4096;
	r.target = calloc(1, 4097);
	assert_non_null(r.target);
	memset((char *)r.target, 't', 4096);
	bad_inode(&r, "longer than 4095 bytes");
	free((char *)r.target);
	ri_regular(&r);
	r.n = 33;
	bad_inode(&r, "length does not match");
	ri_dev(&r, S_IFIFO);
	r.mode |= 010000000;
	bad_inode(&r, "unknown mode bits");
	ri_dev(&r, S_IFIFO);
	r.mode = 0170000 | 0600;		/* not a type */
	bad_inode(&r, "unknown file type");
	ri_dev(&r, S_IFIFO);
	r.minor = 1;
	bad_inode(&r, "device number but is not a device node");
	ri_symlink(&r);
	r.size = 24;
	bad_inode(&r, "link target does not match");
	ri_regular(&r);
	r.tlen = 3;				/* a target on a regular file */
	bad_inode(&r, "link target does not match");
	ri_dev(&r, S_IFDIR);
	r.size = 4096;
	bad_inode(&r, "size or extents but is not a regular file");
	ri_dev(&r, S_IFCHR);
	r.chunk = 0x200000;
	bad_inode(&r, "size or extents but is not a regular file");
	ri_regular(&r);
	r.chunk = 0x200000;			/* a chunk on a simple file */
	bad_inode(&r, "bad extent type or count");
	ri_regular(&r);
	r.ext_type = 2;
	bad_inode(&r, "bad extent type or count");
	ri_regular(&r);
	r.size = 0;				/* empty with an extent */
	bad_inode(&r, "bad extent type or count");
	ri_regular(&r);
	r.n = 0;				/* size without extents */
	bad_inode(&r, "bad extent type or count");
	ri_dev(&r, S_IFREG);
	r.ext_type = FAMFS_EXT_INTERLEAVE;	/* empty, interleaved */
	bad_inode(&r, "bad extent type or count");
	ri_symlink(&r);
	r.mnsec = 1000000000;
	bad_inode(&r, "10^9 nanoseconds");
	ri_symlink(&r);
	r.cnsec = 1000000000;
	bad_inode(&r, "10^9 nanoseconds");
	ri_regular(&r);
	r.x[0].reserved = 1;
	bad_inode(&r, "reserved field");
	ri_regular(&r);
	r.x[0].len = 4096;
	bad_inode(&r, "shorter than the file");
}

static void test_reject_inode_strings(void **state)
{
	struct raw_inode r;
	uint8_t *b = bigbuf();
	uint32_t len;

	(void)state;
	ri_symlink(&r);
	r.path = "/etc/x";
	r.plen = 6;
	bad_inode(&r, NULL);			/* an absolute path */
	ri_symlink(&r);
	len = ri_build(&r, b);
	b[24 + 72 + 13 + 1 + 3] = 0;		/* a NUL inside the target */
	reseal(b);
	expect_decode(b, BIG, SEQ, -EUCLEAN, "link target is not one NUL-terminated string");
	ri_dev(&r, S_IFIFO);
	len = ri_build(&r, b);
	b[len - 1] = 1;				/* padding */
	reseal(b);
	expect_decode(b, BIG, SEQ, -EUCLEAN, "nonzero padding");
	free(b);
}

/* ---- LINK refusals ------------------------------------------------------ */

static void test_reject_link(void **state)
{
	uint8_t *b = bigbuf();
	uint32_t len;

	(void)state;
	memset(b, 0, 64);
	seal(b, FAMFS_ENTRY_LINK, 0);
	expect_decode(b, 24, SEQ, -EUCLEAN, "LINK entry too short");
	rl_build(b, "a", "b", 7);
	expect_decode(b, BIG, SEQ, -EUCLEAN, "nonzero reserved");
	len = rl_build(b, "abc", "defgh", 0);
	put_le16(b + 24 + 2, 50);		/* longer than the entry */
	reseal(b);
	expect_decode(b, BIG, SEQ, -EUCLEAN, "length does not match");
	rl_build(b, "a/../b", "c", 0);
	expect_decode(b, BIG, SEQ, -EUCLEAN, NULL);
	rl_build(b, "c", "a//b", 0);
	expect_decode(b, BIG, SEQ, -EUCLEAN, NULL);
	len = rl_build(b, "c", "abcd", 0);
	b[24 + 8 + 2 + 1] = 0;			/* NUL inside the target */
	reseal(b);
	expect_decode(b, BIG, SEQ, -EUCLEAN, "link target is not one NUL-terminated string");
	len = rl_build(b, "c", "d", 0);
	b[len - 1] = 9;
	reseal(b);
	expect_decode(b, BIG, SEQ, -EUCLEAN, "nonzero padding");
	free(b);
}

/* ---- XATTR refusals ----------------------------------------------------- */

static void test_reject_xattr(void **state)
{
	uint8_t *b = bigbuf(), *v = calloc(1, FAMFS_XATTR_VALUE_MAX + 1);
	uint32_t len;

	(void)state;
	assert_non_null(v);
	memset(b, 0, 64);
	seal(b, FAMFS_ENTRY_XATTR, 0);
	expect_decode(b, 24, SEQ, -EUCLEAN, "XATTR entry too short");
	rx_build(b, "a", "user.x", 2, "", 0);
	expect_decode(b, BIG, SEQ, -EUCLEAN, "unknown flags");
	rx_build(b, "a", "user.x", FAMFS_XATTR_REMOVE, "v", 1);
	expect_decode(b, BIG, SEQ, -EUCLEAN, "value to remove");
	rx_build(b, "a", "user.x", 0, v, FAMFS_XATTR_VALUE_MAX + 1);
	expect_decode(b, BIG, SEQ, -EUCLEAN, "longer than 8192 bytes");
	rx_build(b, "a", "user.x", 0, "v", 1);
	put_le16(b + 24, 20);			/* path claims 20 bytes */
	reseal(b);
	expect_decode(b, BIG, SEQ, -EUCLEAN, "length does not match");
	rx_build(b, "..", "user.x", 0, "v", 1);
	expect_decode(b, BIG, SEQ, -EUCLEAN, NULL);
	len = rx_build(b, "a", "user.x", 0, "v", 1);
	b[24 + 8 + 2 + 2] = 0;			/* NUL inside the name */
	reseal(b);
	expect_decode(b, BIG, SEQ, -EUCLEAN, "attribute name is not one NUL-terminated string");
	rx_build(b, "a", "other.x", 0, "v", 1);
	expect_decode(b, BIG, SEQ, -EUCLEAN, "not in the user, trusted, security or system namespace");
	rx_build(b, "a", "user.", 0, "v", 1);	/* a prefix alone */
	expect_decode(b, BIG, SEQ, -EUCLEAN, "namespace");
	len = rx_build(b, "a", "user.x", 0, "v", 1);
	b[len - 1] = 1;
	reseal(b);
	expect_decode(b, BIG, SEQ, -EUCLEAN, "nonzero padding");
	free(v);
	free(b);
}

/* ---- ATTR refusals ------------------------------------------------------ */

static void test_reject_attr(void **state)
{
	const struct raw_attr ok = { .valid = FAMFS_ATTR_MODE, .mode = 0644,
				     .path = "p" };
	struct raw_attr r;
	uint8_t *b = bigbuf();
	uint32_t len;

	(void)state;
	memset(b, 0, 64);
	seal(b, FAMFS_ENTRY_ATTR, 40);
	expect_decode(b, 64, SEQ, -EUCLEAN, "ATTR entry too short");
	r = ok;
	r.valid = 0;
	r.mode = 0;
	bad_attr(&r, "unknown bits or fields it does not name");
	r = ok;
	r.valid |= 0x20;
	bad_attr(&r, "unknown bits");
	r = ok;
	r.mode = 010644;
	bad_attr(&r, "unknown bits");
	r = ok;
	r.r1 = 1;
	bad_attr(&r, "unknown bits");
	r = ok;
	r.r2 = 1;
	bad_attr(&r, "unknown bits");
	r = ok;
	r.valid = FAMFS_ATTR_UID;		/* a mode it does not name */
	bad_attr(&r, "fields it does not name");
	r = ok;
	r.uid = 1;
	bad_attr(&r, "fields it does not name");
	r = ok;
	r.gid = 1;
	bad_attr(&r, "fields it does not name");
	r = ok;
	r.mnsec = 1;
	bad_attr(&r, "fields it does not name");
	r = ok;
	r.ctime = 1;
	bad_attr(&r, "fields it does not name");
	r = ok;
	r.valid |= FAMFS_ATTR_MTIME;
	r.mnsec = 1000000000;
	bad_attr(&r, "10^9 nanoseconds");
	r = ok;
	r.valid |= FAMFS_ATTR_CTIME;
	r.cnsec = 1000000000;
	bad_attr(&r, "10^9 nanoseconds");
	r = ok;
	len = ra_build(&r, b);
	put_le16(b + 24 + 0x28, 9);
	reseal(b);
	expect_decode(b, BIG, SEQ, -EUCLEAN, "length does not match its path");
	r = ok;
	r.path = "a/./b";
	bad_attr(&r, NULL);
	r = ok;
	len = ra_build(&r, b);
	b[len - 1] = 1;
	reseal(b);
	expect_decode(b, BIG, SEQ, -EUCLEAN, "nonzero padding");
	free(b);
}

/* ---- encode refuses what decode refuses --------------------------------- */

static void test_encode_refuses(void **state)
{
	struct famfs_entry *e = new_entry(FAMFS_ENTRY_INODE, "s");
	uint8_t *b = bigbuf();
	struct famfs_why why = { "" };

	(void)state;
	e->ino.mode = S_IFLNK | 0777;		/* a symlink without target */
	assert_int_equal(famfs_entry_encode(e, test_seed(), b, BIG, &why),
			 -EUCLEAN);
	e->ino.mode = S_IFIFO | 0644;
	e->ino.rdev_major = 1;
	assert_int_equal(famfs_entry_encode(e, test_seed(), b, BIG, &why),
			 -EUCLEAN);
	e->type = FAMFS_ENTRY_XATTR;
	e->xattr.value_len = FAMFS_XATTR_VALUE_MAX + 1;
	assert_true(famfs_entry_size(e) < 0);
	e->xattr.value_len = 1;
	e->xattr.name_len = 3;
	memcpy(e->xattr.name, "foo", 4);	/* no namespace */
	assert_int_equal(famfs_entry_encode(e, test_seed(), b, BIG, &why),
			 -EUCLEAN);
	e->type = FAMFS_ENTRY_INODE;
	e->ino.mode = S_IFLNK | 0777;
	assert_int_equal(famfs_entry_set_target(e, "x"), 0);
	e->target_len = FAMFS_SYMLINK_MAX + 1;
	assert_true(famfs_entry_size(e) < 0);
	free(e);
	free(b);
}

/* ---- feature names ------------------------------------------------------ */

static void test_feature_names(void **state)
{
	char buf[256];

	(void)state;
	for (uint32_t bit = 1; bit <= FAMFS_FEATURE_PACKED; bit <<= 1)
		assert_non_null(famfs_feature_name(bit));
	assert_null(famfs_feature_name(0x200));
	assert_int_equal(famfs_features_str(FAMFS_FEATURE_SYMLINK |
					    FAMFS_FEATURE_XATTR, buf,
					    sizeof(buf)), 0);
	assert_string_equal(buf, "symlink,xattr");
	assert_int_equal(famfs_features_str(0x80000201u, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "inode,bit9,bit31");
	assert_int_equal(famfs_features_str(0, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "");
	assert_int_equal(famfs_features_str(0xff, buf, 8), -ENOSPC);
	assert_int_equal(famfs_features_str(FAMFS_FEATURE_INCOMPAT_SUPP, buf,
					    sizeof(buf)), 0);
	assert_string_equal(buf, "inode,empty_file,symlink,hard_link,special_file,xattr,setattr,large_entry,packed");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_inode_symlink_bytes),
		cmocka_unit_test(test_inode_regular_bytes),
		cmocka_unit_test(test_inode_empty_dir_special_bytes),
		cmocka_unit_test(test_link_bytes),
		cmocka_unit_test(test_xattr_bytes),
		cmocka_unit_test(test_attr_bytes),
		cmocka_unit_test(test_inode_longest_symlink),
		cmocka_unit_test(test_reject_inode_short),
		cmocka_unit_test(test_reject_inode_fields),
		cmocka_unit_test(test_reject_inode_strings),
		cmocka_unit_test(test_reject_link),
		cmocka_unit_test(test_reject_xattr),
		cmocka_unit_test(test_reject_attr),
		cmocka_unit_test(test_encode_refuses),
		cmocka_unit_test(test_feature_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
