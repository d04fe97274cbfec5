/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Shared by the log tests (test_log.c, test_log_format.c): the log geometry
 * of the tests, filesystem seeds and a tail record built by hand.
 */
#ifndef FAMFS_LOG_UTIL_H
#define FAMFS_LOG_UTIL_H

#include <inttypes.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>
#include <cmocka.h>

#include "famfs.h"
#include "famfs_log.h"
#include "famfs_mkfs.h"
#include "unit_util.h"

#define LOG_LEN		(2 * UT_MiB)
#define AU		(2 * UT_MiB)
#define ENTRIES		0x1000u
#define TAIL0		0x200u
#define TAIL1		0x240u

static inline uint32_t seed_of(uint8_t first)
{
	uint8_t u[16];

	ut_uuid(u, first);
	return ref_crc32c(0, u, 16);
}

static inline void assert_msg_nonempty(const struct famfs_why *why)
{
	assert_true(why->msg[0] != '\0');
}

static inline void tail_by_hand(uint64_t gen, uint64_t off, uint64_t seq,
			        uint32_t seed, uint8_t *b)
{
	memset(b, 0, 64);
	put_le64(b + 0x00, gen);
	put_le64(b + 0x08, off);
	put_le64(b + 0x10, seq);
	put_le32(b + 0x3c, ref_crc32c(seed, b, 0x3c));
}

#endif /* FAMFS_LOG_UTIL_H */
