/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Shared helpers for the famfs unit tests: a bitwise CRC32C reference that
 * shares no code with lib/crc.c, little-endian byte writers for building
 * expected on-media images by hand, and an in-memory device.
 */
#ifndef FAMFS_UNIT_UTIL_H
#define FAMFS_UNIT_UTIL_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "famfs.h"

#define UT_MiB ((uint64_t)1 << 20)
#define UT_GiB ((uint64_t)1 << 30)

/* Bit-at-a-time CRC32C (reflected 0x82f63b78), same pre/post inversion. */
static inline uint32_t ref_crc32c(uint32_t crc, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	crc = ~crc;
	while (len--) {
		crc ^= *p++;
		for (int k = 0; k < 8; k++)
			crc = (crc & 1) ? (crc >> 1) ^ 0x82f63b78u : crc >> 1;
	}
	return ~crc;
}

static inline void put_le16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static inline void put_le32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static inline void put_le64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static inline uint32_t get_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 |
	       (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t get_le64(const uint8_t *p)
{
	return (uint64_t)get_le32(p) | (uint64_t)get_le32(p + 4) << 32;
}

/* A UUID whose bytes are first, first+1, ... first+15. */
static inline void ut_uuid(uint8_t u[16], uint8_t first)
{
	for (int i = 0; i < 16; i++)
		u[i] = (uint8_t)(first + i);
}

/* Deterministic pseudo-random bytes (xorshift32), seed must be nonzero. */
static inline void ut_fill_random(void *buf, size_t len, uint32_t seed)
{
	uint8_t *p = buf;

	for (size_t i = 0; i < len; i++) {
		seed ^= seed << 13;
		seed ^= seed >> 17;
		seed ^= seed << 5;
		p[i] = (uint8_t)seed;
	}
}

/*
 * An in-memory device: base is a calloc'd buffer.  PMEM kind so that
 * famfs_dev_sync() is a no-op; fd -1 because there is no file.
 */
static inline int ut_mem_dev_init(struct famfs_dev *dev, uint64_t size)
{
	memset(dev, 0, sizeof(*dev));
	dev->base = calloc(1, (size_t)size);
	if (!dev->base)
		return -ENOMEM;
	dev->fd = -1;
	dev->kind = FAMFS_DEV_PMEM;
	dev->flags = FAMFS_DEV_RDWR;
	dev->size = size;
	return 0;
}

static inline void ut_mem_dev_free(struct famfs_dev *dev)
{
	free(dev->base);
	dev->base = NULL;
}

/*
 * One case of a byte-flip sweep: @rc must be a refusal with one of the
 * decoder's errnos @errs (0-terminated) and, when @why is given, a reason.
 * Otherwise the case (@fmt) is printed and counted in *@bad, and the sweep
 * goes on: every case runs, the test asserts *@bad == 0 at the end.
 */
static inline void ut_refused(int rc, const int *errs, const char *why,
			      unsigned int *bad, const char *fmt, ...)
{
	char what[128];
	va_list ap;
	int known = 0;

	for (const int *e = errs; *e; e++)
		known |= rc == -*e;
	if (known && (!why || why[0]))
		return;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (++*bad <= 20)
		print_error("%s: rc %d%s\n", what, rc,
			    known ? ", no reason" : " (not a decoder errno)");
}

#endif /* FAMFS_UNIT_UTIL_H */
