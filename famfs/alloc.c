// SPDX-License-Identifier: Apache-2.0
/*
 * Allocation bitmaps: one bit per allocation unit of a device, bit i being
 * device bytes [i * au, (i + 1) * au).  Units below the data offset are set
 * at init.  Replay sets the units of every file; allocation is first fit
 * from a roving cursor, so consecutive creates do not rescan the full map.
 */
#include <stdlib.h>
#include <string.h>

#include "famfs.h"
#include "famfs_alloc.h"

#define WBITS 64

int famfs_bitmap_init(struct famfs_bitmap *b, uint64_t nbits)
{
	memset(b, 0, sizeof(*b));
	b->w = calloc((nbits + WBITS - 1) / WBITS, sizeof(uint64_t));
	if (!b->w)
		return -ENOMEM;
	b->nbits = nbits;
	return 0;
}

void famfs_bitmap_free(struct famfs_bitmap *b)
{
	free(b->w);
	memset(b, 0, sizeof(*b));
}

int famfs_bitmap_test(const struct famfs_bitmap *b, uint64_t i)
{
	return i < b->nbits && (b->w[i / WBITS] >> (i % WBITS) & 1);
}

/* Set [start, start+n); returns how many of those bits were already set. */
uint64_t famfs_bitmap_set(struct famfs_bitmap *b, uint64_t start, uint64_t n)
{
	uint64_t dup = 0;

	for (uint64_t i = start; i < start + n && i < b->nbits; i++) {
		uint64_t bit = 1ull << (i % WBITS);

		if (b->w[i / WBITS] & bit) {
			dup++;
		} else {
			b->w[i / WBITS] |= bit;
			b->used++;
		}
	}
	return dup;
}

void famfs_bitmap_clear(struct famfs_bitmap *b, uint64_t start, uint64_t n)
{
	for (uint64_t i = start; i < start + n && i < b->nbits; i++) {
		uint64_t bit = 1ull << (i % WBITS);

		if (b->w[i / WBITS] & bit) {
			b->w[i / WBITS] &= ~bit;
			b->used--;
		}
	}
}

/* Length of the run of clear bits starting at i, capped at want. */
static uint64_t clear_run(const struct famfs_bitmap *b, uint64_t i,
			  uint64_t want)
{
	uint64_t n = 0;

	while (n < want && i + n < b->nbits && !famfs_bitmap_test(b, i + n))
		n++;
	return n;
}

/* Next clear bit at or after i, or nbits; skips full words. */
static uint64_t next_clear(const struct famfs_bitmap *b, uint64_t i)
{
	while (i < b->nbits) {
		if (i % WBITS == 0 && b->w[i / WBITS] == ~0ull) {
			i += WBITS;
			continue;
		}
		if (!famfs_bitmap_test(b, i))
			return i;
		i++;
	}
	return b->nbits;
}

static int find_run(const struct famfs_bitmap *b, uint64_t from,
		    uint64_t to, uint64_t n, uint64_t *start)
{
	for (uint64_t i = next_clear(b, from); i + n <= to;
	     i = next_clear(b, i + 1)) {
		uint64_t run = clear_run(b, i, n);

		if (run == n) {
			*start = i;
			return 0;
		}
		i += run;
	}
	return -ENOSPC;
}

/* Allocate n contiguous units, first fit from the cursor, then wrapping. */
int famfs_bitmap_alloc(struct famfs_bitmap *b, uint64_t n, uint64_t *start)
{
	int rc;

	if (n == 0 || n > b->nbits - b->used)
		return -ENOSPC;
	rc = find_run(b, b->cursor, b->nbits, n, start);
	if (rc && b->cursor)
		rc = find_run(b, 0, b->nbits, n, start);
	if (rc)
		return rc;
	famfs_bitmap_set(b, *start, n);
	b->cursor = *start + n;
	return 0;
}
