/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Scratch space for the unit tests: a fresh directory under $TMPDIR (or
 * /tmp), files written into it, and its removal.  No test touches a fixed
 * path.
 */
#ifndef FAMFS_UNIT_TMP_H
#define FAMFS_UNIT_TMP_H

#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct ut_tmp {
	char dir[PATH_MAX];
};

static inline void ut_tmp_make(struct ut_tmp *t)
{
	const char *base = getenv("TMPDIR");

	snprintf(t->dir, sizeof(t->dir), "%s/famfs-unit.XXXXXX",
		 base && base[0] ? base : "/tmp");
	assert_non_null(mkdtemp(t->dir));
}

/* @name inside the scratch directory, into @out. */
static inline const char *ut_tmp_path(const struct ut_tmp *t,
				      const char *name, char *out, size_t len)
{
	int n = snprintf(out, len, "%s/%s", t->dir, name);

	assert_true(n > 0 && (size_t)n < len);
	return out;
}

/* Write @text to @name (created or truncated); returns the path in @out. */
static inline const char *ut_tmp_write(const struct ut_tmp *t,
				       const char *name, const char *text,
				       char *out, size_t len)
{
	FILE *f;

	ut_tmp_path(t, name, out, len);
	f = fopen(out, "w");
	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
	return out;
}

static inline int ut_rm_one(const char *p, const struct stat *st, int type,
			    struct FTW *ftw)
{
	(void)st;
	(void)type;
	(void)ftw;
	chmod(p, 0700);
	return remove(p);
}

static inline void ut_tmp_remove(struct ut_tmp *t)
{
	assert_int_equal(nftw(t->dir, ut_rm_one, 16, FTW_DEPTH | FTW_PHYS), 0);
}

#endif /* FAMFS_UNIT_TMP_H */
