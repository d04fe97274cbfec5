/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Helpers shared by the libFuzzer targets.  The properties here are
 * restated from the format description (docs/format.md, omf.h), not taken
 * from the library, so a target can hold the library to them.
 */
#ifndef FAMFS_FUZZ_UTIL_H
#define FAMFS_FUZZ_UTIL_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "famfs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A broken invariant: say which, then abort so libFuzzer keeps the input. */
#define FUZZ_ASSERT(cond)						\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "%s:%d: invariant failed: %s\n",	\
				__FILE__, __LINE__, #cond);		\
			abort();					\
		}							\
	} while (0)

/*
 * A stored path a replayer may accept: 1..FAMFS_PATH_MAX bytes, no NUL,
 * relative, components of 1..FAMFS_NAME_MAX bytes separated by single
 * slashes, none "." or "..", and not under the reserved top-level ".meta".
 * Returns 1 if @p[0..n) has all of these properties.
 */
static inline int fuzz_path_is_safe(const char *p, size_t n)
{
	size_t i = 0, comp = 0;

	if (n == 0 || n > FAMFS_PATH_MAX || memchr(p, 0, n) || p[0] == '/')
		return 0;
	if (n >= 5 && !memcmp(p, ".meta", 5) && (n == 5 || p[5] == '/'))
		return 0;
	while (i <= n) {
		size_t start = i;

		while (i < n && p[i] != '/')
			i++;
		if (i == start || i - start > FAMFS_NAME_MAX)
			return 0;
		if (p[start] == '.' && (i - start == 1 ||
					(i - start == 2 && p[start + 1] == '.')))
			return 0;
		comp++;
		i++;			/* past the slash (or the end) */
	}
	return comp > 0;
}

#endif /* FAMFS_FUZZ_UTIL_H */
