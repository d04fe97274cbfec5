// SPDX-License-Identifier: Apache-2.0
/*
 * Allocation bitmaps: one bit per allocation unit of a device, bit i being
 * device bytes [i * au, (i + 1) * au).  Units below the data offset are set
 * at init.  Replay sets the units of every file; allocation is first fit
 * from a roving cursor, so consecutive creates do not rescan the full map.
 * A bit is a granule: the allocation unit, or 4 KiB on a filesystem with
 * packed small files (create.c decides where each file goes).
 */
#include <inttypes.h>
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

/* First set bit in [i, end) (end within the map), or end; a word a step. */
static uint64_t next_set(const struct famfs_bitmap *b, uint64_t i,
			 uint64_t end)
{
	uint64_t k, m;

	while (i < end) {
		m = b->w[i / WBITS] & word_mask(i, end, &k);
		if (m)
			return i / WBITS * WBITS + (uint64_t)__builtin_ctzll(m);
		i += k;
	}
	return end;
}

static uint64_t align_up(uint64_t v, uint64_t align)
{
	return (v + align - 1) / align * align;
}

/*
 * First run of n clear bits in [from, to) that starts at a multiple of
 * align: each candidate is checked a word at a time, and a set bit moves
 * the search to the next clear bit after it.
 */
static int find_run(const struct famfs_bitmap *b, uint64_t from,
		    uint64_t to, uint64_t n, uint64_t align, uint64_t *start)
{
	uint64_t i = align_up(next_clear(b, from), align), s;

	if (to > b->nbits)
		to = b->nbits;
	while (i < to && n <= to - i) {
		s = next_set(b, i, i + n);
		if (s == i + n) {
			*start = i;
			return 0;
		}
		i = align_up(next_clear(b, s + 1), align);
	}
	return -ENOSPC;
}

/*
 * Allocate n contiguous bits starting at a multiple of align (a power of
 * two or 1) within [from, to).  The cursor does not move.
 */
int famfs_bitmap_alloc_in(struct famfs_bitmap *b, uint64_t from, uint64_t to,
			  uint64_t n, uint64_t align, uint64_t *start)
{
	int rc;

	if (n == 0 || align == 0 || n > b->nbits - b->used)
		return -ENOSPC;
	rc = find_run(b, from, to, n, align, start);
	if (!rc)
		famfs_bitmap_set(b, *start, n);
	return rc;
}

/*
 * Allocate n contiguous bits at a multiple of align, first fit from the
 * cursor, then wrapping.
 */
int famfs_bitmap_alloc_aligned(struct famfs_bitmap *b, uint64_t n,
			       uint64_t align, uint64_t *start)
{
	int rc;

	rc = famfs_bitmap_alloc_in(b, b->cursor, b->nbits, n, align, start);
	if (rc && b->cursor)
		rc = famfs_bitmap_alloc_in(b, 0, b->nbits, n, align, start);
	if (!rc)
		b->cursor = *start + n;
	return rc;
}

/* Allocate n contiguous bits, first fit from the cursor, then wrapping. */
int famfs_bitmap_alloc(struct famfs_bitmap *b, uint64_t n, uint64_t *start)
{
	return famfs_bitmap_alloc_aligned(b, n, 1, start);
}

/*
 * When @used is 90% of @total or more: a warning in @why saying how full
 * the log (@log) or the space is and what to do.  Returns 1 when warned.
 */
int famfs_full_warning(int log, uint64_t used, uint64_t total,
		       struct famfs_why *why)
{
	double pct;

	if (!total || used < total - total / 10)
		return 0;
	pct = 100.0 * (double)used / (double)total;
	if (log)
		famfs_why_set(why, "log %.0f%% full (%" PRIu64 " of %" PRIu64 " KiB): new files will soon be refused (log full); make the filesystem again with a larger log (famfs mkfs -l)",
			      pct, used >> 10, total >> 10);
	else
		famfs_why_set(why, "space %.0f%% used (%" PRIu64 " of %" PRIu64 " MiB): new files will soon be refused (no space); add a device (famfs devadd) or use a larger one",
			      pct, used >> 20, total >> 20);
	return 1;
}
