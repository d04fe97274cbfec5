// SPDX-License-Identifier: Apache-2.0
/*
 * Paths as the log stores them: relative to the filesystem root, components
 * separated by single slashes.  The same rules apply when a path is written
 * and when it is replayed, so a crafted log cannot name anything outside.
 */
#include <string.h>

#include "famfs.h"

/* The top-level name the server reserves for .meta/.superblock and .log */
#define FAMFS_META_DIR ".meta"

static int component_check(const char *c, size_t n, struct famfs_why *why)
{
	if (n == 0) {
		famfs_why_set(why, "empty path component");
		return -EINVAL;
	}
	if (n > FAMFS_NAME_MAX) {
		famfs_why_set(why, "path component longer than %u bytes",
			      FAMFS_NAME_MAX);
		return -ENAMETOOLONG;
	}
	if ((n == 1 && c[0] == '.') || (n == 2 && c[0] == '.' && c[1] == '.')) {
		famfs_why_set(why, "'.' and '..' are not allowed in a famfs path");
		return -EINVAL;
	}
	return 0;
}

int famfs_path_check(const char *path, size_t len, struct famfs_why *why)
{
	size_t start = 0;
	int rc;

	if (len == 0) {
		famfs_why_set(why, "empty path");
		return -EINVAL;
	}
	if (len > FAMFS_PATH_MAX) {
		famfs_why_set(why, "path longer than %u bytes", FAMFS_PATH_MAX);
		return -ENAMETOOLONG;
	}
	if (memchr(path, '\0', len)) {
		famfs_why_set(why, "path contains a NUL byte");
		return -EINVAL;
	}
	if (path[0] == '/') {
		famfs_why_set(why, "absolute path where a relative one is stored");
		return -EINVAL;
	}
	for (size_t i = 0; i <= len; i++) {
		if (i < len && path[i] != '/')
			continue;
		rc = component_check(path + start, i - start, why);
		if (rc)
			return rc;
		if (start == 0 && i - start == strlen(FAMFS_META_DIR) &&
		    !memcmp(path, FAMFS_META_DIR, i)) {
			famfs_why_set(why, "'%s' is reserved", FAMFS_META_DIR);
			return -EINVAL;
		}
		start = i + 1;
	}
	return 0;
}

/* Length of the parent's path (0 for a top-level name). */
int famfs_path_parent_len(const char *path, size_t len)
{
	while (len > 0 && path[len - 1] != '/')
		len--;
	return len ? (int)len - 1 : 0;
}
