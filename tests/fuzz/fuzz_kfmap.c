// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the kernel's GET_FMAP parser (kernel/src/
 * famfs_fmap_parse.c, the very file patch 0004 adds to fs/fuse), fed any
 * reply.  Beyond "no crash" (ASan/UBSan), every accepted map must keep
 * the promise the parser makes to the DAX path: each file offset resolves
 * inside its device, which is what stops a bad map from reaching physical
 * memory outside the device.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "../../kernel/src/famfs_kcompat.h"
#include "../../kernel/src/famfs_fmap_parse.c"

#define DEV_SIZE (1ull << 32)		/* every device: 4 GiB */

static int dev_size(void *ctx, u32 dev, u64 *size)
{
	(void)ctx;
	if (dev >= 4)			/* devices 0..3 exist */
		return -ENODEV;
	*size = DEV_SIZE;
	return 0;
}

/* Probe offsets across the file: start, ends of pieces, the last byte. */
static void check_map(const struct famfs_kfmap *m)
{
	struct famfs_loc loc;
	u64 off = 0;

	for (int steps = 0; off < m->file_size && steps < 4096; steps++) {
		if (famfs_kfmap_resolve(m, off, &loc))
			abort();	/* accepted map with a hole */
		if (loc.dev >= 4 || !loc.len || loc.daddr + loc.len < loc.daddr ||
		    loc.daddr + loc.len > DEV_SIZE)
			abort();	/* outside its device */
		off += loc.len;
	}
	if (m->file_size && famfs_kfmap_resolve(m, m->file_size - 1, &loc))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct famfs_kfmap *m = NULL;
	void *buf = malloc(size ? size : 1);

	if (!buf)
		return 0;
	memcpy(buf, data, size);	/* exact length: ASan sees overreads */
	if (!famfs_kfmap_parse(buf, size, 4096, dev_size, NULL, &m)) {
		check_map(m);
		famfs_kfmap_free(m);
	}
	free(buf);
	return 0;
}
