/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Exit codes, one definition each.  Each command's --help (and so its
 * manual page) documents the codes it uses.
 */
#ifndef FAMFS_EXIT_H
#define FAMFS_EXIT_H

/* Most commands */
#define FAMFS_EXIT_OK		0
#define FAMFS_EXIT_FAIL		1
#define FAMFS_EXIT_USAGE	2

/*
 * getmap answers "is FILE a mapped famfs file?" with upstream's codes
 * 0, 1 and 2, so its usage error is 3.
 */
#define FAMFS_GETMAP_MAPPED	0
#define FAMFS_GETMAP_NOTFAMFS	1	/* not in famfs, or no answer */
#define FAMFS_GETMAP_UNMAPPED	2	/* in famfs, not a mapped file */
#define FAMFS_GETMAP_USAGE	3

/* fsck: the fsck(8) bitmask (lib/fsck.c famfs_fsck_exit() sets it) */
#define FAMFS_FSCK_OK		0
#define FAMFS_FSCK_CORRECTED	1
#define FAMFS_FSCK_ERRORS	4
#define FAMFS_FSCK_OPERROR	8
#define FAMFS_FSCK_USAGE	16
#define FAMFS_FSCK_DEVMISSING	64	/* a device of the log is not found */

#endif /* FAMFS_EXIT_H */
