/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Building GET_FMAP replies for the kernel-parser tests (test_kfmap.c,
 * test_kfmap_multi.c): the wire structs of include/famfs/fuse_famfs.h appended to
 * one byte buffer, so the layout is the one the kernel sees.  Include after
 * cmocka.h and famfs_kcompat.h; define KFMAP_RBUF_SIZE first for a buffer
 * other than 8 KiB.
 */
#ifndef FAMFS_KFMAP_REPLY_H
#define FAMFS_KFMAP_REPLY_H

#ifndef KFMAP_RBUF_SIZE
#define KFMAP_RBUF_SIZE 8192
#endif

static uint8_t rbuf[KFMAP_RBUF_SIZE] __attribute__((aligned(8)));
static size_t rlen;

static void put(const void *p, size_t n)
{
	assert_true(rlen + n <= sizeof(rbuf));
	memcpy(rbuf + rlen, p, n);
	rlen += n;
}

/* Start a reply with its header. */
static void hdr(uint8_t file_type, uint32_t ext_type, uint32_t n,
		uint64_t size)
{
	struct fuse_famfs_fmap_header h = {
		.file_type = file_type,
		.fmap_version = FAMFS_FMAP_VERSION,
		.ext_type = ext_type,
		.nextents = n,
		.file_size = size,
	};

	rlen = 0;
	put(&h, sizeof(h));
}

/* A simple extent, or a strip of an interleaved extent. */
static void se(uint32_t dev, uint64_t off, uint64_t len)
{
	struct fuse_famfs_simple_ext e = {
		.se_devindex = dev,
		.se_offset = off,
		.se_len = len,
	};

	put(&e, sizeof(e));
}

/* An interleaved extent; its @nstrips strips follow with se(). */
static void ie(uint32_t nstrips, uint32_t chunk, uint64_t nbytes)
{
	struct fuse_famfs_iext e = {
		.ie_nstrips = nstrips,
		.ie_chunk_size = chunk,
		.ie_nbytes = nbytes,
	};

	put(&e, sizeof(e));
}

#endif /* FAMFS_KFMAP_REPLY_H */
