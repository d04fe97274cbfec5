// SPDX-License-Identifier: Apache-2.0
/*
 * libFuzzer target: path validation (lib/path.c), the check every path
 * passes at create time and again at replay.  Arbitrary bytes go in; the
 * verdict must be exactly that of the properties restated independently in
 * fuzz_util.h (relative, no NUL, no empty, "." or ".." component, length
 * limits, not under .meta) - accepting one path those forbid is an escape,
 * refusing one they allow is a bug too.  For an accepted path the parent
 * (famfs_path_parent_len) is the path up to its last slash and is itself
 * acceptable.  The input is copied to a buffer of exactly its size, so any
 * read past the length is an ASan report.
 */
#include "fuzz_util.h"

static void check_parent(const char *p, size_t n)
{
	int plen = famfs_path_parent_len(p, n);
	const char *slash = memrchr(p, '/', n);

	if (!slash) {
		FUZZ_ASSERT(plen == 0);
		return;
	}
	FUZZ_ASSERT(plen == slash - p && plen > 0);
	FUZZ_ASSERT(famfs_path_check(p, (size_t)plen, NULL) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *p = malloc(size ? size : 1);
	struct famfs_why why;
	int rc;

	FUZZ_ASSERT(p);
	memcpy(p, data, size);
	memset(&why, 0x5a, sizeof(why));
	rc = famfs_path_check(p, size, &why);
	FUZZ_ASSERT(rc == 0 || rc == -EINVAL || rc == -ENAMETOOLONG);
	FUZZ_ASSERT((rc == 0) == fuzz_path_is_safe(p, size));
	if (rc) {
		FUZZ_ASSERT(memchr(why.msg, 0, sizeof(why.msg)) && why.msg[0]);
		FUZZ_ASSERT(rc != -ENAMETOOLONG || size > FAMFS_NAME_MAX);
	} else {
		check_parent(p, size);
	}
	free(p);
	return 0;
}
