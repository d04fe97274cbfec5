// SPDX-License-Identifier: Apache-2.0
/*
 * The server answers the request forms of the V10 famfs kernel series
 * (server_io.c; the facts are in kernel/README.md, "Upstream's daemon and
 * the V10 kernel").  Requests are written byte by byte as that kernel puts
 * them on the wire, not through our structs:
 *
 *  - GET_FMAP (54): the 40-byte fuse_in_header alone (in_numargs 0), the
 *    file named by nodeid; the kernel reads at most PAGE_SIZE (4096) bytes
 *    of reply and fails the open on any error;
 *  - GET_DAXDEV (55): the header alone, the device index in nodeid; the
 *    kernel takes exactly one 280-byte fuse_daxdev_out.
 *
 * Checked: a regular file's and a .meta file's map come back byte for byte
 * as our own form sends them; an empty file, which V10 cannot take, is
 * refused with EINVAL while our form still gets "no map"; GET_DAXDEV by
 * nodeid names the device, and the in-arg, when there is one, wins over
 * the nodeid; in-args of neither form are refused.  The FUSE wire is in
 * host byte order: these bytes are x86-64's, little-endian.
 */
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>
#include <cmocka.h>

#include "server_priv.h"
#include "unit_fs.h"
#include "unit_srv.h"
#include "unit_util.h"

#define IN_HDR		40	/* struct fuse_in_header */
#define OUT_HDR		16	/* struct fuse_out_header */
#define OP_GET_FMAP	54
#define OP_GET_DAXDEV	55
#define OP_STATFS	17
#define V10_PAGE	4096
#define DAXDEV_OUT	280

static int sv[2];
static struct uimg im;
static struct famfs_fs *fs;
static struct famfs_server srv;
static uint8_t rbuf[1 << 16];

static int setup(void **state)
{
	(void)state;
	fs = calloc(1, sizeof(*fs));
	assert_non_null(fs);
	fs->dev.fd = -1;
	uimg_new(&im, 64 * UNIT_MiB, 0, 0);
	ufs_open(fs, &im, FAMFS_DEV_RDWR);
	ufs_mkfile(fs, "a", 3 * UNIT_MiB + 1);
	usrv_init(&srv, sv, fs);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	usrv_fini(&srv, sv);
	famfs_fs_close(fs);
	free(fs);
	uimg_destroy(&im);
	return 0;
}

/* A request header as the kernel writes it, then @arglen in-arg bytes. */
static size_t req(uint8_t *p, uint32_t opcode, uint64_t unique,
		  uint64_t nodeid, const uint8_t *arg, size_t arglen)
{
	memset(p, 0, IN_HDR);
	put_le32(p + 0, (uint32_t)(IN_HDR + arglen));	/* len */
	put_le32(p + 4, opcode);
	put_le64(p + 8, unique);
	put_le64(p + 16, nodeid);
	put_le32(p + 24, 0);				/* uid */
	put_le32(p + 28, 0);				/* gid */
	put_le32(p + 32, 4242);				/* pid */
	/* total_extlen (u16) and padding (u16) stay 0 */
	if (arglen)
		memcpy(p + IN_HDR, arg, arglen);
	return IN_HDR + arglen;
}

/*
 * Send one famfs request (a trailing STATFS makes the read hook return)
 * and read its reply into rbuf.  Returns the reply length; checks the
 * out header's length and unique.
 */
static size_t round_trip(uint32_t opcode, uint64_t nodeid, const uint8_t *arg,
			 size_t arglen)
{
	uint8_t m[IN_HDR + 16];
	size_t len = req(m, opcode, 9, nodeid, arg, arglen);
	ssize_t n;

	assert_int_equal(write(sv[1], m, len), (ssize_t)len);
	len = req(m, OP_STATFS, 10, 1, NULL, 0);
	assert_int_equal(write(sv[1], m, len), (ssize_t)len);
	assert_int_equal(famfs_custom_io.read(sv[0], rbuf, sizeof(rbuf), &srv),
			 IN_HDR);
	n = read(sv[1], rbuf, sizeof(rbuf));
	assert_true(n >= OUT_HDR);
	assert_int_equal(get_le32(rbuf), (uint32_t)n);		/* len */
	assert_int_equal(get_le64(rbuf + 8), 9);			/* unique */
	return (size_t)n;
}

static int32_t reply_error(void)
{
	return (int32_t)get_le32(rbuf + 4);
}

/* GET_FMAP in V10's form: nodeid, no in-arg. */
static size_t v10_get_fmap(uint64_t nodeid)
{
	return round_trip(OP_GET_FMAP, nodeid, NULL, 0);
}

/* GET_FMAP in our form: the in-arg { u32 size; u32 padding; }. */
static size_t our_get_fmap(uint64_t nodeid, uint32_t size)
{
	uint8_t arg[8] = { 0 };

	put_le32(arg, size);
	return round_trip(OP_GET_FMAP, nodeid, arg, sizeof(arg));
}

static uint64_t ino_of(const char *path)
{
	const struct famfs_node *n = ufs_lookup(fs, path);

	assert_non_null(n);
	return n->ino;
}

/* The reply to V10's GET_FMAP of a regular file: its map, at most a page. */
static void test_v10_get_fmap_regular(void **state)
{
	const struct famfs_node *n = ufs_lookup(fs, "a");
	uint8_t v10[V10_PAGE + OUT_HDR];
	size_t len;
	const uint8_t *h = rbuf + OUT_HDR, *se;

	(void)state;
	len = v10_get_fmap(n->ino);
	assert_int_equal(reply_error(), 0);
	assert_true(len - OUT_HDR <= V10_PAGE);
	assert_int_equal(len, OUT_HDR + 32 + 24 * n->file->nextents);
	assert_int_equal(h[0], FAMFS_FMAP_REG);			/* file_type */
	assert_int_equal(h[2] | h[3] << 8, 1);			/* fmap_version */
	assert_int_equal(get_le32(h + 4), FAMFS_FMAP_SIMPLE);	/* ext_type */
	assert_int_equal(get_le32(h + 8), n->file->nextents);
	assert_int_equal(get_le64(h + 16), 3 * UNIT_MiB + 1);	/* file_size */
	for (uint32_t i = 0; i < n->file->nextents; i++) {
		se = h + 32 + 24 * i;
		assert_int_equal(get_le32(se), n->file->ext[i].dev);
		assert_int_equal(get_le64(se + 8), n->file->ext[i].offset);
		assert_int_equal(get_le64(se + 16), n->file->ext[i].len);
	}
	/* our form gets the very same bytes */
	memcpy(v10, rbuf, len);
	assert_int_equal(our_get_fmap(n->ino, V10_PAGE), len);
	assert_memory_equal(rbuf + 8, v10 + 8, len - 8);
}

/* .meta/.superblock through V10's form: file type 1, its one extent. */
static void test_v10_get_fmap_meta(void **state)
{
	const uint8_t *h = rbuf + OUT_HDR;

	(void)state;
	assert_int_equal(v10_get_fmap(FAMFS_INO_SUPERBLOCK), OUT_HDR + 32 + 24);
	assert_int_equal(reply_error(), 0);
	assert_int_equal(h[0], FAMFS_FMAP_SUPERBLOCK);
	assert_int_equal(get_le64(h + 16), 2 * UT_MiB);
	assert_int_equal(get_le64(h + 32 + 8), 0);
	assert_int_equal(get_le64(h + 32 + 16), 2 * UT_MiB);
}

/*
 * An empty file: our form gets an empty reply ("no map"); V10 would fail
 * the open on it, so that form gets EINVAL and a log line.
 */
static void test_v10_get_fmap_empty_file(void **state)
{
	struct famfs_node *n = ufs_lookup(fs, "a");

	(void)state;
	n->file->nextents = 0;		/* as the server's create makes it */
	n->file->size = 0;
	n->size = 0;
	assert_int_equal(our_get_fmap(n->ino, V10_PAGE), OUT_HDR);
	assert_int_equal(reply_error(), 0);
	assert_int_equal(v10_get_fmap(n->ino), OUT_HDR);
	assert_int_equal(reply_error(), -EINVAL);
	/* the form itself is fine: a file with memory is answered */
	assert_true(v10_get_fmap(FAMFS_INO_SUPERBLOCK) > OUT_HDR);
	assert_int_equal(reply_error(), 0);
}

/* No such node: ENOENT in both forms. */
static void test_v10_get_fmap_unknown_node(void **state)
{
	(void)state;
	assert_int_equal(v10_get_fmap(ino_of("a") + 1000), OUT_HDR);
	assert_int_equal(reply_error(), -ENOENT);
	assert_int_equal(our_get_fmap(ino_of("a") + 1000, V10_PAGE), OUT_HDR);
	assert_int_equal(reply_error(), -ENOENT);
}

/* GET_DAXDEV in V10's form: the index is the nodeid, no in-arg. */
static void test_v10_get_daxdev_by_nodeid(void **state)
{
	const uint8_t *o = rbuf + OUT_HDR;
	uint8_t v10[OUT_HDR + DAXDEV_OUT];
	uint8_t arg[4] = { 0 };

	(void)state;
	assert_int_equal(round_trip(OP_GET_DAXDEV, 0, NULL, 0),
			 OUT_HDR + DAXDEV_OUT);
	assert_int_equal(reply_error(), 0);
	assert_int_equal(o[0] | o[1] << 8, 0);			/* index */
	assert_int_equal(o[2] | o[3] << 8, 0);	/* a file: no device number */
	assert_int_equal(get_le64(o + 8), 0);			/* reserved3 */
	assert_string_equal((const char *)o + 24, fs->devs[0].dev->path);
	memcpy(v10, rbuf, sizeof(v10));
	/* index 1 is not in the log */
	assert_int_equal(round_trip(OP_GET_DAXDEV, 1, NULL, 0), OUT_HDR);
	assert_int_equal(reply_error(), -ENODEV);
	/* a nodeid no u32 index can be */
	assert_int_equal(round_trip(OP_GET_DAXDEV, 1ull << 32, NULL, 0),
			 OUT_HDR);
	assert_int_equal(reply_error(), -EINVAL);
	/* our form: the in-arg names the device, whatever the nodeid */
	assert_int_equal(round_trip(OP_GET_DAXDEV, 1, arg, sizeof(arg)),
			 OUT_HDR + DAXDEV_OUT);
	assert_memory_equal(rbuf + 8, v10 + 8, sizeof(v10) - 8);
	put_le32(arg, 1);
	assert_int_equal(round_trip(OP_GET_DAXDEV, 0, arg, sizeof(arg)),
			 OUT_HDR);
	assert_int_equal(reply_error(), -ENODEV);
}

/* In-args of neither form (shorter than ours, not empty) are refused. */
static void test_short_in_args_refused(void **state)
{
	uint8_t arg[8] = { 0 };

	(void)state;
	for (size_t len = 1; len < 8; len++) {
		put_le32(arg, V10_PAGE);
		assert_int_equal(round_trip(OP_GET_FMAP, FAMFS_INO_SUPERBLOCK,
					    arg, len), OUT_HDR);
		assert_int_equal(reply_error(), -EINVAL);
	}
	for (size_t len = 1; len < 4; len++) {
		memset(arg, 0, sizeof(arg));
		assert_int_equal(round_trip(OP_GET_DAXDEV, 0, arg, len),
				 OUT_HDR);
		assert_int_equal(reply_error(), -EINVAL);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_v10_get_fmap_regular,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_v10_get_fmap_meta,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_v10_get_fmap_empty_file,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_v10_get_fmap_unknown_node,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_v10_get_daxdev_by_nodeid,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_short_in_args_refused,
						setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
