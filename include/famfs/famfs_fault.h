/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Stores of metadata: into the log (entry, zeroed window, tail record)
 * and superblocks (mkfs, and devadd's secondary: its old one zeroed,
 * "kill", then the new one, "superblock").
 *
 * In a release build they are memcpy and memset.  In a test build
 * (-DFAMFS_FAULT_INJECT, never build/famfs) the environment variable
 * FAMFS_FAULT_META_BYTES=N makes the process store only the first N bytes
 * of metadata it writes (counted over its lifetime) and then kill itself
 * with SIGKILL: a crash after exactly N bytes, torn inside a store when N
 * falls there.  FAMFS_FAULT_MARK=FILE receives one line saying which store
 * was cut and where.  tests/reliability/crash.sh drives it.
 */
#ifndef FAMFS_FAULT_H
#define FAMFS_FAULT_H

#include <stddef.h>
#include <string.h>

#include "famfs_incoherent.h"

#ifdef FAMFS_FAULT_INJECT
void famfs_meta_store(void *dst, const void *src, size_t len,
		      const char *what);
void famfs_meta_zero(void *dst, size_t len, const char *what);
#else
static inline void famfs_meta_store(void *dst, const void *src, size_t len,
				    const char *what)
{
	(void)what;
	memcpy(dst, src, len);
	famfs_inco_note(dst, len);
}

static inline void famfs_meta_zero(void *dst, size_t len, const char *what)
{
	(void)what;
	memset(dst, 0, len);
	famfs_inco_note(dst, len);
}
#endif

#endif /* FAMFS_FAULT_H */
