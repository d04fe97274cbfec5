/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The few kernel types and helpers famfs_fmap_parse.c uses, for compiling
 * that file unchanged in userspace (tests/unit/test_kfmap.c):
 *
 *	#include "../../kernel/src/famfs_kcompat.h"
 *	#include "../../kernel/src/famfs_fmap_parse.c"
 *
 * The wire structs come from include/famfs/fuse_famfs.h (build with -Iinclude/famfs), the
 * userspace twin of the uapi the kernel patches add; the unit test checks
 * that both agree on every size and offset.  pr_warn_ratelimited() keeps
 * the last message in famfs_kc_last_warn so a test can check which rule
 * refused a reply; set FAMFS_KC_VERBOSE=1 to also print it.
 */
#ifndef FAMFS_KCOMPAT_H
#define FAMFS_KCOMPAT_H

#ifdef __KERNEL__
#error "famfs_kcompat.h is for userspace builds only"
#endif

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuse_famfs.h"

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;

#define BIT_ULL(nr)			(1ULL << (nr))
#define check_add_overflow(a, b, d)	__builtin_add_overflow(a, b, d)
#define check_mul_overflow(a, b, d)	__builtin_mul_overflow(a, b, d)
#define MAX_LFS_FILESIZE		((u64)INT64_MAX)	/* 64-bit */
#define GFP_KERNEL			0

static inline void *kvzalloc(size_t size, int gfp)
{
	(void)gfp;
	return calloc(1, size);
}

static inline void kvfree(const void *p)
{
	free((void *)p);
}

static inline u64 div64_u64_rem(u64 dividend, u64 divisor, u64 *rem)
{
	*rem = dividend % divisor;
	return dividend / divisor;
}

static inline u64 div_u64_rem(u64 dividend, u32 divisor, u32 *rem)
{
	*rem = (u32)(dividend % divisor);
	return dividend / divisor;
}

static char famfs_kc_last_warn[512];

__attribute__((format(printf, 1, 2)))
static inline void famfs_kc_warn(const char *fmt, ...)
{
	const char *v = getenv("FAMFS_KC_VERBOSE");
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(famfs_kc_last_warn, sizeof(famfs_kc_last_warn), fmt, ap);
	va_end(ap);
	if (v && *v == '1')
		fputs(famfs_kc_last_warn, stderr);
}

#define pr_warn_ratelimited(fmt, ...) famfs_kc_warn(pr_fmt(fmt), ##__VA_ARGS__)

#endif /* FAMFS_KCOMPAT_H */
