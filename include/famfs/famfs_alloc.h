/* SPDX-License-Identifier: Apache-2.0 */
/* Allocation bitmaps (alloc.c). */
#ifndef FAMFS_ALLOC_H
#define FAMFS_ALLOC_H

#include <stdint.h>

struct famfs_why;

struct famfs_bitmap {
	uint64_t nbits;
	uint64_t used;			/* bits set */
	uint64_t cursor;		/* where the next search starts */
	uint64_t *w;
};

int famfs_bitmap_init(struct famfs_bitmap *b, uint64_t nbits);
void famfs_bitmap_free(struct famfs_bitmap *b);
int famfs_bitmap_test(const struct famfs_bitmap *b, uint64_t i);
uint64_t famfs_bitmap_set(struct famfs_bitmap *b, uint64_t start, uint64_t n);
void famfs_bitmap_clear(struct famfs_bitmap *b, uint64_t start, uint64_t n);
int famfs_bitmap_alloc(struct famfs_bitmap *b, uint64_t n, uint64_t *start);
int famfs_bitmap_alloc_aligned(struct famfs_bitmap *b, uint64_t n,
			       uint64_t align, uint64_t *start);
int famfs_bitmap_alloc_in(struct famfs_bitmap *b, uint64_t from, uint64_t to,
			  uint64_t n, uint64_t align, uint64_t *start);

int famfs_full_warning(int log, uint64_t used, uint64_t total,
		       struct famfs_why *why);

#endif /* FAMFS_ALLOC_H */
