// SPDX-License-Identifier: Apache-2.0
/*
 * The test-data stream (famfs_prng.h).  Word i of the stream for seed s
 * is splitmix64(s + i), so any range is produced from its own offset: a
 * file can be filled or verified in pieces, in any order, by any thread.
 * Bytes are little-endian on every host, so a file randomized on one host
 * verifies on another.
 */
#include "famfs.h"
#include "famfs_prng.h"

uint64_t famfs_splitmix64(uint64_t x)
{
	uint64_t z = x + 0x9e3779b97f4a7c15ull;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static inline uint64_t word(uint64_t seed, uint64_t off)
{
	return famfs_splitmix64(seed + (off >> 3));
}

/* Stream byte at @off. */
static inline uint8_t byte_at(uint64_t seed, uint64_t off)
{
	return (uint8_t)(word(seed, off) >> (8 * (off & 7)));
}

static inline void store_le64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static inline uint64_t load_le64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

void famfs_prng_fill(uint64_t seed, uint64_t off, void *buf, size_t len)
{
	uint8_t *p = buf;

	for (; len && (off & 7); len--)		/* up to a word boundary */
		*p++ = byte_at(seed, off++);
	for (; len >= 8; len -= 8, p += 8, off += 8)
		store_le64(p, word(seed, off));
	for (; len; len--)
		*p++ = byte_at(seed, off++);
}

/* Offset of the first byte of @p[0..n) that differs from the stream. */
static uint64_t first_bad_byte(uint64_t seed, uint64_t off, const uint8_t *p,
			       size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != byte_at(seed, off + i))
			return off + i;
	return off + n;			/* not reached: the caller saw one */
}

int famfs_prng_check(uint64_t seed, uint64_t off, const void *buf,
		     size_t len, uint64_t *bad)
{
	const uint8_t *p = buf;

	for (; len && (off & 7); len--, p++, off++)
		if (*p != byte_at(seed, off))
			goto mismatch;
	for (; len >= 8; len -= 8, p += 8, off += 8)
		if (load_le64(p) != word(seed, off)) {
			*bad = first_bad_byte(seed, off, p, 8);
			return -EILSEQ;
		}
	for (; len; len--, p++, off++)
		if (*p != byte_at(seed, off))
			goto mismatch;
	return 0;
mismatch:
	*bad = off;
	return -EILSEQ;
}
