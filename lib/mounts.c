// SPDX-License-Identifier: Apache-2.0
/*
 * Is a device mounted, is a path a mount point, which famfs mount holds a
 * path?  One parser of /proc/self/mountinfo for the whole program: fields
 * are split on spaces and octal escapes (\040) decoded, with no fixed-size
 * scanf buffers.  The famfs_mountinfo_*() forms read the table from a
 * given file (the unit tests give their own).
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
 * Call @fn for every well-formed line of @mountinfo, in order, until it
 * returns nonzero.  Returns what @fn last returned (0 at the end), or
 * -errno if the file cannot be read.
 */
static int mi_each(const char *mountinfo,
		   int (*fn)(const struct mi_entry *m, void *arg), void *arg)
{
	char *line = NULL;
	struct mi_entry m;
	size_t cap = 0;
	int rc = 0;
	FILE *f = fopen(mountinfo, "re");

	if (!f)
		return -errno;
	while (!rc && getline(&line, &cap, f) > 0)
		if (!mi_parse(line, &m))
			rc = fn(&m, arg);
	free(line);
	fclose(f);
	return rc;
}

struct dev_query {
	char real[PATH_MAX];
	struct stat st;
	struct famfs_why *why;
};

static int dev_match(const struct mi_entry *m, void *arg)
{
	struct dev_query *q = arg;

	if (!mi_matches(m, q->real, &q->st))
		return 0;
	famfs_why_set(q->why, "device is mounted on %s (%s)", m->mnt,
		      m->fstype);
	return 1;
}

/*
 * 1 if @path is the source of a mount listed in @mountinfo (why names the
 * mount point), 0 if not, negative errno if the question cannot be answered.
 */
int famfs_mountinfo_dev(const char *mountinfo, const char *path,
			struct famfs_why *why)
{
	struct dev_query q = { .why = why };

	if (!realpath(path, q.real) || stat(q.real, &q.st))
		return -errno;
	return mi_each(mountinfo, dev_match, &q);
}

struct mnt_query {
	const char *mnt;
	char *src, *type;
	size_t srclen, typelen;
	int found;
};

static int mnt_match(const struct mi_entry *m, void *arg)
{
	struct mnt_query *q = arg;

	if (strcmp(m->mnt, q->mnt))
		return 0;
	snprintf(q->src, q->srclen, "%s", m->source);
	snprintf(q->type, q->typelen, "%s", m->fstype);
	q->found = 1;		/* keep going: the last one is on top */
	return 0;
}

/*
 * Is @mnt (an absolute, resolved path) a mount point in @mountinfo?  1 and
 * the source and filesystem type of the topmost mount there, 0 if not,
 * -errno.
 */
int famfs_mountinfo_mnt(const char *mountinfo, const char *mnt, char *src,
			size_t srclen, char *type, size_t typelen)
{
	struct mnt_query q = { mnt, src, type, srclen, typelen, 0 };
	int rc = mi_each(mountinfo, mnt_match, &q);

	return rc < 0 ? rc : q.found;
}

struct find_query {
	const char *real, *fstype;
	char *mnt;
	size_t mntlen, best;
};

static int find_match(const struct mi_entry *m, void *arg)
{
	struct find_query *q = arg;
	size_t l = strlen(m->mnt);

	if (strcmp(m->fstype, q->fstype) || strncmp(q->real, m->mnt, l))
		return 0;
	/* a whole-component prefix: /mnt/famfs2 is not in /mnt/famfs */
	if (q->real[l] != '/' && q->real[l] != 0 && l != 1)
		return 0;
	if (l > q->best && l < q->mntlen) {
		memcpy(q->mnt, m->mnt, l + 1);
		q->best = l;
	}
	return 0;
}

/*
 * The longest mount point of type @fstype in @mountinfo that holds @real
 * (an absolute, resolved path).  0 and the mount point in @mnt, -ENOENT if
 * none, -errno.
 */
int famfs_mountinfo_find(const char *mountinfo, const char *real,
			 const char *fstype, char *mnt, size_t mntlen)
{
	struct find_query q = { real, fstype, mnt, mntlen, 0 };
	int rc = mi_each(mountinfo, find_match, &q);

	if (rc < 0)
		return rc;
	return q.best ? 0 : -ENOENT;
}

int famfs_dev_in_use(const char *path, struct famfs_why *why)
{
	return famfs_mountinfo_dev(FAMFS_MOUNTINFO, path, why);
}

int famfs_mnt_info(const char *mnt, char *src, size_t srclen, char *type,
		   size_t typelen)
{
	return famfs_mountinfo_mnt(FAMFS_MOUNTINFO, mnt, src, srclen, type,
				   typelen);
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
