// SPDX-License-Identifier: Apache-2.0
/*
 * Is a device mounted?  One parser of /proc/self/mountinfo for the whole
 * program: fields are split on spaces and octal escapes (\040) decoded, with
 * no fixed-size scanf buffers.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "famfs.h"

#define MI_MAXF 32

static void unescape(char *s)
{
	char *o = s;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' &&
		    s[2] >= '0' && s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
			*o++ = (char)((s[1] - '0') << 6 | (s[2] - '0') << 3 |
				      (s[3] - '0'));
			s += 3;
		} else {
			*o++ = *s;
		}
	}
	*o = 0;
}

static int split(char *line, char **f)
{
	int n = 0;
	char *save = NULL;

	for (char *t = strtok_r(line, " \n", &save); t && n < MI_MAXF;
	     t = strtok_r(NULL, " \n", &save))
		f[n++] = t;
	return n;
}

struct mi_entry {
	unsigned int major, minor;
	const char *mnt, *fstype, *source;
};

/* Parse one mountinfo line; 0 on success. */
static int mi_parse(char *line, struct mi_entry *m)
{
	char *f[MI_MAXF];
	int n = split(line, f), sep;

	for (sep = 6; sep < n && strcmp(f[sep], "-"); sep++)
		;
	if (n < 6 || sep + 2 >= n ||
	    sscanf(f[2], "%u:%u", &m->major, &m->minor) != 2)
		return -1;
	unescape(f[4]);
	unescape(f[sep + 2]);
	m->mnt = f[4];
	m->fstype = f[sep + 1];
	m->source = f[sep + 2];
	return 0;
}

static int mi_matches(const struct mi_entry *m, const char *real,
		      const struct stat *st)
{
	char rsrc[PATH_MAX];

	if (S_ISBLK(st->st_mode) && makedev(m->major, m->minor) == st->st_rdev)
		return 1;
	if (m->source[0] != '/' || !realpath(m->source, rsrc))
		return 0;
	return !strcmp(rsrc, real);
}

/*
 * 1 if @path is the source of a mount (why names the mount point), 0 if
 * not, negative errno if the question cannot be answered.
 */
int famfs_dev_in_use(const char *path, struct famfs_why *why)
{
	char real[PATH_MAX], *line = NULL;
	struct mi_entry m;
	struct stat st;
	size_t cap = 0;
	int found = 0;
	FILE *f;

	if (!realpath(path, real) || stat(real, &st))
		return -errno;
	f = fopen("/proc/self/mountinfo", "re");
	if (!f)
		return -errno;
	while (!found && getline(&line, &cap, f) > 0) {
		if (mi_parse(line, &m) || !mi_matches(&m, real, &st))
			continue;
		famfs_why_set(why, "device is mounted on %s (%s)", m.mnt,
			      m.fstype);
		found = 1;
	}
	free(line);
	fclose(f);
	return found;
}

/*
 * Is @mnt (an absolute, resolved path) a mount point?  1 and its source and
 * filesystem type (of the topmost mount there), 0 if not, -errno.
 */
int famfs_mnt_info(const char *mnt, char *src, size_t srclen, char *type,
		   size_t typelen)
{
	char *line = NULL;
	struct mi_entry m;
	size_t cap = 0;
	int found = 0;
	FILE *f = fopen("/proc/self/mountinfo", "re");

	if (!f)
		return -errno;
	while (getline(&line, &cap, f) > 0) {
		if (mi_parse(line, &m) || strcmp(m.mnt, mnt))
			continue;
		snprintf(src, srclen, "%s", m.source);
		snprintf(type, typelen, "%s", m.fstype);
		found = 1;		/* keep going: the last one is on top */
	}
	free(line);
	fclose(f);
	return found;
}

/*
 * Where is @path (a device) mounted as famfs?  1 and the mount point in
 * @mnt, 0 if it is not, negative errno if the question cannot be answered.
 */
int famfs_dev_famfs_mount(const char *path, char *mnt, size_t len)
{
	char real[PATH_MAX], *line = NULL;
	struct mi_entry m;
	struct stat st;
	size_t cap = 0;
	int found = 0;
	FILE *f;

	if (!realpath(path, real) || stat(real, &st))
		return -errno;
	f = fopen("/proc/self/mountinfo", "re");
	if (!f)
		return -errno;
	while (!found && getline(&line, &cap, f) > 0) {
		if (mi_parse(line, &m) || !mi_matches(&m, real, &st) ||
		    strcmp(m.fstype, "fuse.famfs"))
			continue;
		snprintf(mnt, len, "%s", m.mnt);
		found = 1;
	}
	free(line);
	fclose(f);
	return found;
}
