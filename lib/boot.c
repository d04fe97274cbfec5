// SPDX-License-Identifier: Apache-2.0
/*
 * The system side of the appliance's PID 1: API filesystems, modules,
 * finding the device, the overlay root and switch_root.  Library rules:
 * negative errno plus a reason, no output, no exit.
 */
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "famfs_boot.h"

/* Seconds since the kernel started (CLOCK_BOOTTIME). */
double famfs_uptime(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_BOOTTIME, &ts))
		return 0;
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const struct {
	const char *probe, *dir, *type, *opts;	/* probe: exists if mounted */
	unsigned long flags;
} api_fs[] = {
	{ "/proc/self", "/proc", "proc", NULL, MS_NOSUID | MS_NOEXEC },
	{ "/sys/kernel", "/sys", "sysfs", NULL, MS_NOSUID | MS_NOEXEC },
	{ "/dev/null", "/dev", "devtmpfs", "mode=0755", MS_NOSUID },
};

/* Mount /proc, /sys and /dev (devtmpfs) unless they are there already. */
int famfs_boot_api_mounts(unsigned int *mounted, struct famfs_why *why)
{
	*mounted = 0;
	for (size_t i = 0; i < sizeof(api_fs) / sizeof(api_fs[0]); i++) {
		if (access(api_fs[i].probe, F_OK) == 0)
			continue;
		mkdir(api_fs[i].dir, 0755);
		if (mount(api_fs[i].type, api_fs[i].dir, api_fs[i].type,
			  api_fs[i].flags, api_fs[i].opts)) {
			famfs_why_set(why, "cannot mount %s on %s: %s",
				      api_fs[i].type, api_fs[i].dir,
				      strerror(errno));
			return -errno;
		}
		(*mounted)++;
	}
	return 0;
}

static int load_module(const char *path, struct famfs_why *why)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc = 0;

	if (fd < 0) {
		famfs_why_set(why, "module %s: %s", path, strerror(errno));
		return -errno;
	}
	if (syscall(SYS_finit_module, fd, "", 0) && errno != EEXIST) {
		famfs_why_set(why, "cannot load module %s: %s", path,
			      strerror(errno));
		rc = -errno;
	}
	close(fd);
	return rc;
}

/*
 * Load the modules named in @list (one name a line, NAME.ko beside the
 * list), in order.  A missing list is not an error: nothing to load.
 */
int famfs_boot_load_modules(const char *list, unsigned int *loaded,
			    struct famfs_why *why)
{
	char line[256], path[PATH_MAX + 512], dir[PATH_MAX];
	const char *slash = strrchr(list, '/');
	FILE *f;
	int rc = 0;

	*loaded = 0;
	if (!*list || !slash)
		return 0;
	f = fopen(list, "re");
	if (!f && errno == ENOENT)
		return 0;
	if (!f) {
		rc = -errno;
		famfs_why_set(why, "modules list %s: %s", list, strerror(-rc));
		return rc;
	}
	snprintf(dir, sizeof(dir), "%.*s", (int)(slash - list), list);
	while (!rc && fgets(line, sizeof(line), f)) {
		line[strcspn(line, " \t\r\n")] = 0;
		if (!line[0] || line[0] == '#')
			continue;
		snprintf(path, sizeof(path), "%s/%s.ko", dir, line);
		rc = load_module(path, why);
		*loaded += !rc;
	}
	fclose(f);
	return rc;
}

/*
 * Can @path be opened?  A block device's node can appear before its disk
 * answers (ENXIO for a moment): the probe waits for this, not for the
 * name.  0 or a negative errno.
 */
int famfs_boot_dev_ready(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

/* Does @path hold the primary device of filesystem @uuid? */
static int has_fs(const char *path, const uint8_t uuid[16])
{
	struct famfs_sb_info sb;
	struct famfs_dev dev;
	struct famfs_why why;
	int hit = 0;

	if (famfs_dev_open(&dev, path, 0, &why))
		return 0;
	famfs_invalidate(dev.base, FAMFS_SB_SIZE);
	if (!famfs_sb_decode(dev.base, dev.size, &sb, &why))
		hit = !memcmp(sb.fs_uuid, uuid, 16) && famfs_sb_is_primary(&sb);
	famfs_dev_close(&dev);
	return hit;
}

/*
 * Scan /dev/pmem*, /dev/dax* and the @extra paths for the primary device
 * of filesystem @uuid; its path goes to @out.  -ENOENT if none has it
 * (yet); *@scanned says how many candidates were read.
 */
int famfs_boot_find_uuid(const uint8_t uuid[16], const char *const *extra,
			 unsigned int nextra, char *out, size_t outlen,
			 unsigned int *scanned, struct famfs_why *why)
{
	DIR *d = opendir("/dev");
	struct dirent *de;
	char path[PATH_MAX];
	int found = 0;

	*scanned = 0;
	for (unsigned int i = 0; i < nextra && !found; i++) {
		(*scanned) += access(extra[i], F_OK) == 0;
		if (has_fs(extra[i], uuid)) {
			snprintf(out, outlen, "%s", extra[i]);
			found = 1;
		}
	}
	while (d && !found && (de = readdir(d))) {
		if (strncmp(de->d_name, "pmem", 4) && strncmp(de->d_name, "dax", 3))
			continue;
		snprintf(path, sizeof(path), "/dev/%s", de->d_name);
		(*scanned)++;
		if (has_fs(path, uuid)) {
			snprintf(out, outlen, "%s", path);
			found = 1;
		}
	}
	if (d)
		closedir(d);
	if (found)
		return 0;
	famfs_why_set(why, "no device holds that filesystem (%u scanned)",
		      *scanned);
	return -ENOENT;
}

/*
 * Is the device blank: is its superblock region (and the first 4 KiB of
 * what follows) all zero?  1 blank, 0 not, negative errno if unreadable.
 */
int famfs_boot_is_blank(const char *path, struct famfs_why *why)
{
	struct famfs_dev dev;
	uint64_t len;
	int blank = 1;

	if (famfs_dev_open(&dev, path, 0, why))
		return -EIO;
	len = FAMFS_SB_REGION + 4096;
	if (len > dev.size)
		len = dev.size;
	famfs_invalidate(dev.base, len);
	for (uint64_t i = 0; i < len && blank; i++)
		blank = !dev.base[i];
	famfs_dev_close(&dev);
	return blank;
}

/* mkdir -p @path (absolute). */
int famfs_boot_mkdirs(const char *path, struct famfs_why *why)
{
	char p[PATH_MAX];
	size_t n = strlen(path);

	if (n >= sizeof(p) || path[0] != '/') {
		famfs_why_set(why, "bad directory '%s'", path);
		return -EINVAL;
	}
	memcpy(p, path, n + 1);
	for (char *s = p + 1; ; s++) {
		if (*s != '/' && *s)
			continue;
		char c = *s;

		*s = 0;
		if (mkdir(p, 0755) && errno != EEXIST) {
			famfs_why_set(why, "cannot create %s: %s", p,
				      strerror(errno));
			return -errno;
		}
		if (!c)
			return 0;
		*s = c;
	}
}

static int mount_why(const char *src, const char *dir, const char *type,
		     unsigned long flags, const char *opts,
		     struct famfs_why *why)
{
	if (!mount(src, dir, type, flags, opts))
		return 0;
	famfs_why_set(why, "cannot mount %s on %s: %s", type ? type : src,
		      dir, strerror(errno));
	return -errno;
}

/*
 * The node's root: overlayfs over @lower (a directory in famfs, read only)
 * with a tmpfs upper layer, at FAMFS_BOOT_NEWROOT.  Writes land in RAM;
 * the shared copy never changes.
 */
int famfs_boot_overlay(const char *lower, struct famfs_why *why)
{
	char opts[3 * PATH_MAX];
	struct stat st;
	int rc;

	if (stat(lower, &st)) {
		rc = -errno;
		famfs_why_set(why, "root tree %s: %s", lower, strerror(-rc));
		return rc;
	}
	if (!S_ISDIR(st.st_mode)) {
		famfs_why_set(why, "root tree %s: not a directory", lower);
		return -ENOTDIR;
	}
	rc = famfs_boot_mkdirs(FAMFS_BOOT_UPPER, why);
	if (!rc)
		rc = mount_why("tmpfs", FAMFS_BOOT_UPPER, "tmpfs", 0,
			       "mode=0755", why);
	if (rc)
		return rc;
	if (famfs_boot_mkdirs(FAMFS_BOOT_UPPER "/upper", why) ||
	    famfs_boot_mkdirs(FAMFS_BOOT_UPPER "/work", why) ||
	    famfs_boot_mkdirs(FAMFS_BOOT_NEWROOT, why))
		return -EIO;
	snprintf(opts, sizeof(opts),
		 "lowerdir=%s,upperdir=%s/upper,workdir=%s/work", lower,
		 FAMFS_BOOT_UPPER, FAMFS_BOOT_UPPER);
	return mount_why("overlay", FAMFS_BOOT_NEWROOT, "overlay", 0, opts,
			 why);
}

/*
 * Put @binds (the API file systems: /dev, /proc, /sys) and @moves (the
 * famfs mount) at the same paths under FAMFS_BOOT_NEWROOT, make it the
 * root and enter it.  The caller then execs the new init.  Processes
 * started before (the FUSE server) keep running with the old root as
 * theirs: the API file systems are bound, not moved, so the server still
 * sees /dev (secondary devices are found there lazily) and /proc.
 */
int famfs_boot_switch_root(const char *const *binds, unsigned int nbinds,
			   const char *const *moves, unsigned int nmoves,
			   struct famfs_why *why)
{
	char dst[PATH_MAX];

	for (unsigned int i = 0; i < nbinds + nmoves; i++) {
		const char *src = i < nbinds ? binds[i] : moves[i - nbinds];
		unsigned long fl = i < nbinds ? MS_BIND | MS_REC : MS_MOVE;

		snprintf(dst, sizeof(dst), "%s%s", FAMFS_BOOT_NEWROOT, src);
		if (famfs_boot_mkdirs(dst, why) ||
		    mount_why(src, dst, NULL, fl, NULL, why))
			return -EIO;
	}
	if (chdir(FAMFS_BOOT_NEWROOT) ||
	    mount_why(".", "/", NULL, MS_MOVE, NULL, why))
		return -EIO;
	if (chroot(".") || chdir("/")) {
		famfs_why_set(why, "cannot enter the new root: %s",
			      strerror(errno));
		return -errno;
	}
	return 0;
}
