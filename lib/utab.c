// SPDX-License-Identifier: Apache-2.0
/*
 * The options a user gave a famfs mount that the kernel does not keep
 * (timeout=, data_path=, x-*): libmount's /run/mount/utab holds them, and
 * findmnt and mount(8) show them beside the kernel's.  One line per mount,
 *   ID=<mount id> SRC=<device> TARGET=<mount point> ROOT=/ OPTS=<options>
 * with spaces and backslashes octal-escaped, written under libmount's lock
 * (flock on utab.lock).  famfs_utab.h.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "famfs.h"
#include "famfs_utab.h"

/* @s with space, tab, newline and backslash as \ooo, as mountinfo has it. */
static void mangle(char *out, size_t len, const char *s)
{
	size_t o = 0;

	for (; *s && o + 5 < len; s++) {
		if (strchr(" \t\n\\", *s))
			o += (size_t)snprintf(out + o, len - o, "\\%03o",
					      (unsigned char)*s);
		else
			out[o++] = *s;
	}
	out[o] = 0;
}

/* The mount ID of the last mount on @target (mangled), or -ENOENT. */
static int mount_id(const char *target)
{
	char line[2 * FAMFS_UTAB_PATH + 512], mp[2 * FAMFS_UTAB_PATH];
	FILE *f = fopen("/proc/self/mountinfo", "re");
	int id, rc = -ENOENT;

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		char *p = line;

		/* ID PARENT MAJ:MIN ROOT MOUNTPOINT ... */
		if (sscanf(p, "%d", &id) != 1)
			continue;
		for (int i = 0; i < 4 && p; i++) {
			p = strchr(p, ' ');
			p = p ? p + 1 : NULL;
		}
		if (!p || sscanf(p, "%8191s", mp) != 1)
			continue;
		if (!strcmp(mp, target))
			rc = id;
	}
	fclose(f);
	return rc;
}

static int lock_utab(const struct famfs_utab *u)
{
	char path[FAMFS_UTAB_PATH + 8];
	int fd;

	mkdir(u->dir, 0755);
	snprintf(path, sizeof(path), "%s/utab.lock", u->dir);
	fd = open(path, O_RDONLY | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	if (flock(fd, LOCK_EX)) {
		close(fd);
		return -errno;
	}
	return fd;
}

/*
 * Rewrite utab without the lines of @target (mangled), then add @add (a
 * whole line, or NULL).  Atomic: a temporary file renamed over it.
 */
static int rewrite(const struct famfs_utab *u, const char *target,
		   const char *add)
{
	char path[FAMFS_UTAB_PATH + 8], tmp[FAMFS_UTAB_PATH + 16];
	char line[4 * FAMFS_UTAB_PATH], key[2 * FAMFS_UTAB_PATH + 16];
	FILE *in, *out;
	int rc = 0;

	snprintf(path, sizeof(path), "%s/utab", u->dir);
	snprintf(tmp, sizeof(tmp), "%s/utab.famfs", u->dir);
	snprintf(key, sizeof(key), " TARGET=%s ", target);
	out = fopen(tmp, "we");
	if (!out)
		return -errno;
	in = fopen(path, "re");
	while (in && fgets(line, sizeof(line), in))
		if (!strstr(line, key))
			fputs(line, out);
	if (in)
		fclose(in);
	if (add)
		fputs(add, out);
	if (fflush(out) || fsync(fileno(out)))
		rc = -errno;
	if (fclose(out) && !rc)
		rc = -errno;
	if (!rc && rename(tmp, path))
		rc = -errno;
	if (rc)
		unlink(tmp);
	return rc;
}

int famfs_utab_add(const struct famfs_utab *u, const char *src,
		   const char *target, const char *opts)
{
	char msrc[2 * FAMFS_UTAB_PATH], mtgt[2 * FAMFS_UTAB_PATH];
	char mopts[2 * FAMFS_UTAB_PATH], line[8 * FAMFS_UTAB_PATH];
	int id, fd, rc;

	mangle(msrc, sizeof(msrc), src);
	mangle(mtgt, sizeof(mtgt), target);
	mangle(mopts, sizeof(mopts), opts);
	id = mount_id(mtgt);
	if (id < 0)
		return id;
	fd = lock_utab(u);
	if (fd < 0)
		return fd;
	snprintf(line, sizeof(line), "ID=%d SRC=%s TARGET=%s ROOT=/ OPTS=%s\n",
		 id, msrc, mtgt, mopts);
	rc = rewrite(u, mtgt, opts[0] ? line : NULL);
	close(fd);
	return rc;
}

int famfs_utab_remove(const struct famfs_utab *u, const char *target)
{
	char mtgt[2 * FAMFS_UTAB_PATH];
	int fd, rc;

	mangle(mtgt, sizeof(mtgt), target);
	fd = lock_utab(u);
	if (fd < 0)
		return fd;
	rc = rewrite(u, mtgt, NULL);
	close(fd);
	return rc;
}
