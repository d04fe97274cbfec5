// SPDX-License-Identifier: Apache-2.0
/*
 * Device-dax modes through sysfs (famfs_daxmode.h), the way libdaxctl
 * does it but with no libdaxctl: a device's driver is the link
 * SYS/bus/dax/devices/NAME/driver; a driver is changed by writing NAME to
 * the old driver's unbind file, then to the new driver's new_id (which
 * binds it when the dax bus matches) and, if it is still unbound, to its
 * bind file.  Every path is under the sysfs root the caller passes.
 */
#include <dirent.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "famfs_daxmode.h"

static const char *const mode_names[] = {
	[FAMFS_DAX_UNBOUND] = "unbound",
	[FAMFS_DAX_DEVDAX] = "devdax (device_dax)",
	[FAMFS_DAX_FSDEV] = "famfs (fsdev_dax)",
	[FAMFS_DAX_KMEM] = "system-ram (kmem)",
	[FAMFS_DAX_OTHER] = "another driver",
};

const char *famfs_dax_mode_name(enum famfs_dax_mode mode)
{
	if ((unsigned int)mode >= sizeof(mode_names) / sizeof(mode_names[0]))
		return "unknown";
	return mode_names[mode];
}

enum famfs_dax_mode famfs_dax_mode_of(const char *driver)
{
	if (!driver[0])
		return FAMFS_DAX_UNBOUND;
	if (!strcmp(driver, FAMFS_DRV_DEVDAX))
		return FAMFS_DAX_DEVDAX;
	if (!strcmp(driver, FAMFS_DRV_FSDEV))
		return FAMFS_DAX_FSDEV;
	if (!strcmp(driver, FAMFS_DRV_KMEM))
		return FAMFS_DAX_KMEM;
	return FAMFS_DAX_OTHER;
}

/* The last component of symlink @path into @out; -errno. */
static int link_base(const char *path, char *out, size_t len)
{
	char target[PATH_MAX];
	ssize_t n = readlink(path, target, sizeof(target) - 1);
	const char *b;

	if (n < 0)
		return -errno;
	target[n] = 0;
	b = strrchr(target, '/');
	b = b ? b + 1 : target;
	if (strlen(b) >= len)
		return -ENAMETOOLONG;
	memcpy(out, b, strlen(b) + 1);
	return 0;
}

int famfs_dax_name(const char *sys, unsigned int maj, unsigned int min,
		   char *name, size_t len, struct famfs_why *why)
{
	char path[PATH_MAX];
	int rc;

	snprintf(path, sizeof(path), "%s/dev/char/%u:%u", sys, maj, min);
	rc = link_base(path, name, len);
	if (rc) {
		famfs_why_set(why, "%s: %s", path, strerror(-rc));
		return rc;
	}
	if (strncmp(name, "dax", 3)) {
		famfs_why_set(why, "char device %u:%u is %s, not a device-dax device",
			      maj, min, name);
		return -ENODEV;
	}
	return 0;
}

/* An unsigned number (decimal or 0x hex) from one sysfs file. */
static int read_u64(const char *path, uint64_t *v)
{
	unsigned long long x;
	FILE *f = fopen(path, "re");
	int n;

	if (!f)
		return -errno;
	n = fscanf(f, "%lli", (long long *)&x);
	fclose(f);
	if (n != 1)
		return -EIO;
	*v = x;
	return 0;
}

int famfs_dax_info(const char *sys, const char *name,
		   struct famfs_dax_info *info, struct famfs_why *why)
{
	char dir[PATH_MAX], path[PATH_MAX + 16];
	int rc;

	memset(info, 0, sizeof(*info));
	if (strlen(name) >= sizeof(info->name) || strchr(name, '/')) {
		famfs_why_set(why, "'%s' is not a dax device name", name);
		return -EINVAL;
	}
	memcpy(info->name, name, strlen(name) + 1);
	snprintf(dir, sizeof(dir), "%s/bus/dax/devices/%s", sys, name);
	snprintf(path, sizeof(path), "%s/size", dir);
	rc = read_u64(path, &info->size);
	if (rc) {
		famfs_why_set(why, "cannot read %s: %s", path, strerror(-rc));
		return rc;
	}
	snprintf(path, sizeof(path), "%s/align", dir);
	rc = read_u64(path, &info->align);
	if (rc && rc != -ENOENT) {	/* older kernels have no align */
		famfs_why_set(why, "cannot read %s: %s", path, strerror(-rc));
		return rc;
	}
	snprintf(path, sizeof(path), "%s/driver", dir);
	rc = link_base(path, info->driver, sizeof(info->driver));
	if (rc && rc != -ENOENT) {
		famfs_why_set(why, "cannot read %s: %s", path, strerror(-rc));
		return rc;
	}
	info->mode = famfs_dax_mode_of(info->driver);
	return 0;
}

int famfs_dax_usable(const struct famfs_dax_info *info, struct famfs_why *why)
{
	if (info->mode == FAMFS_DAX_KMEM) {
		famfs_why_set(why, "%s is in system-ram mode (bound to kmem): its memory belongs to the kernel; offline it and bind it to device_dax first",
			      info->name);
		return -EBUSY;
	}
	if (info->mode == FAMFS_DAX_UNBOUND) {
		famfs_why_set(why, "%s is bound to no dax driver", info->name);
		return -ENXIO;
	}
	if (info->align && info->align < FAMFS_DAX_MIN_ALIGN) {
		famfs_why_set(why, "%s has align %" PRIu64 " (below 2 MiB): DAX faults need 2 MiB pages; recreate it with align 2M or more",
			      info->name, info->align);
		return -EINVAL;
	}
	return 0;
}

int famfs_dax_of_path(const char *sys, const char *path,
		      struct famfs_dax_info *info, struct famfs_why *why)
{
	char name[FAMFS_DAX_NAME_LEN];
	struct stat st;
	int rc;

	if (stat(path, &st)) {
		famfs_why_set(why, "%s", strerror(errno));
		return -errno;
	}
	if (!S_ISCHR(st.st_mode))
		return -ENOTTY;
	rc = famfs_dax_name(sys, major(st.st_rdev), minor(st.st_rdev), name,
			    sizeof(name), why);
	return rc ? rc : famfs_dax_info(sys, name, info, why);
}

/* Write @val to SYS/bus/dax/drivers/@drv/@file; -errno, why names it. */
static int drv_write(const char *sys, const char *drv, const char *file,
		     const char *val, struct famfs_why *why)
{
	char path[PATH_MAX];
	size_t n = strlen(val);
	int fd, rc = 0;

	snprintf(path, sizeof(path), "%s/bus/dax/drivers/%s/%s", sys, drv,
		 file);
	errno = 0;
	fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0 || write(fd, val, n) != (ssize_t)n)
		rc = errno ? -errno : -EIO;
	if (fd >= 0 && close(fd) && !rc)
		rc = -errno;
	if (rc)
		famfs_why_set(why, "writing '%s' to %s: %s", val, path,
			      strerror(-rc));
	return rc;
}

/* The driver @name is bound to now, into @drv ("" if none). */
static int cur_driver(const char *sys, const char *name, char *drv,
		      size_t len, struct famfs_why *why)
{
	char path[PATH_MAX];
	int rc;

	snprintf(path, sizeof(path), "%s/bus/dax/devices/%s/driver", sys, name);
	drv[0] = 0;
	rc = link_base(path, drv, len);
	if (rc == -ENOENT)
		return 0;
	if (rc)
		famfs_why_set(why, "cannot read %s: %s", path, strerror(-rc));
	return rc;
}

int famfs_dax_set_driver(const char *sys, const char *name, const char *drv,
			 int *changed, struct famfs_why *why)
{
	char cur[FAMFS_DAX_NAME_LEN];
	int rc = cur_driver(sys, name, cur, sizeof(cur), why);

	*changed = 0;
	if (rc || !strcmp(cur, drv))
		return rc;
	if (famfs_dax_mode_of(cur) == FAMFS_DAX_KMEM) {
		famfs_why_set(why, "%s is in system-ram mode (bound to kmem): its memory belongs to the kernel; famfs does not take it back",
			      name);
		return -EBUSY;
	}
	*changed = 1;
	if (cur[0]) {
		rc = drv_write(sys, cur, "unbind", name, why);
		if (rc)
			return rc;
	}
	rc = drv_write(sys, drv, "new_id", name, why);
	if (rc && rc != -EEXIST)	/* EEXIST: the id was there already */
		return rc;
	rc = cur_driver(sys, name, cur, sizeof(cur), why);
	if (!rc && strcmp(cur, drv))
		rc = drv_write(sys, drv, "bind", name, why);
	if (!rc)
		rc = cur_driver(sys, name, cur, sizeof(cur), why);
	if (!rc && strcmp(cur, drv)) {
		famfs_why_set(why, "%s did not bind to %s (bound to %s)", name,
			      drv, cur[0] ? cur : "no driver");
		rc = -ENXIO;
	}
	return rc;
}

/* Does /proc/PID/maps of some process map the inode of @st?  Its pid. */
static pid_t mapped_by(const char *proc, const struct stat *st)
{
	char path[PATH_MAX], *line = NULL, key[64];
	struct dirent *d;
	size_t cap = 0;
	pid_t pid = 0;
	DIR *dir = opendir(proc);

	if (!dir)
		return 0;
	/* "addr perms offset MAJ:MIN INODE path": MAJ:MIN in hex */
	snprintf(key, sizeof(key), " %02x:%02x %lu ", major(st->st_dev),
		 minor(st->st_dev), (unsigned long)st->st_ino);
	while (!pid && (d = readdir(dir))) {
		FILE *f;

		if (d->d_name[0] < '1' || d->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "%s/%s/maps", proc, d->d_name);
		f = fopen(path, "re");
		if (!f)
			continue;
		while (!pid && getline(&line, &cap, f) > 0)
			if (strstr(line, key))
				pid = (pid_t)atoi(d->d_name);
		fclose(f);
	}
	free(line);
	closedir(dir);
	return pid;
}

int famfs_dax_busy(const char *proc, const char *path, struct famfs_why *why)
{
	struct stat st;
	pid_t pid;
	int fd, rc;
	char mi[PATH_MAX];

	snprintf(mi, sizeof(mi), "%s/self/mountinfo", proc);
	rc = famfs_mountinfo_dev(mi, path, why);
	if (rc)
		return rc;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st)) {
		rc = -errno;
		famfs_why_set(why, "%s", strerror(errno));
		if (fd >= 0)
			close(fd);
		return rc;
	}
	rc = flock(fd, LOCK_EX | LOCK_NB) ? 1 : 0;
	close(fd);
	if (rc) {
		famfs_why_set(why, "in use by a famfs process (a mount, mkfs or fsck holds its lock)");
		return 1;
	}
	pid = mapped_by(proc, &st);
	if (pid) {
		famfs_why_set(why, "mapped by process %d", (int)pid);
		return 1;
	}
	return 0;
}
