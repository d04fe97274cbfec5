/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The famfs test-data stream (prng.c): a seeded pseudo-random byte stream
 * that can be produced or checked at any offset, by any thread, without
 * producing what comes before.  The 8 bytes at offset 8*i of the stream
 * for seed s are famfs_splitmix64(s + i), little-endian; byte o of a file
 * randomized with seed s is byte o of the stream.  Pure: no I/O, no state.
 */
#ifndef FAMFS_PRNG_H
#define FAMFS_PRNG_H

#include <stddef.h>
#include <stdint.h>

/* The splitmix64 output for state @x: mix(x + 0x9e3779b97f4a7c15). */
uint64_t famfs_splitmix64(uint64_t x);

/* Fill @buf with stream bytes [@off, @off + @len) of @seed. */
void famfs_prng_fill(uint64_t seed, uint64_t off, void *buf, size_t len);

/*
 * Compare @buf with stream bytes [@off, @off + @len) of @seed.  Returns 0
 * when they match, or -EILSEQ with *@bad set to the stream (file) offset
 * of the first byte that differs.
 */
int famfs_prng_check(uint64_t seed, uint64_t off, const void *buf,
		     size_t len, uint64_t *bad);

#endif /* FAMFS_PRNG_H */
