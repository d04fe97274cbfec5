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

/*
 * End of [start, start+n) within the map; start when the range is empty,
 * wraps around or lies past the end.
 */
static uint64_t range_end(const struct famfs_bitmap *b, uint64_t start,
			  uint64_t n)
{
	uint64_t end = start + n;

	if (end < start || start >= b->nbits)
		return start;
	return end < b->nbits ? end : b->nbits;
}

/* The bits of word i / WBITS from bit i up to end (at most the word). */
static uint64_t word_mask(uint64_t i, uint64_t end, uint64_t *nbits)
{
	uint64_t lo = i % WBITS, k = WBITS - lo;

	if (k > end - i)
		k = end - i;
	*nbits = k;
	return (k == WBITS ? ~0ull : ((1ull << k) - 1)) << lo;
}

/*
 * Set [start, start+n); returns how many of those bits were already set.
 * A word at a time: a crafted extent may span 2^32 units.
 */
uint64_t famfs_bitmap_set(struct famfs_bitmap *b, uint64_t start, uint64_t n)
{
	uint64_t end = range_end(b, start, n), dup = 0, k, mask, had;

	for (uint64_t i = start; i < end; i += k) {
		mask = word_mask(i, end, &k);
		had = (uint64_t)__builtin_popcountll(b->w[i / WBITS] & mask);
		b->w[i / WBITS] |= mask;
		b->used += k - had;
		dup += had;
	}
	return dup;
}

void famfs_bitmap_clear(struct famfs_bitmap *b, uint64_t start, uint64_t n)
{
	uint64_t end = range_end(b, start, n), k, mask;

	for (uint64_t i = start; i < end; i += k) {
		mask = word_mask(i, end, &k);
		b->used -= (uint64_t)__builtin_popcountll(b->w[i / WBITS] & mask);
		b->w[i / WBITS] &= ~mask;
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
