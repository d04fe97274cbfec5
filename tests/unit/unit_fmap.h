/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Building struct famfs_fmap values by hand in unit tests (include after
 * <cmocka.h>): a zeroed map of @n extents, and one extent set.
 */
#ifndef FAMFS_UNIT_FMAP_H
#define FAMFS_UNIT_FMAP_H

#include <stdint.h>
#include <stdlib.h>

#include "famfs_ns.h"

static inline struct famfs_fmap *mk_map(uint32_t ext_type, uint64_t size,
					uint64_t chunk, uint32_t n)
{
	struct famfs_fmap *m = calloc(1, sizeof(*m) + n * sizeof(m->ext[0]));

	assert_non_null(m);
	m->ext_type = ext_type;
	m->size = size;
	m->chunk = chunk;
	m->nextents = n;
	return m;
}

static inline void set_ext(struct famfs_fmap *m, uint32_t i, uint32_t dev,
			   uint64_t off, uint64_t len)
{
	m->ext[i] = (struct famfs_extent){ .dev = dev, .offset = off,
					   .len = len };
}

#endif /* FAMFS_UNIT_FMAP_H */
