/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Test-only model of memory that is not cache-coherent between hosts
 * (lib/incoherent.c).  Compiled in only with -DFAMFS_INCOHERENT (the
 * build/incoherent build of tests/incoherent/incoherent.mk); build/famfs
 * never contains it, and in every other build the hooks below are empty
 * inlines.
 *
 * In the model every famfs_dev_open() gets a private view of the device:
 * an anonymous copy that this open alone loads and stores, made of 64-byte
 * "cache lines".  The device's real mapping is the shared backing.  Data
 * moves between a view and the backing only when:
 *   - famfs_flush() writes the dirty lines of its range back;
 *   - famfs_invalidate() writes back the dirty lines of its range (as
 *     clflush does) and reloads every line of it from the backing;
 *   - in the eviction mode, a seeded choice writes back (or drops and
 *     reloads) lines near recent stores, flushes and invalidates early.
 * Two opens of one image, in one process or two, are two hosts.
 *
 * FAMFS_INCOHERENT selects the mode of a process:
 *   never            (default) lines move only at flush and invalidate
 *   evict:SEED[:P]   also early evictions, P per mille of events (250)
 *   off              no model: the device mapping is used directly
 * FAMFS_INCOHERENT_STATS=FILE appends one line of counters per process
 * that used the model, at exit.
 */
#ifndef FAMFS_INCOHERENT_H
#define FAMFS_INCOHERENT_H

#include <stddef.h>
#include <stdint.h>

struct famfs_dev;

/* What the model did in this process (famfs_inco_stats()). */
struct famfs_inco_stats {
	uint64_t views;			/* private views made */
	uint64_t flushed;		/* dirty lines written back by flush */
	uint64_t reloaded;		/* lines reloaded by invalidate */
	uint64_t inval_wb;		/* dirty lines written back by invalidate */
	uint64_t evicted;		/* dirty lines written back early */
	uint64_t dropped;		/* clean lines dropped and reloaded early */
};

#ifdef FAMFS_INCOHERENT
int famfs_inco_enabled(void);
int famfs_inco_attach(struct famfs_dev *dev);
void famfs_inco_detach(struct famfs_dev *dev);
int famfs_inco_flush(const void *addr, size_t len);
int famfs_inco_invalidate(const void *addr, size_t len);
void famfs_inco_note(const void *addr, size_t len);
int famfs_inco_set_mode(const char *spec);
void famfs_inco_stats(struct famfs_inco_stats *st);
/* Tests: @fn runs after every flush, invalidate and noted store. */
void famfs_inco_observe(void (*fn)(void *arg), void *arg);
#else
static inline int famfs_inco_enabled(void)
{
	return 0;
}

static inline int famfs_inco_attach(struct famfs_dev *dev)
{
	(void)dev;
	return 0;
}

static inline void famfs_inco_detach(struct famfs_dev *dev)
{
	(void)dev;
}

static inline int famfs_inco_flush(const void *addr, size_t len)
{
	(void)addr;
	(void)len;
	return 0;
}

static inline int famfs_inco_invalidate(const void *addr, size_t len)
{
	(void)addr;
	(void)len;
	return 0;
}

static inline void famfs_inco_note(const void *addr, size_t len)
{
	(void)addr;
	(void)len;
}
#endif

#endif /* FAMFS_INCOHERENT_H */
