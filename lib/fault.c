// SPDX-License-Identifier: Apache-2.0
/*
 * Test-only crash injection in the metadata store path (famfs_fault.h).
 * Compiled to nothing unless -DFAMFS_FAULT_INJECT (the fault builds of
 * the Makefile and tests/vm/vm.mk); build/famfs never contains it.
 */
#ifdef FAMFS_FAULT_INJECT
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "famfs.h"
#include "famfs_fault.h"

static pthread_once_t fault_once = PTHREAD_ONCE_INIT;
static uint64_t fault_budget = UINT64_MAX;	/* no limit when unset */
static uint64_t fault_used;			/* bytes stored so far */

static void fault_init(void)
{
	const char *s = getenv("FAMFS_FAULT_META_BYTES");
	char *end;

	if (s && *s) {
		fault_budget = strtoull(s, &end, 0);
		if (*end)
			fault_budget = UINT64_MAX;
	}
}

/* Say which store was cut after how many of its bytes, then die. */
static void fault_stop(const char *what, uint64_t done, size_t len)
{
	const char *mark = getenv("FAMFS_FAULT_MARK");
	char line[160];
	int fd, n;

	if (mark && *mark) {
		n = snprintf(line, sizeof(line),
			     "%s %" PRIu64 " %zu total %" PRIu64 "\n",
			     what, done, len, fault_budget);
		fd = open(mark, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
		if (fd >= 0) {
			if (write(fd, line, (size_t)n) < 0)
				n = 0;
			close(fd);
		}
	}
	raise(SIGKILL);
	_exit(137);
}

/* How many of @len bytes may still be stored; stops when none may. */
static size_t fault_room(size_t len)
{
	uint64_t used;

	pthread_once(&fault_once, fault_init);
	if (fault_budget == UINT64_MAX)
		return len;
	used = __atomic_fetch_add(&fault_used, len, __ATOMIC_SEQ_CST);
	if (used >= fault_budget)
		return 0;
	return fault_budget - used < len ? (size_t)(fault_budget - used) : len;
}

void famfs_meta_store(void *dst, const void *src, size_t len,
		      const char *what)
{
	size_t n = fault_room(len);

	memcpy(dst, src, n);
	if (n < len) {
		famfs_flush(dst, n);
		fault_stop(what, n, len);
	}
}

void famfs_meta_zero(void *dst, size_t len, const char *what)
{
	size_t n = fault_room(len);

	memset(dst, 0, n);
	if (n < len) {
		famfs_flush(dst, n);
		fault_stop(what, n, len);
	}
}
#endif /* FAMFS_FAULT_INJECT */
