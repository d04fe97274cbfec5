// SPDX-License-Identifier: Apache-2.0
/*
 * The server's FUSE I/O hooks (server_io.c, famfs_custom_io), driven over
 * a SOCK_SEQPACKET pair the way /dev/fuse delivers one request per read:
 *
 *  - INIT: FUSE_DAX_FMAP is accepted only when the kernel offers it, the
 *    data path is not "fallback" and the server holds CAP_SYS_RAWIO in its
 *    effective set (dropped here with capset(2) to prove the refusal);
 *  - GET_FMAP: a map inside the device is answered with the map; the same
 *    map once the device is smaller than the map is answered with -EIO and
 *    no map bytes at all.
 */
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>
#include <linux/capability.h>
#include <linux/fuse.h>
#include <cmocka.h>

#include "server_priv.h"
#include "unit_srv.h"
#include "unit_util.h"

#define RAWIO		17	/* CAP_SYS_RAWIO */

static int sv[2];
static struct famfs_fs fs;
static struct famfs_server srv;
static uint8_t rbuf[1 << 16];

static int caps(int set, int raise)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d))
		return -1;
	if (!set)
		return !!(d[0].effective & (1u << RAWIO));
	if (raise)
		d[0].effective |= d[0].permitted & (1u << RAWIO);
	else
		d[0].effective &= ~(1u << RAWIO);
	return syscall(SYS_capset, &h, d) ? -1 : caps(0, 0);
}

static int setup(void **state)
{
	(void)state;
	memset(&fs, 0, sizeof(fs));
	usrv_init(&srv, sv, &fs);
	fs.ndevs = 1;
	fs.devs[0].size = 256 * UT_MiB;
	fs.dev.size = 256 * UT_MiB;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	usrv_fini(&srv, sv);
	caps(1, 1);
	return 0;
}

/* Send one request (header + @arg) to the server's end. */
static void send_req(uint32_t opcode, uint64_t unique, uint64_t nodeid,
		     const void *arg, size_t len)
{
	struct fuse_in_header h = {
		.len = (uint32_t)(sizeof(h) + len), .opcode = opcode,
		.unique = unique, .nodeid = nodeid,
	};
	struct iovec iov[2] = { { &h, sizeof(h) }, { (void *)arg, len } };

	assert_int_equal(writev(sv[1], iov, 2), (ssize_t)h.len);
}

/* An INIT offering @flags; the server's reply is amended; its flags. */
static uint64_t init_round(uint64_t offered)
{
	struct fuse_init_in in = {
		.major = 7, .minor = 41,
		.flags = (uint32_t)offered | FUSE_INIT_EXT,
		.flags2 = (uint32_t)(offered >> 32),
	};
	struct fuse_out_header oh = { sizeof(oh) + sizeof(struct fuse_init_out),
				      0, 77 };
	struct fuse_init_out out = { .major = 7, .minor = 41 };
	struct iovec iov[2] = { { &oh, sizeof(oh) }, { &out, sizeof(out) } };

	send_req(FUSE_INIT, 77, 0, &in, sizeof(in));
	assert_int_equal(famfs_custom_io.read(sv[0], rbuf, sizeof(rbuf), &srv),
			 (ssize_t)(sizeof(struct fuse_in_header) + sizeof(in)));
	assert_int_equal(famfs_custom_io.writev(sv[0], iov, 2, &srv),
			 (ssize_t)oh.len);
	assert_true(read(sv[1], rbuf, sizeof(rbuf)) == (ssize_t)oh.len);
	return out.flags | (uint64_t)out.flags2 << 32;
}

static void test_init_dax_needs_rawio(void **state)
{
	(void)state;
	if (caps(0, 0) != 1)
		skip();		/* not root: nothing to drop */
	srv.opts.data_path = FAMFS_DP_AUTO;
	assert_true(init_round(FUSE_DAX_FMAP_FLAG) & FUSE_DAX_FMAP_FLAG);
	assert_int_equal(srv.dax_on, 1);

	assert_int_equal(caps(1, 0), 0);	/* drop CAP_SYS_RAWIO */
	assert_false(init_round(FUSE_DAX_FMAP_FLAG) & FUSE_DAX_FMAP_FLAG);
	assert_int_equal(srv.dax_offered, 1);
	assert_int_equal(srv.dax_on, 0);
	srv.opts.data_path = FAMFS_DP_DAX;	/* asking for DAX changes nothing */
	assert_false(init_round(FUSE_DAX_FMAP_FLAG) & FUSE_DAX_FMAP_FLAG);
	assert_int_equal(srv.dax_on, 0);
	assert_int_equal(caps(1, 1), 1);
}

static void test_init_no_dax_when_not_offered_or_fallback(void **state)
{
	(void)state;
	srv.opts.data_path = FAMFS_DP_AUTO;
	assert_false(init_round(0) & FUSE_DAX_FMAP_FLAG);
	assert_int_equal(srv.dax_on, 0);
	srv.opts.data_path = FAMFS_DP_FALLBACK;
	assert_false(init_round(FUSE_DAX_FMAP_FLAG) & FUSE_DAX_FMAP_FLAG);
	assert_int_equal(srv.dax_on, 0);
}

/* GET_FMAP of .meta/.superblock; a trailing STATFS makes read() return. */
static ssize_t get_fmap_reply(struct fuse_out_header *oh)
{
	struct fuse_famfs_get_fmap_in gi = { .size = 4096 };
	ssize_t n;

	send_req(FUSE_GET_FMAP_OP, 9, FAMFS_INO_SUPERBLOCK, &gi, sizeof(gi));
	send_req(FUSE_STATFS, 10, 1, NULL, 0);
	assert_int_equal(famfs_custom_io.read(sv[0], rbuf, sizeof(rbuf), &srv),
			 (ssize_t)sizeof(struct fuse_in_header));
	n = read(sv[1], rbuf, sizeof(rbuf));
	assert_true(n >= (ssize_t)sizeof(*oh));
	memcpy(oh, rbuf, sizeof(*oh));
	assert_int_equal(oh->unique, 9);
	assert_int_equal(oh->len, (uint32_t)n);
	return n;
}

static void test_get_fmap_inside_and_beyond(void **state)
{
	struct fuse_out_header oh;
	struct fuse_famfs_simple_ext se;

	(void)state;
	assert_int_equal(get_fmap_reply(&oh),
			 sizeof(oh) + sizeof(struct fuse_famfs_fmap_header) +
			 sizeof(se));
	assert_int_equal(oh.error, 0);
	memcpy(&se, rbuf + sizeof(oh) + sizeof(struct fuse_famfs_fmap_header),
	       sizeof(se));
	assert_int_equal(se.se_offset, 0);
	assert_int_equal(se.se_len, 2 * UT_MiB);

	fs.dev.size = UT_MiB;		/* the device now ends inside the map */
	assert_int_equal(get_fmap_reply(&oh), sizeof(oh));
	assert_int_equal(oh.error, -EIO);
	fs.dev.size = 256 * UT_MiB;
	srv.sb_map->ext[0].dev = 1;	/* a device the server does not have */
	assert_int_equal(get_fmap_reply(&oh), sizeof(oh));
	assert_int_equal(oh.error, -EIO);
	srv.sb_map->ext[0].dev = 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_init_dax_needs_rawio,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_init_no_dax_when_not_offered_or_fallback,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_get_fmap_inside_and_beyond,
						setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
