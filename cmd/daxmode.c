// SPDX-License-Identifier: Apache-2.0
/*
 * -M/--set-daxmode of famfs mkfs and famfs mount (upstream's flag, and
 * the appliance's [device] set_daxmode): put a device-dax device in famfs
 * mode, bound to fsdev_dax, before it is formatted or mounted.  Image
 * files and pmem block devices have no modes: a note, not an error.
 */
#include <string.h>

#include "cmd.h"
#include "famfs_daxmode.h"

/* 0: the device is in famfs mode now (or has no modes); -errno refused. */
int famfs_set_daxmode(const struct famfs_ctx *ctx, const char *path)
{
	struct famfs_why why = { "" };
	struct famfs_dax_info info;
	const char *was;
	int rc, changed;

	rc = famfs_dax_of_path(FAMFS_SYSFS, path, &info, &why);
	if (rc == -ENOTTY) {
		famfs_note(ctx, "-M: %s is not a device-dax device (an image file or pmem block device has no dax mode): nothing to switch",
			   path);
		return 0;
	}
	if (rc) {
		famfs_err(ctx, "-M: %s: %s", path, why.msg);
		return rc;
	}
	if (info.mode == FAMFS_DAX_FSDEV) {
		famfs_verbose(ctx, "-M: %s (%s) is in famfs mode already", path,
			      info.name);
		rc = famfs_dax_usable(&info, &why);
		if (rc)
			famfs_err(ctx, "-M: %s: %s", path, why.msg);
		return rc;
	}
	if (info.mode == FAMFS_DAX_KMEM) {
		famfs_dax_usable(&info, &why);
		famfs_err(ctx, "-M: cannot switch %s to famfs mode: %s", path,
			  why.msg);
		return -EBUSY;
	}
	if (info.align && info.align < FAMFS_DAX_MIN_ALIGN) {
		famfs_dax_usable(&info, &why);
		famfs_err(ctx, "-M: %s: %s", path, why.msg);
		return -EINVAL;
	}
	rc = famfs_dax_busy(FAMFS_PROCFS, path, &why);
	if (rc) {
		famfs_err(ctx, "-M: cannot switch %s (%s) to famfs mode: %s",
			  path, info.name, rc > 0 ? why.msg : strerror(-rc));
		return rc > 0 ? -EBUSY : rc;
	}
	was = famfs_dax_mode_name(info.mode);
	rc = famfs_dax_set_driver(FAMFS_SYSFS, info.name, FAMFS_DRV_FSDEV,
				  &changed, &why);
	if (rc) {
		famfs_err(ctx, "-M: cannot switch %s (%s) to famfs mode: %s",
			  path, info.name, why.msg);
		return rc;
	}
	famfs_note(ctx, "%s (%s): switched from %s to famfs mode (fsdev_dax)",
		   path, info.name, was);
	return 0;
}

/*
 * Without -M: a device-dax device left in devdax mode (device_dax) can
 * be mounted, but fs-dax cannot use its memory, so the mount serves files
 * on the fallback path.  Says so once; 1 when that is the case, else 0.
 */
int famfs_dax_mode_note(const struct famfs_ctx *ctx, const char *path)
{
	struct famfs_dax_info info;

	if (famfs_dax_of_path(FAMFS_SYSFS, path, &info, NULL) ||
	    info.mode != FAMFS_DAX_DEVDAX)
		return 0;
	famfs_note(ctx, "%s (%s) is in devdax mode (device_dax): files are served on the fallback path; for DAX, mount with -M to switch it to famfs mode (fsdev_dax)",
		   path, info.name);
	return 1;
}
