// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: GET_FMAP and GET_DAXDEV encoding, round trip through
 * the kernel's parser (kernel/src/famfs_fmap_parse.c, compiled here as in
 * fuzz_kfmap).  A fuzz-generated file map goes through famfs_fmap_encode():
 *
 *  - refused: not one byte of the reply buffer is written, and the same
 *    map laid out by hand is refused by the kernel too (the encoder may be
 *    stricter only where it is on purpose: a chunk that is not a power of
 *    two);
 *  - accepted: the reply is famfs_fmap_reply_size() bytes, the kernel
 *    accepts it with devices as large as can be, and resolves every probed
 *    file offset to the same device, device offset and run length as the
 *    userspace resolver (lib/fmap.c).
 *
 * With the top bit of the first byte set the input drives
 * famfs_daxdev_encode() instead.
 *
 * Input: [0] control, [1] extent count, [2] chunk, then the file size, then
 * per extent a device byte and offset and length words; missing bytes are
 * zero.  Offsets and lengths are in pages unless the control says raw.
 */
#include <stdint.h>

#include "../../kernel/src/famfs_kcompat.h"
#include "../../kernel/src/famfs_fmap_parse.c"

#include "famfs_fmap.h"
#include "fuzz_util.h"

#define PAT	0xa5
#define MAXN	40			/* beyond the limit of 32 */

struct rd {
	const uint8_t *p;
	size_t left;
};

static uint64_t take(struct rd *r, size_t n)
{
	uint64_t v = 0;

	for (size_t i = 0; i < n; i++, r->left -= !!r->left)
		v |= (uint64_t)(r->left ? *r->p++ : 0) << (8 * i);
	return v;
}

static int huge_dev(void *ctx, u32 dev, u64 *size)
{
	(void)ctx;
	(void)dev;			/* the parser checked dev < 64 */
	*size = UINT64_MAX;
	return 0;
}

/* The map from the input; ctl bit 3: offsets and lengths in raw bytes. */
static struct famfs_fmap *read_map(struct rd *r, int ctl)
{
	uint32_t n = (uint32_t)take(r, 1) % (MAXN + 1);
	uint8_t c = (uint8_t)take(r, 1);
	struct famfs_fmap *m = calloc(1, sizeof(*m) + MAXN * sizeof(m->ext[0]));
	int raw = ctl & 0x08;

	FUZZ_ASSERT(m);
	m->ext_type = (ctl & 0x40) ? 2 : (ctl & 1);	/* 2: unknown */
	m->nextents = n;
	m->chunk = (c & 0x80) ? take(r, 4) : 1ull << (c % 40);
	if (raw || (ctl & 0x10)) {
		m->size = take(r, 8);
	} else {
		m->size = take(r, 3) * 4096;
		m->size -= take(r, 2) % 4096;	/* wraps to huge from 0 */
	}
	for (uint32_t i = 0; i < n; i++) {
		m->ext[i].dev = (uint32_t)take(r, 1) % 70;
		m->ext[i].offset = raw ? take(r, 8) : take(r, 4) * 4096;
		m->ext[i].len = raw ? take(r, 8) : take(r, 3) * 4096;
	}
	return m;
}

/* The reply as the encoder would write it, without its checks. */
static size_t raw_reply(const struct famfs_fmap *m, uint8_t ft, uint8_t *b)
{
	struct fuse_famfs_fmap_header h = {
		.file_type = ft, .fmap_version = FAMFS_FMAP_VERSION,
		.ext_type = m->ext_type,
		.nextents = m->ext_type == FAMFS_EXT_SIMPLE ? m->nextents : 1,
		.file_size = m->size,
	};
	struct fuse_famfs_iext ie = {
		.ie_nstrips = m->nextents, .ie_chunk_size = (uint32_t)m->chunk,
		.ie_nbytes = m->size,
	};
	size_t len = 0;

	memcpy(b, &h, sizeof(h));
	len += sizeof(h);
	if (m->ext_type == FAMFS_EXT_INTERLEAVE) {
		memcpy(b + len, &ie, sizeof(ie));
		len += sizeof(ie);
	}
	for (uint32_t i = 0; i < m->nextents; i++) {
		struct fuse_famfs_simple_ext se = {
			.se_devindex = m->ext[i].dev,
			.se_offset = m->ext[i].offset, .se_len = m->ext[i].len,
		};

		memcpy(b + len, &se, sizeof(se));
		len += sizeof(se);
	}
	return len;
}

/* Both resolvers agree at @off (below the file size). */
static void same_loc(const struct famfs_fmap *m, const struct famfs_kfmap *k,
		     uint64_t off)
{
	struct famfs_loc loc;
	uint64_t doff, len, klen;
	uint32_t dev;

	FUZZ_ASSERT(!famfs_fmap_resolve(m, off, &dev, &doff, &len));
	FUZZ_ASSERT(!famfs_kfmap_resolve(k, off, &loc));
	klen = loc.len < m->size - off ? loc.len : m->size - off;
	FUZZ_ASSERT(loc.dev == dev && loc.daddr == doff && klen == len);
	FUZZ_ASSERT(len && doff + len > doff);
}

static void round_trip(const struct famfs_fmap *m, uint8_t ft,
		       const uint8_t *b, int len, struct rd *r)
{
	struct famfs_kfmap *k = NULL;
	uint64_t off = 0;

	FUZZ_ASSERT(len == famfs_fmap_reply_size(m));
	FUZZ_ASSERT(!famfs_kfmap_parse(b, (size_t)len, FAMFS_FMAP_ALIGN,
				       huge_dev, NULL, &k));
	FUZZ_ASSERT(k->file_size == m->size && k->file_type == ft &&
		    k->ext_type == m->ext_type);
	if (m->size) {
		same_loc(m, k, 0);
		same_loc(m, k, m->size - 1);
		same_loc(m, k, take(r, 8) % m->size);
	}
	/* walk run by run from the start, as the DAX fault path does */
	for (int i = 0; i < 64 && off < m->size; i++) {
		uint64_t doff, rl;
		uint32_t dev;

		same_loc(m, k, off);
		famfs_fmap_resolve(m, off, &dev, &doff, &rl);
		off += rl;
	}
	famfs_kfmap_free(k);
}

static void fmap_one(struct rd *r, int ctl)
{
	static uint8_t b[FAMFS_FMAP_MAX + 64];
	struct famfs_fmap *m = read_map(r, ctl);
	uint8_t ft = (uint8_t)((ctl >> 1) & 3);
	size_t room = (ctl & 0x20) ? take(r, 2) : sizeof(b);
	struct famfs_kfmap *k = NULL;
	int len;

	memset(b, PAT, sizeof(b));
	len = famfs_fmap_encode(m, ft, m->size, b, room);
	if (len >= 0) {
		FUZZ_ASSERT((size_t)len <= room && b[len] == PAT);
		round_trip(m, ft, b, len, r);
	} else {
		for (size_t i = 0; i < sizeof(b); i++)
			FUZZ_ASSERT(b[i] == PAT);
		FUZZ_ASSERT(len == -EINVAL || len == -ERANGE);
		if (len == -EINVAL && m->ext_type <= FAMFS_EXT_INTERLEAVE &&
		    !famfs_kfmap_parse(b, raw_reply(m, ft, b), FAMFS_FMAP_ALIGN,
				       huge_dev, NULL, &k)) {
			/* the kernel took it: only the chunk rule is ours */
			FUZZ_ASSERT(m->ext_type == FAMFS_EXT_INTERLEAVE &&
				    (m->chunk & (m->chunk - 1)));
			famfs_kfmap_free(k);
		}
	}
	free(m);
}

static void daxdev_one(struct rd *r)
{
	uint32_t index = (uint32_t)take(r, 4);
	uint64_t devnum = take(r, 8);
	int chardev = (int)(take(r, 1) & 1);
	char name[FAMFS_DAXDEV_NAME_LEN + 8];
	struct fuse_daxdev_out out;
	size_t n;
	int rc;

	if (!(index & 0x10000))
		index &= 0xffff;
	if (devnum & 1)
		devnum = famfs_new_encode_dev((unsigned int)(devnum >> 8) & 0xfff,
					      (unsigned int)(devnum >> 20) & 0xfffff);
	n = r->left < sizeof(name) - 1 ? r->left : sizeof(name) - 1;
	memcpy(name, r->p, n);
	name[n] = 0;
	memset(&out, PAT, sizeof(out));
	rc = famfs_daxdev_encode(index, devnum, chardev, name, &out);
	if (rc) {
		for (size_t i = 0; i < sizeof(out); i++)
			FUZZ_ASSERT(((uint8_t *)&out)[i] == PAT);
		FUZZ_ASSERT(index > 0xffff || devnum > UINT32_MAX ||
			    strlen(name) >= FAMFS_DAXDEV_NAME_LEN ||
			    (!name[0] && !devnum) || (chardev && !devnum));
		return;
	}
	FUZZ_ASSERT(out.index == index && !out.reserved2 && !out.reserved4);
	FUZZ_ASSERT(out.reserved == (devnum ? FAMFS_DAXDEV_HAS_DEVNUM |
				     (chardev ? FAMFS_DAXDEV_CHARDEV : 0) : 0));
	FUZZ_ASSERT(out.reserved3 == devnum);
	FUZZ_ASSERT(memchr(out.name, 0, sizeof(out.name)));
	FUZZ_ASSERT(!strcmp(out.name, name));
	for (size_t i = strlen(name); i < sizeof(out.name); i++)
		FUZZ_ASSERT(!out.name[i]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rd r = { data, size };
	int ctl = (int)take(&r, 1);

	if (ctl & 0x80)
		daxdev_one(&r);
	else
		fmap_one(&r, ctl);
	return 0;
}
