/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Shared by the GET_FMAP encoder tests (test_fmap.c) and the GET_DAXDEV
 * and resolver tests (test_fmap_resolve.c): patterned buffers and maps
 * built by hand.
 */
#ifndef FAMFS_FMAP_UTIL_H
#define FAMFS_FMAP_UTIL_H

#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/sysmacros.h>
#include <cmocka.h>

#include "famfs_fmap.h"
#include "unit_fmap.h"
#include "unit_util.h"

#define PAT		0xa5
#define BUFSZ		(FAMFS_FMAP_MAX + 4096)
#define C2M		(2 * UT_MiB)

static inline void need_le(void)
{
	if (__BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__)
		skip();
}

/* @n simple extents of @len each, dev i % 4, laid out back to back. */
static inline struct famfs_fmap *mk_simple_n(uint32_t n, uint64_t len)
{
	struct famfs_fmap *m = mk_map(FAMFS_EXT_SIMPLE, n * len, 0, n);

	for (uint32_t i = 0; i < n; i++)
		set_ext(m, i, i % 4, 0x40000000 + i * len, len);
	return m;
}

/*
 * The interleaved file of the golden image: 4 strips, 2 MiB chunk,
 * 24 MiB, so each strip needs 3 chunks (6 MiB); strip 3 has spare room.
 */
static inline struct famfs_fmap *mk_interleave4(void)
{
	struct famfs_fmap *m = mk_map(FAMFS_EXT_INTERLEAVE, 24 * UT_MiB,
				      C2M, 4);

	set_ext(m, 0, 0, 0x00a00000, 0x600000);
	set_ext(m, 1, 1, 0x00200000, 0x600000);
	set_ext(m, 2, 2, 0x100000000, 0x600000);
	set_ext(m, 3, 3, 0x00600000, 0x800000);
	return m;
}

/* @n strips of @len each for a file of @size with chunk @chunk. */
static inline struct famfs_fmap *mk_strips(uint32_t n, uint64_t chunk,
				           uint64_t size, uint64_t len)
{
	struct famfs_fmap *m = mk_map(FAMFS_EXT_INTERLEAVE, size, chunk, n);

	for (uint32_t i = 0; i < n; i++)
		set_ext(m, i, i, 0x200000 + i * len, len);
	return m;
}

static inline void assert_pattern(const uint8_t *b, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++)
		if (b[i] != PAT)
			fail_msg("byte %zu changed to 0x%02x", i, b[i]);
}

#endif /* FAMFS_FMAP_UTIL_H */
