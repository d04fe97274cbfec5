/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The mount registry (registry.c): one lock file per (host identity,
 * device), held by the process that serves the mount, so a second mount of
 * the same device by the same host is refused and names the first.
 */
#ifndef FAMFS_REGISTRY_H
#define FAMFS_REGISTRY_H

#include <limits.h>
#include <sys/stat.h>

#include "famfs.h"

#define FAMFS_REGISTRY_DIR	"/run/famfs"

struct famfs_registry {
	int fd;				/* the lock file, -1 if none */
	int locked;			/* we hold its flock */
	char path[PATH_MAX];
};

void famfs_registry_init(struct famfs_registry *r);
int famfs_registry_lock(struct famfs_registry *r, const char *dir,
			const uint8_t host[16], const struct stat *dev,
			const char *devpath, const char *mnt,
			struct famfs_why *why);
int famfs_registry_note(struct famfs_registry *r, const char *mnt);
void famfs_registry_release(struct famfs_registry *r, int remove);

#endif /* FAMFS_REGISTRY_H */
