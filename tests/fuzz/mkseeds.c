// SPDX-License-Identifier: Apache-2.0
/*
 * Seed corpus for fuzz_kfmap: GET_FMAP replies our server really sends,
 * made with the userspace encoder (lib/fmap.c).  Usage: mkseeds DIR
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "famfs_fmap.h"

static void put(const char *dir, const char *name, const void *b, int n)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "we");
	if (!f || fwrite(b, 1, (size_t)n, f) != (size_t)n)
		exit(1);
	fclose(f);
}

static void seed(const char *dir, const char *name, uint32_t type,
		 uint64_t chunk, uint32_t n, uint64_t size, uint8_t ftype)
{
	struct famfs_fmap *m = calloc(1, sizeof(*m) + n * sizeof(m->ext[0]));
	uint8_t buf[FAMFS_FMAP_MAX];
	uint64_t len = type ? ((size + chunk - 1) / chunk + n - 1) / n * chunk
			    : (size + n - 1) / n + 4095;
	int r;

	if (!m)
		exit(1);
	len &= ~4095ull;
	m->size = size;
	m->ext_type = type;
	m->chunk = chunk;
	m->nextents = n;
	for (uint32_t i = 0; i < n; i++)
		m->ext[i] = (struct famfs_extent){ i % 2, (i + 1) * (64ull << 20), len };
	r = famfs_fmap_encode(m, ftype, size, buf, sizeof(buf));
	if (r < 0)
		exit(2);
	put(dir, name, buf, r);
	free(m);
}

int main(int argc, char **argv)
{
	if (argc != 2)
		return 2;
	seed(argv[1], "simple1", FAMFS_EXT_SIMPLE, 0, 1, 1 << 20, FAMFS_FMAP_REG);
	seed(argv[1], "simple32", FAMFS_EXT_SIMPLE, 0, 32, 64 << 20, FAMFS_FMAP_REG);
	seed(argv[1], "superblock", FAMFS_EXT_SIMPLE, 0, 1, 2 << 20, FAMFS_FMAP_SUPERBLOCK);
	seed(argv[1], "log", FAMFS_EXT_SIMPLE, 0, 1, 8 << 20, FAMFS_FMAP_LOG);
	seed(argv[1], "interleave4", FAMFS_EXT_INTERLEAVE, 2 << 20, 4, 24 << 20, FAMFS_FMAP_REG);
	seed(argv[1], "interleave32", FAMFS_EXT_INTERLEAVE, 1 << 21, 32, 100 << 20, FAMFS_FMAP_REG);
	return 0;
}
