/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the appliance's PID 1 needs from the system (boot.c): the API
 * filesystems, kernel modules, finding the memory device (by path or by
 * filesystem UUID), telling a blank device, the overlay root and
 * switch_root.  The front end is cmd/init.c.
 */
#ifndef FAMFS_BOOT_H
#define FAMFS_BOOT_H

#include "famfs.h"

#define FAMFS_BOOT_UPPER	"/run/famfs-root"	/* tmpfs: upper, work */
#define FAMFS_BOOT_NEWROOT	"/run/famfs-newroot"	/* the overlay */

double famfs_uptime(void);
int famfs_boot_api_mounts(unsigned int *mounted, struct famfs_why *why);
int famfs_boot_load_modules(const char *list, unsigned int *loaded,
			    struct famfs_why *why);
int famfs_boot_dev_ready(const char *path);
int famfs_boot_find_uuid(const uint8_t uuid[16], const char *const *extra,
			 unsigned int nextra, char *out, size_t outlen,
			 unsigned int *scanned, struct famfs_why *why);
int famfs_boot_is_blank(const char *path, struct famfs_why *why);
int famfs_boot_mkdirs(const char *path, struct famfs_why *why);
int famfs_boot_overlay(const char *lower, struct famfs_why *why);
int famfs_boot_switch_root(const char *const *binds, unsigned int nbinds,
			   const char *const *moves, unsigned int nmoves,
			   struct famfs_why *why);

#endif /* FAMFS_BOOT_H */
