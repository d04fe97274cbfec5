/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Device-dax modes (lib/daxmode.c): which dax driver a /dev/daxX.Y is
 * bound to, read and changed through sysfs with no libdaxctl.  Every
 * function takes the sysfs root (the commands pass FAMFS_SYSFS; the unit
 * tests a tree built in a temporary directory).
 *
 *   device_dax  the default: the char device maps the memory (mmap)
 *   fsdev_dax   famfs mode: the kernel serves fs-dax from it, the char
 *               device takes pread/pwrite/fsync only (mmap is ENODEV)
 *   kmem        system-ram mode: the memory is the kernel's; refused
 */
#ifndef FAMFS_DAXMODE_H
#define FAMFS_DAXMODE_H

#include <stddef.h>
#include <stdint.h>

#include "famfs.h"

#define FAMFS_SYSFS		"/sys"
#define FAMFS_PROCFS		"/proc"
#define FAMFS_DAX_NAME_LEN	64
#define FAMFS_DAX_MIN_ALIGN	(2ull << 20)	/* a PMD: 2 MiB faults */

#define FAMFS_DRV_DEVDAX	"device_dax"
#define FAMFS_DRV_FSDEV		"fsdev_dax"
#define FAMFS_DRV_KMEM		"kmem"

enum famfs_dax_mode {
	FAMFS_DAX_UNBOUND,		/* no driver */
	FAMFS_DAX_DEVDAX,		/* device_dax */
	FAMFS_DAX_FSDEV,		/* fsdev_dax */
	FAMFS_DAX_KMEM,			/* kmem: system-ram */
	FAMFS_DAX_OTHER,		/* a driver we do not know */
};

/* A device-dax device as sysfs shows it. */
struct famfs_dax_info {
	char name[FAMFS_DAX_NAME_LEN];	/* "dax0.0" */
	char driver[FAMFS_DAX_NAME_LEN];	/* "" when unbound */
	enum famfs_dax_mode mode;
	uint64_t align;			/* bytes; 0 when sysfs has no align */
	uint64_t size;
};

const char *famfs_dax_mode_name(enum famfs_dax_mode mode);
enum famfs_dax_mode famfs_dax_mode_of(const char *driver);

/*
 * The sysfs name of char device MAJ:MIN (the last component of the link
 * SYS/dev/char/MAJ:MIN), or -ENODEV when that is not a dax device.
 */
int famfs_dax_name(const char *sys, unsigned int maj, unsigned int min,
		   char *name, size_t len, struct famfs_why *why);

/* Driver, mode, align and size of dax device @name; -errno (why says). */
int famfs_dax_info(const char *sys, const char *name,
		   struct famfs_dax_info *info, struct famfs_why *why);

/*
 * May famfs use it?  -EBUSY for kmem (system-ram) mode, -EINVAL for an
 * align below FAMFS_DAX_MIN_ALIGN, -ENXIO when no driver is bound; 0.
 */
int famfs_dax_usable(const struct famfs_dax_info *info, struct famfs_why *why);

/*
 * Is device node @path (a dax char device) mounted, held by a famfs
 * process or mapped by any process?  1 busy (why names the holder),
 * 0 free, -errno.  @proc: the procfs root.
 */
int famfs_dax_busy(const char *proc, const char *path, struct famfs_why *why);

/*
 * Bind dax device @name to driver @drv: unbind it from its driver, write
 * its name to SYS/bus/dax/drivers/DRV/new_id, then to .../bind when that
 * did not bind it, and check the driver link.  0 when bound (also when it
 * already was; *changed says whether anything was written), -errno with
 * why naming the sysfs file.  kmem mode is refused (-EBUSY).  The caller
 * checks famfs_dax_busy() first.
 */
int famfs_dax_set_driver(const char *sys, const char *name, const char *drv,
			 int *changed, struct famfs_why *why);

/*
 * The dax device behind device node @path (a char device): 0 with @info
 * filled, -ENOTTY when @path is not a char device (an image file or a
 * block device), other -errno (why says).
 */
int famfs_dax_of_path(const char *sys, const char *path,
		      struct famfs_dax_info *info, struct famfs_why *why);

#endif /* FAMFS_DAXMODE_H */
