/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libmount's userspace mount table (lib/utab.c): the famfs options the
 * kernel does not keep, for findmnt and mount(8) to show.
 */
#ifndef FAMFS_UTAB_H
#define FAMFS_UTAB_H

#define FAMFS_UTAB_DIR		"/run/mount"
#define FAMFS_UTAB_PATH		4096

struct famfs_utab {
	const char *dir;		/* FAMFS_UTAB_DIR; tests use another */
};

/* Record @opts (comma separated) for the mount on @target; "" removes. */
int famfs_utab_add(const struct famfs_utab *u, const char *src,
		   const char *target, const char *opts);
/* Forget the mount on @target.  Both return 0 or -errno. */
int famfs_utab_remove(const struct famfs_utab *u, const char *target);

#endif /* FAMFS_UTAB_H */
