// SPDX-License-Identifier: Apache-2.0
/*
 * The control protocol's messages (ctl.c): requests and replies encode to
 * the documented little-endian layout, decode back to the same native
 * form, and every malformed message is refused with its errno and reason
 * (one table row per way to be malformed, every row run).  Long requests
 * (MKNODE, LINK, SETXATTR, SETATTR) the same way: their extension's
 * layout, the round trip, and each refusal of a field the op forbids.
 * BATCH requests: records round trip, a batch fills by bytes and by
 * count, every malformed header or record is refused, the made bits.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "famfs_ctl.h"
#include "unit_util.h"

static void full_req(struct famfs_ctl_req *q)
{
	memset(q, 0, sizeof(*q));
	q->op = FAMFS_CTL_CREATE;
	q->flags = FAMFS_CTL_F_PARENTS | FAMFS_CTL_F_EXIST_OK;
	q->mode = 0640;
	q->uid = 1001;
	q->gid = 1002;
	q->nstrips = 4;
	q->size = 0x123456789aull;
	q->chunk = 0x200000;
	snprintf(q->path, sizeof(q->path), "dir/file");
	snprintf(q->src, sizeof(q->src), "src/file");
}

static void test_req_layout(void **state)
{
	struct famfs_ctl_dreq d;
	struct famfs_ctl_req q;
	const uint8_t *b = (const uint8_t *)&d;

	(void)state;
	full_req(&q);
	famfs_ctl_req_encode(&q, &d);
	assert_int_equal(get_le32(b + 0x00), FAMFS_CTL_MAGIC);
	assert_int_equal(get_le32(b + 0x04), FAMFS_CTL_CREATE);
	assert_int_equal(get_le32(b + 0x08), 3);
	assert_int_equal(get_le32(b + 0x0c), 0640);
	assert_int_equal(get_le32(b + 0x10), 1001);
	assert_int_equal(get_le32(b + 0x14), 1002);
	assert_int_equal(get_le32(b + 0x18), 4);
	assert_int_equal(get_le32(b + 0x1c), 0);
	assert_int_equal(get_le64(b + 0x20), 0x123456789aull);
	assert_int_equal(get_le64(b + 0x28), 0x200000);
	assert_string_equal((const char *)b + 0x30, "dir/file");
	assert_string_equal((const char *)b + 0x430, "src/file");
}

static void test_req_round_trip(void **state)
{
	struct famfs_ctl_req q, back;
	struct famfs_ctl_dreq d;
	struct famfs_why why = { "" };

	(void)state;
	full_req(&q);
	famfs_ctl_req_encode(&q, &d);
	memset(&back, 0xa5, sizeof(back));
	assert_int_equal(famfs_ctl_req_decode(&d, sizeof(d), &back, &why), 0);
	assert_int_equal(back.op, q.op);
	assert_int_equal(back.flags, q.flags);
	assert_int_equal(back.mode, q.mode);
	assert_int_equal(back.uid, q.uid);
	assert_int_equal(back.gid, q.gid);
	assert_int_equal(back.nstrips, q.nstrips);
	assert_int_equal(back.size, q.size);
	assert_int_equal(back.chunk, q.chunk);
	assert_string_equal(back.path, q.path);
	assert_string_equal(back.src, q.src);
}

/* A path longer than the field is cut to fit, and stays terminated. */
static void test_req_long_path(void **state)
{
	struct famfs_ctl_req *q = calloc(1, sizeof(*q)), *back = calloc(1, sizeof(*back));
	struct famfs_ctl_dreq d;

	(void)state;
	assert_non_null(q);
	assert_non_null(back);
	full_req(q);
	memset(q->path, 'p', sizeof(q->path) - 1);
	q->path[sizeof(q->path) - 1] = 0;
	famfs_ctl_req_encode(q, &d);
	assert_int_equal(famfs_ctl_req_decode(&d, sizeof(d), back, NULL), 0);
	assert_int_equal(strlen(back->path), FAMFS_PATH_MAX);
	free(q);
	free(back);
}

/* ways to spoil an encoded request */
enum spoil { SP_SHORT, SP_LONG, SP_MAGIC, SP_OP0, SP_OPMAX, SP_RESERVED,
	     SP_FLAGS, SP_MODE, SP_PATH, SP_SRC };

struct req_row {
	const char *name;
	enum spoil how;
	int err;
	const char *why;
};

static const struct req_row req_rows[] = {
	{ "one byte short", SP_SHORT, -EINVAL, "not a famfs control request" },
	{ "one byte long", SP_LONG, -EINVAL, "not a famfs control request" },
	{ "bad magic", SP_MAGIC, -EINVAL, "not a famfs control request" },
	{ "op 0", SP_OP0, -EINVAL, "unknown control operation, flags or mode" },
	{ "op past the last", SP_OPMAX, -EINVAL, "unknown control operation, flags or mode" },
	{ "reserved not zero", SP_RESERVED, -EINVAL, "unknown control operation, flags or mode" },
	{ "unknown flag", SP_FLAGS, -EINVAL, "unknown control operation, flags or mode" },
	{ "mode beyond 07777", SP_MODE, -EINVAL, "unknown control operation, flags or mode" },
	{ "path not terminated", SP_PATH, -EINVAL, "path is not NUL-terminated" },
	{ "source not terminated", SP_SRC, -EINVAL, "path is not NUL-terminated" },
};

static size_t spoil_req(uint8_t *b, enum spoil how)
{
	size_t len = sizeof(struct famfs_ctl_dreq);

	switch (how) {
	case SP_SHORT: return len - 1;
	case SP_LONG: return len + 1;
	case SP_MAGIC: b[0] ^= 1; break;
	case SP_OP0: put_le32(b + 4, 0); break;
	case SP_OPMAX: put_le32(b + 4, FAMFS_CTL_MAXOP + 1); break;
	case SP_RESERVED: put_le32(b + 0x1c, 1); break;
	case SP_FLAGS: put_le32(b + 8, FAMFS_CTL_F_ALL + 1); break;
	case SP_MODE: put_le32(b + 0xc, 010000); break;
	case SP_PATH: memset(b + 0x30, 'x', FAMFS_PATH_MAX + 1); break;
	case SP_SRC: memset(b + 0x430, 'x', FAMFS_PATH_MAX + 1); break;
	}
	return len;
}

static void test_req_refusals(void **state)
{
	uint8_t *buf = calloc(1, sizeof(struct famfs_ctl_dreq) + 1);
	struct famfs_ctl_req q, out;
	int bad = 0;

	(void)state;
	assert_non_null(buf);
	for (size_t i = 0; i < sizeof(req_rows) / sizeof(req_rows[0]); i++) {
		const struct req_row *r = &req_rows[i];
		struct famfs_why why = { "" };
		size_t len;
		int rc;

		full_req(&q);
		famfs_ctl_req_encode(&q, (struct famfs_ctl_dreq *)buf);
		len = spoil_req(buf, r->how);
		rc = famfs_ctl_req_decode(buf, len, &out, &why);
		if (rc != r->err || strcmp(why.msg, r->why)) {
			print_error("row '%s': rc %d (want %d), why '%s'\n",
				    r->name, rc, r->err, why.msg);
			bad++;
		}
	}
	free(buf);
	assert_int_equal(bad, 0);
}

static void test_rep_round_trip(void **state)
{
	struct famfs_ctl_drep *d = malloc(sizeof(*d));
	struct famfs_ctl_rep r = { .err = ENOSPC, .ino = 77, .count = 1ull << 40 };
	struct famfs_ctl_rep *back = calloc(1, sizeof(*back));
	const uint8_t *b = (const uint8_t *)d;

	(void)state;
	assert_non_null(d);
	assert_non_null(back);
	snprintf(r.msg, sizeof(r.msg), "{\"a\":1}");
	memset(d, 0xee, sizeof(*d));
	famfs_ctl_rep_encode(&r, d);
	assert_int_equal(get_le32(b), FAMFS_CTL_MAGIC);
	assert_int_equal(get_le32(b + 4), ENOSPC);
	assert_int_equal(get_le64(b + 8), 77);
	assert_int_equal(get_le64(b + 0x10), 1ull << 40);
	assert_int_equal(get_le64(b + 0x18), 0);
	assert_int_equal(famfs_ctl_rep_decode(d, sizeof(*d), back, NULL), 0);
	assert_int_equal(back->err, ENOSPC);
	assert_int_equal(back->ino, 77);
	assert_int_equal(back->count, 1ull << 40);
	assert_string_equal(back->msg, "{\"a\":1}");
	free(d);
	free(back);
}

struct rep_row {
	const char *name;
	int len_delta, magic, terminate;
};

static const struct rep_row rep_rows[] = {
	{ "one byte short", -1, 1, 1 },
	{ "bad magic", 0, 0, 1 },
	{ "text not terminated", 0, 1, 0 },
};

static void test_rep_refusals(void **state)
{
	struct famfs_ctl_drep *d = calloc(1, sizeof(*d));
	struct famfs_ctl_rep *out = calloc(1, sizeof(*out));
	struct famfs_ctl_rep r = { .err = 0 };
	int bad = 0;

	(void)state;
	assert_non_null(d);
	assert_non_null(out);
	for (size_t i = 0; i < sizeof(rep_rows) / sizeof(rep_rows[0]); i++) {
		const struct rep_row *w = &rep_rows[i];
		struct famfs_why why = { "" };
		int rc;

		famfs_ctl_rep_encode(&r, d);
		if (!w->magic)
			put_le32((uint8_t *)d, FAMFS_CTL_MAGIC + 1);
		if (!w->terminate)
			memset(d->msg, 'm', sizeof(d->msg));
		rc = famfs_ctl_rep_decode(d, sizeof(*d) + w->len_delta, out, &why);
		if (rc != -EBADMSG || strcmp(why.msg, "not a famfs control reply")) {
			print_error("row '%s': rc %d, why '%s'\n", w->name, rc,
				    why.msg);
			bad++;
		}
	}
	free(d);
	free(out);
	assert_int_equal(bad, 0);
}

/* ---- long requests ------------------------------------------------------ */

static void full_long(struct famfs_ctl_req *q)
{
	memset(q, 0, sizeof(*q));
	q->op = FAMFS_CTL_MKNODE;
	q->flags = FAMFS_CTL_F_EXIST_OK;
	q->mode = S_IFLNK | 0777;
	q->uid = 1001;
	q->gid = 1002;
	q->mtime.sec = -2;		/* before 1970 */
	q->mtime.nsec = 999999999;
	q->ctime.sec = 0x123456789ll;
	q->ctime.nsec = 7;
	snprintf(q->path, sizeof(q->path), "d/link");
	q->data_len = 11;
	memcpy(q->data, "../a/target", 12);
}

static void test_long_layout(void **state)
{
	struct famfs_ctl_dreq_long *d = malloc(sizeof(*d));
	struct famfs_ctl_req *q = malloc(sizeof(*q));
	const uint8_t *b = (const uint8_t *)d;

	(void)state;
	assert_non_null(d);
	assert_non_null(q);
	full_long(q);
	memset(d, 0xee, sizeof(*d));
	famfs_ctl_req_encode_long(q, d);
	assert_int_equal(sizeof(*d), 0x2860);
	assert_int_equal(get_le32(b + 0x04), FAMFS_CTL_MKNODE);
	assert_int_equal(get_le32(b + 0x0c), S_IFLNK | 0777);
	assert_string_equal((const char *)b + 0x30, "d/link");
	assert_int_equal(get_le32(b + 0x830), 0);		/* rdev */
	assert_int_equal(get_le32(b + 0x834), 0);
	assert_int_equal(get_le64(b + 0x838), (uint64_t)-2);	/* mtime */
	assert_int_equal(get_le32(b + 0x840), 999999999);
	assert_int_equal(get_le32(b + 0x844), 7);		/* ctime ns */
	assert_int_equal(get_le64(b + 0x848), 0x123456789ull);
	assert_int_equal(get_le32(b + 0x850), 0);		/* valid */
	assert_int_equal(get_le32(b + 0x854), 0);		/* xflags */
	assert_int_equal(get_le32(b + 0x858), 11);		/* data_len */
	assert_int_equal(get_le32(b + 0x85c), 0);		/* reserved */
	assert_memory_equal(b + 0x860, "../a/target", 11);
	assert_int_equal(b[0x860 + 11], 0);			/* rest zero */
	assert_int_equal(b[0x2860 - 1], 0);
	free(d);
	free(q);
}

static void test_long_round_trip(void **state)
{
	struct famfs_ctl_dreq_long *d = malloc(sizeof(*d));
	struct famfs_ctl_req *q = malloc(sizeof(*q)), *back = malloc(sizeof(*back));
	struct famfs_why why = { "" };

	(void)state;
	assert_non_null(d);
	assert_non_null(q);
	assert_non_null(back);
	full_long(q);
	famfs_ctl_req_encode_long(q, d);
	memset(back, 0xa5, sizeof(*back));
	assert_int_equal(famfs_ctl_req_decode(d, sizeof(*d), back, &why), 0);
	assert_int_equal(back->op, FAMFS_CTL_MKNODE);
	assert_int_equal(back->mode, S_IFLNK | 0777);
	assert_int_equal(back->mtime.sec, -2);
	assert_int_equal(back->mtime.nsec, 999999999);
	assert_int_equal(back->ctime.sec, 0x123456789ll);
	assert_int_equal(back->ctime.nsec, 7);
	assert_int_equal(back->data_len, 11);
	assert_string_equal((const char *)back->data, "../a/target");
	/* an xattr value of the full 8 KiB, with NULs in it */
	memset(q, 0, sizeof(*q));
	q->op = FAMFS_CTL_SETXATTR;
	q->xflags = FAMFS_CTL_X_CREATE;
	snprintf(q->path, sizeof(q->path), "f");
	snprintf(q->src, sizeof(q->src), "security.capability");
	q->data_len = FAMFS_CTL_DATA_MAX;
	for (uint32_t i = 0; i < q->data_len; i++)
		q->data[i] = (uint8_t)(i * 7);
	famfs_ctl_req_encode_long(q, d);
	assert_int_equal(famfs_ctl_req_decode(d, sizeof(*d), back, &why), 0);
	assert_int_equal(back->xflags, FAMFS_CTL_X_CREATE);
	assert_string_equal(back->src, "security.capability");
	assert_int_equal(back->data_len, FAMFS_CTL_DATA_MAX);
	assert_memory_equal(back->data, q->data, FAMFS_CTL_DATA_MAX);
	free(d);
	free(q);
	free(back);
}

/* ways to spoil a long request (built from full_long unless noted) */
enum lspoil { LS_SHORT_OP, LS_LONG_OP, LS_RESERVED, LS_DATA_LEN, LS_NSEC,
	      LS_TYPE, LS_MODE_BITS, LS_TARGET_NUL, LS_TARGET_EMPTY,
	      LS_TARGET_LONG, LS_RDEV, LS_SIZE, LS_VALID, LS_XFLAGS, LS_LINK,
	      LS_X_BOTH, LS_X_REMOVE_DATA, LS_X_NONAME, LS_A_NONE, LS_A_DATA };

struct lrow {
	const char *name;
	enum lspoil how;
	const char *why;
};

#define BAD "bad control request: "
static const struct lrow lrows[] = {
	{ "MKNODE sent short", LS_SHORT_OP, "control request of the wrong length for operation 9" },
	{ "CREATE sent long", LS_LONG_OP, "control request of the wrong length for operation 1" },
	{ "reserved not zero", LS_RESERVED, BAD "reserved field set or data longer than its area" },
	{ "data past its area", LS_DATA_LEN, BAD "reserved field set or data longer than its area" },
	{ "10^9 ns", LS_NSEC, BAD "nanoseconds of 10^9 or more" },
	{ "no file type", LS_TYPE, BAD "mode is not a file type and permission bits" },
	{ "mode beyond type and 07777", LS_MODE_BITS, BAD "mode is not a file type and permission bits" },
	{ "NUL in target", LS_TARGET_NUL, BAD "symbolic link target is empty, too long or has a NUL" },
	{ "empty target", LS_TARGET_EMPTY, BAD "symbolic link target is empty, too long or has a NUL" },
	{ "4096-byte target", LS_TARGET_LONG, BAD "symbolic link target is empty, too long or has a NUL" },
	{ "rdev on a symlink", LS_RDEV, BAD "a field this operation does not use is set" },
	{ "size of a symlink", LS_SIZE, BAD "size or layout given for a node that is not a file" },
	{ "valid on MKNODE", LS_VALID, BAD "a field this operation does not use is set" },
	{ "xflags on MKNODE", LS_XFLAGS, BAD "a field this operation does not use is set" },
	{ "LINK without a source", LS_LINK, BAD "a link needs the existing name, and no data" },
	{ "create and replace", LS_X_BOTH, BAD "an attribute needs a name, and one of set, create, replace or remove" },
	{ "remove with a value", LS_X_REMOVE_DATA, BAD "an attribute needs a name, and one of set, create, replace or remove" },
	{ "xattr without a name", LS_X_NONAME, BAD "an attribute needs a name, and one of set, create, replace or remove" },
	{ "SETATTR of nothing", LS_A_NONE, BAD "no known attribute to change, or data given" },
	{ "SETATTR with data", LS_A_DATA, BAD "no known attribute to change, or data given" },
};

/* Spoil native @q before encoding (the rows that spoil fields). */
static void lspoil_req(struct famfs_ctl_req *q, enum lspoil how)
{
	switch (how) {
	case LS_NSEC: q->mtime.nsec = 1000000000u; break;
	case LS_TYPE: q->mode = 0644; break;
	case LS_MODE_BITS: q->mode = S_IFREG | 0644 | 0x100000; break;
	case LS_TARGET_NUL: q->data[3] = 0; break;
	case LS_TARGET_EMPTY: q->data_len = 0; break;
	case LS_TARGET_LONG: q->data_len = 4096; memset(q->data, 'a', 4096); break;
	case LS_RDEV: q->rdev_minor = 3; break;
	case LS_SIZE: q->size = 4096; break;
	case LS_VALID: q->valid = FAMFS_CTL_A_MODE; break;
	case LS_XFLAGS: q->xflags = FAMFS_CTL_X_CREATE; break;
	case LS_LINK: q->op = FAMFS_CTL_LINK; q->mode = 0; q->data_len = 0; break;
	case LS_X_BOTH: case LS_X_REMOVE_DATA: case LS_X_NONAME:
		q->op = FAMFS_CTL_SETXATTR;
		q->mode = 0;
		snprintf(q->src, sizeof(q->src), "%s", how == LS_X_NONAME ? "" : "user.a");
		q->xflags = how == LS_X_BOTH ? FAMFS_CTL_X_CREATE | FAMFS_CTL_X_REPLACE :
			    how == LS_X_REMOVE_DATA ? FAMFS_CTL_X_REMOVE : 0;
		break;
	case LS_A_NONE: case LS_A_DATA:
		q->op = FAMFS_CTL_SETATTR;
		q->mode = 0600;
		q->valid = how == LS_A_NONE ? 0 : FAMFS_CTL_A_MODE;
		if (how == LS_A_NONE)
			q->data_len = 0;
		break;
	default: break;
	}
}

static size_t lspoil_bytes(uint8_t *b, enum lspoil how)
{
	switch (how) {
	case LS_SHORT_OP: return sizeof(struct famfs_ctl_dreq);
	case LS_LONG_OP: put_le32(b + 4, FAMFS_CTL_CREATE); put_le32(b + 0xc, 0644);
		break;
	case LS_RESERVED: put_le32(b + 0x85c, 1); break;
	case LS_DATA_LEN: put_le32(b + 0x858, FAMFS_CTL_DATA_MAX + 1); break;
	default: break;
	}
	return sizeof(struct famfs_ctl_dreq_long);
}

static void test_long_refusals(void **state)
{
	struct famfs_ctl_dreq_long *d = malloc(sizeof(*d));
	struct famfs_ctl_req *q = malloc(sizeof(*q)), *out = malloc(sizeof(*out));
	int bad = 0;

	(void)state;
	assert_non_null(d);
	assert_non_null(q);
	assert_non_null(out);
	for (size_t i = 0; i < sizeof(lrows) / sizeof(lrows[0]); i++) {
		const struct lrow *w = &lrows[i];
		struct famfs_why why = { "" };
		size_t len;
		int rc;

		full_long(q);
		lspoil_req(q, w->how);
		famfs_ctl_req_encode_long(q, d);
		len = lspoil_bytes((uint8_t *)d, w->how);
		rc = famfs_ctl_req_decode(d, len, out, &why);
		if (rc != -EINVAL || strcmp(why.msg, w->why)) {
			print_error("row '%s': rc %d, why '%s'\n", w->name, rc,
				    why.msg);
			bad++;
		}
	}
	free(d);
	free(q);
	free(out);
	assert_int_equal(bad, 0);
}

/* ---- BATCH ----------------------------------------------------------------- */

/* A batch of a CREATE, a MKDIR and a long MKNODE (symlink), round trip. */
static void test_batch_round_trip(void **state)
{
	uint8_t *buf = calloc(1, FAMFS_CTL_BATCH_LEN);
	struct famfs_ctl_req *q = calloc(1, sizeof(*q)), *r = calloc(1, sizeof(*r));
	struct famfs_why why = { "" };
	uint32_t n = 0;
	size_t off;

	(void)state;
	famfs_ctl_batch_init(buf);
	full_req(q);
	q->flags = FAMFS_CTL_F_EXIST_OK;
	q->src[0] = 0;
	assert_int_equal(famfs_ctl_batch_add(buf, FAMFS_CTL_BATCH_LEN, q), 0);
	q->op = FAMFS_CTL_MKDIR;
	q->flags = FAMFS_CTL_F_PARENTS;
	q->size = q->chunk = q->nstrips = 0;
	assert_int_equal(famfs_ctl_batch_add(buf, FAMFS_CTL_BATCH_LEN, q), 0);
	memset(q, 0, sizeof(*q));
	q->op = FAMFS_CTL_MKNODE;
	q->mode = S_IFLNK | 0777;
	q->mtime.sec = -5;
	q->mtime.nsec = 999999999;
	q->data_len = 3;
	memcpy(q->data, "abc", 4);
	snprintf(q->path, sizeof(q->path), "l");
	assert_int_equal(famfs_ctl_batch_add(buf, FAMFS_CTL_BATCH_LEN, q), 0);
	assert_int_equal(famfs_ctl_batch_count(buf), 3);
	assert_int_equal(famfs_ctl_batch_len(buf) % 8, 0);
	assert_true(famfs_ctl_is_batch(buf, famfs_ctl_batch_len(buf)));
	assert_int_equal(famfs_ctl_batch_check(buf, famfs_ctl_batch_len(buf),
					       &n, &why), 0);
	assert_int_equal(n, 3);
	off = sizeof(struct famfs_ctl_dbatch);
	assert_int_equal(famfs_ctl_batch_next(buf, famfs_ctl_batch_len(buf),
					      &off, r, &why), 0);
	assert_int_equal(r->op, FAMFS_CTL_CREATE);
	assert_int_equal(r->size, 0x123456789aull);
	assert_int_equal(r->nstrips, 4);
	assert_string_equal(r->path, "dir/file");
	assert_int_equal(famfs_ctl_batch_next(buf, famfs_ctl_batch_len(buf),
					      &off, r, &why), 0);
	assert_int_equal(r->op, FAMFS_CTL_MKDIR);
	assert_int_equal(r->flags, FAMFS_CTL_F_PARENTS);
	assert_int_equal(famfs_ctl_batch_next(buf, famfs_ctl_batch_len(buf),
					      &off, r, &why), 0);
	assert_int_equal(r->mode, S_IFLNK | 0777);
	assert_int_equal(r->mtime.sec, -5);
	assert_int_equal(r->mtime.nsec, 999999999);
	assert_string_equal((char *)r->data, "abc");
	assert_int_equal(off, famfs_ctl_batch_len(buf));
	/* the first two records dropped: the third is first */
	famfs_ctl_batch_drop(buf, 2);
	assert_int_equal(famfs_ctl_batch_count(buf), 1);
	off = sizeof(struct famfs_ctl_dbatch);
	assert_int_equal(famfs_ctl_batch_next(buf, famfs_ctl_batch_len(buf),
					      &off, r, &why), 0);
	assert_string_equal(r->path, "l");
	/* a plain request decoder refuses a batch */
	assert_int_equal(famfs_ctl_req_decode(buf, sizeof(struct famfs_ctl_dreq),
					      r, &why), -EINVAL);
	free(buf);
	free(q);
	free(r);
}

/* Full: by bytes and by count; ops a batch does not take. */
static void test_batch_limits(void **state)
{
	uint8_t *buf = calloc(1, FAMFS_CTL_BATCH_LEN);
	struct famfs_ctl_req *q = calloc(1, sizeof(*q));
	uint32_t n = 0;
	int rc = 0;

	(void)state;
	famfs_ctl_batch_init(buf);
	q->op = FAMFS_CTL_MKDIR;
	for (n = 0; n <= FAMFS_CTL_BATCH_MAX && !rc; n++) {
		snprintf(q->path, sizeof(q->path), "d%u", n);
		rc = famfs_ctl_batch_add(buf, FAMFS_CTL_BATCH_LEN, q);
	}
	assert_int_equal(rc, -ENOSPC);
	assert_int_equal(famfs_ctl_batch_count(buf), FAMFS_CTL_BATCH_MAX);
	famfs_ctl_batch_init(buf);
	q->op = FAMFS_CTL_SETXATTR;
	q->data_len = FAMFS_CTL_DATA_MAX;
	snprintf(q->src, sizeof(q->src), "user.x");
	for (rc = 0, n = 0; !rc; n++)
		rc = famfs_ctl_batch_add(buf, FAMFS_CTL_BATCH_LEN, q);
	assert_int_equal(rc, -ENOSPC);
	assert_true(famfs_ctl_batch_len(buf) <= FAMFS_CTL_BATCH_LEN);
	assert_int_equal(famfs_ctl_batch_count(buf), n - 1);
	famfs_ctl_batch_init(buf);
	for (uint32_t op = 1; op <= FAMFS_CTL_MAXOP; op++) {
		q->op = op;
		q->data_len = 0;
		rc = famfs_ctl_batch_add(buf, FAMFS_CTL_BATCH_LEN, q);
		assert_int_equal(rc == 0, famfs_ctl_op_batched(op));
	}
	free(buf);
	free(q);
}

/* Each malformed batch is refused; @fn spoils a good one. */
static void spoil(uint8_t *b, int how)
{
	struct famfs_ctl_drec *d = (void *)(b + sizeof(struct famfs_ctl_dbatch));

	switch (how) {
	case 0: b[0] ^= 1; break;				/* magic */
	case 1: b[8] = 0; break;				/* no records */
	case 2: b[0x10] = 1; break;				/* reserved */
	case 3: d->rec_len = (__le16)(d->rec_len + 8); break;	/* length */
	case 4: b[12] += 8; break;				/* header len */
	}
}

static void spoil_rec(uint8_t *b, int how)
{
	struct famfs_ctl_drec *d = (void *)(b + sizeof(struct famfs_ctl_dbatch));
	uint8_t *p = (uint8_t *)d + sizeof(*d);

	switch (how) {
	case 0: d->op = 3; break;			/* STATUS */
	case 1: d->op = 7; break;			/* DEVADD */
	case 2: p[1] = 0; break;			/* NUL in the path */
	case 3: d->flags = 0x100; break;		/* unknown flag */
	case 4: d->mtime_nsec = 1; break;		/* long field, short op */
	case 5: p[d->path_len] = 1; break;		/* padding not zero */
	case 6: d->mode = 0100644; break;		/* type in a CREATE */
	}
}

static void test_batch_refusals(void **state)
{
	uint8_t *good = calloc(1, 4096), *b = calloc(1, 4096);
	struct famfs_ctl_req *q = calloc(1, sizeof(*q));
	struct famfs_why why = { "" };
	size_t len, off;
	uint32_t n;

	(void)state;
	famfs_ctl_batch_init(good);
	q->op = FAMFS_CTL_CREATE;
	q->size = 5;
	snprintf(q->path, sizeof(q->path), "abcde");	/* 5: padding after */
	assert_int_equal(famfs_ctl_batch_add(good, 4096, q), 0);
	len = famfs_ctl_batch_len(good);
	for (int how = 0; how < 5; how++) {
		memcpy(b, good, 4096);
		spoil(b, how);
		why.msg[0] = 0;
		if (famfs_ctl_batch_check(b, len, &n, &why) != -EINVAL)
			fail_msg("batch spoiled %d accepted", how);
		assert_true(why.msg[0] != 0);
	}
	assert_int_equal(famfs_ctl_batch_check(good, len - 8, &n, &why), -EINVAL);
	for (int how = 0; how < 7; how++) {
		memcpy(b, good, 4096);
		spoil_rec(b, how);
		off = sizeof(struct famfs_ctl_dbatch);
		assert_int_equal(famfs_ctl_batch_check(b, len, &n, &why), 0);
		why.msg[0] = 0;
		if (famfs_ctl_batch_next(b, len, &off, q, &why) != -EINVAL)
			fail_msg("record spoiled %d accepted", how);
		assert_true(why.msg[0] != 0);
	}
	free(good);
	free(b);
	free(q);
}

/* The made bits of a reply: 4 records a hex digit, then the text. */
static void test_batch_made(void **state)
{
	uint8_t made[9] = { 1, 0, 1, 1, 0, 0, 0, 1, 1 };
	char msg[64];

	(void)state;
	famfs_ctl_batch_made_put(msg, sizeof(msg), made, 9);
	assert_string_equal(msg, "d81");
	snprintf(msg + 3, sizeof(msg) - 3, " why it failed");
	assert_int_equal(famfs_ctl_batch_made_len(msg), 3);
	for (uint32_t i = 0; i < 9; i++)
		assert_int_equal(famfs_ctl_batch_made(msg, 3, i), made[i]);
	assert_int_equal(famfs_ctl_batch_made(msg, 3, 12), -1);
	assert_int_equal(famfs_ctl_batch_made_len(" no records done"), 0);
	assert_int_equal(famfs_ctl_batch_made(" no records done", 0, 0), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_req_layout),
		cmocka_unit_test(test_req_round_trip),
		cmocka_unit_test(test_req_long_path),
		cmocka_unit_test(test_req_refusals),
		cmocka_unit_test(test_rep_round_trip),
		cmocka_unit_test(test_rep_refusals),
		cmocka_unit_test(test_long_layout),
		cmocka_unit_test(test_long_round_trip),
		cmocka_unit_test(test_long_refusals),
		cmocka_unit_test(test_batch_round_trip),
		cmocka_unit_test(test_batch_limits),
		cmocka_unit_test(test_batch_refusals),
		cmocka_unit_test(test_batch_made),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
