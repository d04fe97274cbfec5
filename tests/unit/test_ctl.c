// SPDX-License-Identifier: Apache-2.0
/*
 * The control protocol's messages (ctl.c): requests and replies encode to
 * the documented little-endian layout, decode back to the same native
 * form, and every malformed message is refused with its errno and reason
 * (one table row per way to be malformed, every row run).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_req_layout),
		cmocka_unit_test(test_req_round_trip),
		cmocka_unit_test(test_req_long_path),
		cmocka_unit_test(test_req_refusals),
		cmocka_unit_test(test_rep_round_trip),
		cmocka_unit_test(test_rep_refusals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
