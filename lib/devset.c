// SPDX-License-Identifier: Apache-2.0
/*
 * Device resolution: the log names devices by index and UUID, never by
 * path.  Each host finds its own path for a device by reading the
 * superblocks of candidate devices: the paths and globs it was given
 * (famfs_fs_set_scan(): command line, famfs.ini [device] path and scan) and,
 * when the primary is an image file, the files next to it.  Only the
 * primary is opened at mount; a secondary is looked for the first time a
 * file that uses it is opened.  A device that is not found fails only the
 * files that use it (-ENXIO, the reason naming its UUID); it is looked for
 * again on the next open, so a device that appears later is picked up.
 */
#include <glob.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "famfs_fs.h"

uint32_t famfs_fs_ndevs(const struct famfs_fs *fs)
{
	return __atomic_load_n(&fs->ndevs, __ATOMIC_ACQUIRE);
}

/* The device of @index if it is already open; 0 or -ENXIO. */
int famfs_fs_dev_peek(const struct famfs_fs *fs, uint32_t index,
		      struct famfs_dev **out)
{
	struct famfs_dev *d = NULL;

	if (index < famfs_fs_ndevs(fs))
		d = __atomic_load_n(&fs->devs[index].dev, __ATOMIC_ACQUIRE);
	*out = d;
	return d ? 0 : -ENXIO;
}

static void free_scan(struct famfs_fs *fs)
{
	for (unsigned int i = 0; i < fs->nscan; i++)
		free(fs->scan[i]);
	fs->nscan = 0;
}

/* Candidate paths or glob patterns, in the order they are tried. */
int famfs_fs_set_scan(struct famfs_fs *fs, const char *const *pats,
		      unsigned int n, int image_dir)
{
	free_scan(fs);
	if (n > FAMFS_MAX_SCAN)
		return -E2BIG;
	for (unsigned int i = 0; i < n; i++) {
		fs->scan[i] = strdup(pats[i]);
		if (!fs->scan[i]) {
			free_scan(fs);
			return -ENOMEM;
		}
		fs->nscan = i + 1;
	}
	fs->scan_image_dir = image_dir;
	return 0;
}

void famfs_fs_close_devs(struct famfs_fs *fs)
{
	for (uint32_t i = 1; i < FAMFS_MAX_DEVICES; i++) {
		struct famfs_dev *d = fs->devs[i].dev;

		if (!d)
			continue;
		famfs_dev_close(d);
		free(d);
		fs->devs[i].dev = NULL;
	}
	free_scan(fs);
}

/*
 * Does superblock @sb describe device @index of @fs?  0 yes; -ENOENT it
 * is another device; -EUCLEAN it carries the device's UUID but disagrees
 * with the log or the primary (@why says how).
 */
int famfs_secondary_match(const struct famfs_fs *fs, uint32_t index,
			  const struct famfs_sb_info *sb, struct famfs_why *why)
{
	const struct famfs_devslot *s = &fs->devs[index];

	if (famfs_sb_is_primary(sb) || memcmp(sb->fs_uuid, fs->sb.fs_uuid, 16) ||
	    memcmp(sb->dev_uuid, s->uuid, 16))
		return -ENOENT;
	if (sb->dev_index != index) {
		famfs_why_set(why, "its superblock says device index %u, the log says %u",
			      sb->dev_index, index);
		return -EUCLEAN;
	}
	if (memcmp(sb->primary_uuid, fs->sb.dev_uuid, 16)) {
		famfs_why_set(why, "its superblock names another primary device");
		return -EUCLEAN;
	}
	if (sb->alloc_unit != fs->sb.alloc_unit || sb->dev_size != s->size) {
		famfs_why_set(why, "its superblock says %" PRIu64 " bytes in units of %" PRIu64 ", the log says %" PRIu64 " in units of %" PRIu64,
			      sb->dev_size, sb->alloc_unit, s->size,
			      fs->sb.alloc_unit);
		return -EUCLEAN;
	}
	return 0;
}

static int same_file(const struct stat *a, const struct stat *b)
{
	if ((a->st_mode & S_IFMT) != (b->st_mode & S_IFMT))
		return 0;
	if (S_ISBLK(a->st_mode) || S_ISCHR(a->st_mode))
		return a->st_rdev == b->st_rdev;
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

/* Is @st a device this filesystem has open already? */
static int known(const struct famfs_fs *fs, const struct stat *st)
{
	struct stat o;

	for (uint32_t i = 0; i < famfs_fs_ndevs(fs); i++) {
		const struct famfs_dev *d = fs->devs[i].dev;

		if (d && d->fd >= 0 && !fstat(d->fd, &o) && same_file(st, &o))
			return 1;
	}
	return 0;
}

/* The index of the open device that @path is, or -ENOENT. */
int famfs_fs_index_of(const struct famfs_fs *fs, const char *path)
{
	struct stat st, o;

	if (stat(path, &st))
		return -errno;
	for (uint32_t i = 0; i < famfs_fs_ndevs(fs); i++) {
		const struct famfs_dev *d = fs->devs[i].dev;

		if (d && d->fd >= 0 && !fstat(d->fd, &o) && same_file(&st, &o))
			return (int)i;
	}
	return -ENOENT;
}

/* A file that could hold a secondary superblock and one unit of data. */
static int plausible(const char *path, struct stat *st)
{
	if (stat(path, st))
		return 0;
	if (S_ISREG(st->st_mode))
		return (uint64_t)st->st_size >= FAMFS_SB_REGION + FAMFS_ALLOC_UNIT_MIN;
	return S_ISBLK(st->st_mode) || S_ISCHR(st->st_mode);
}

struct scan_state {
	uint32_t want;			/* the index asked for */
	int mismatch;			/* a candidate had its UUID but disagreed */
	struct famfs_why why;
};

/* Attach @dev (open read-only) as device @index, reopened as the primary is. */
static int attach(struct famfs_fs *fs, uint32_t index, struct famfs_dev *dev,
		  struct famfs_why *why)
{
	int rw = fs->dev.flags & FAMFS_DEV_RDWR;
	struct famfs_devslot *s = &fs->devs[index];
	char path[sizeof(dev->path)];
	struct famfs_why ow = { "" };

	if (rw) {
		memcpy(path, dev->path, sizeof(path));
		famfs_dev_close(dev);
		if (famfs_dev_open(dev, path, FAMFS_DEV_RDWR, &ow)) {
			famfs_why_set(why, "%s has its UUID but cannot be opened read-write: %s",
				      path, ow.msg);
			return -EIO;
		}
	}
	__atomic_store_n(&s->state, FAMFS_DS_FOUND, __ATOMIC_RELAXED);
	s->why[0] = 0;
	__atomic_store_n(&s->dev, dev, __ATOMIC_RELEASE);
	return 0;
}

/* Read the superblock of @path; attach it if it is a device we look for. */
static void probe(struct famfs_fs *fs, const char *path, struct scan_state *ss)
{
	struct famfs_dev *dev = calloc(1, sizeof(*dev));
	struct famfs_sb_info sb;
	struct famfs_why why;
	struct stat st;

	if (!dev || !plausible(path, &st) || known(fs, &st) ||
	    famfs_dev_open(dev, path, 0, NULL))
		goto out;
	famfs_invalidate(dev->base, FAMFS_SB_SIZE);
	if (famfs_sb_decode(dev->base, dev->size, &sb, NULL))
		goto out;
	for (uint32_t i = 1; i < famfs_fs_ndevs(fs); i++) {
		int rc;

		if (fs->devs[i].dev)
			continue;
		rc = famfs_secondary_match(fs, i, &sb, &why);
		if (rc == -EUCLEAN && i == ss->want) {
			ss->mismatch = 1;
			famfs_why_set(&ss->why, "%s: %s", path, why.msg);
		}
		if (rc)
			continue;
		if (!attach(fs, i, dev, &why))
			return;		/* the slot owns it now */
		if (i == ss->want)	/* found, but unusable: say why */
			ss->why = why;
		break;
	}
out:
	if (dev)
		famfs_dev_close(dev);
	free(dev);
}

/* "DIR/ *" for an image file's directory, glob metacharacters escaped. */
static int image_dir_pattern(const struct famfs_fs *fs, char *buf, size_t len)
{
	const char *p = fs->dev.path, *slash = strrchr(p, '/');
	size_t n = 0;

	if (fs->dev.kind != FAMFS_DEV_FILE || !p[0])
		return -ENOENT;
	if (!slash)
		p = "./", slash = p + 1;
	for (const char *c = p; c <= slash; c++) {
		if (n + 4 >= len)
			return -ENAMETOOLONG;
		if (strchr("*?[\\", *c))
			buf[n++] = '\\';
		buf[n++] = *c;
	}
	buf[n++] = '*';
	buf[n] = 0;
	return 0;
}

static void scan_pattern(struct famfs_fs *fs, const char *pat,
			 struct scan_state *ss)
{
	glob_t g;

	if (glob(pat, 0, NULL, &g))
		return;
	for (size_t i = 0; i < g.gl_pathc && !fs->devs[ss->want].dev; i++)
		probe(fs, g.gl_pathv[i], ss);
	globfree(&g);
}

/* Look for device @index among the candidates; fs->dev_lock held. */
static void scan(struct famfs_fs *fs, uint32_t index)
{
	struct famfs_devslot *s = &fs->devs[index];
	struct scan_state ss = { .want = index, .why = { "" } };
	char dirpat[sizeof(fs->dev.path) + 8], uuid[FAMFS_UUID_STR];

	for (unsigned int i = 0; i < fs->nscan && !s->dev; i++)
		scan_pattern(fs, fs->scan[i], &ss);
	if (!s->dev && fs->scan_image_dir &&
	    !image_dir_pattern(fs, dirpat, sizeof(dirpat)))
		scan_pattern(fs, dirpat, &ss);
	if (s->dev)
		return;
	famfs_uuid_str(s->uuid, uuid);
	if (ss.mismatch) {
		__atomic_store_n(&s->state, FAMFS_DS_MISMATCH, __ATOMIC_RELAXED);
		snprintf(s->why, sizeof(s->why), "device %u (UUID %s): %s",
			 index, uuid, ss.why.msg);
	} else if (ss.why.msg[0]) {
		__atomic_store_n(&s->state, FAMFS_DS_MISSING, __ATOMIC_RELAXED);
		snprintf(s->why, sizeof(s->why), "device %u (UUID %s): %s",
			 index, uuid, ss.why.msg);
	} else {
		__atomic_store_n(&s->state, FAMFS_DS_MISSING, __ATOMIC_RELAXED);
		snprintf(s->why, sizeof(s->why),
			 "device %u (UUID %s) is not found on this host",
			 index, uuid);
	}
}

/*
 * The device of log index @index, looked for now if it is not open yet.
 * Returns 0 and *out; -ENODEV if the log has no such index; -ENXIO if no
 * candidate is that device (@why names its index and UUID).
 */
int famfs_fs_dev(struct famfs_fs *fs, uint32_t index, struct famfs_dev **out,
		 struct famfs_why *why)
{
	struct famfs_devslot *s;
	int rc;

	if (!famfs_fs_dev_peek(fs, index, out))
		return 0;
	if (index >= famfs_fs_ndevs(fs)) {
		famfs_why_set(why, "device index %u is not in the log (%u device(s))",
			      index, famfs_fs_ndevs(fs));
		return -ENODEV;
	}
	s = &fs->devs[index];
	pthread_mutex_lock(&fs->dev_lock);
	if (!s->dev)
		scan(fs, index);
	*out = s->dev;
	rc = s->dev ? 0 : -ENXIO;
	if (rc)
		famfs_why_set(why, "%s", s->why);
	pthread_mutex_unlock(&fs->dev_lock);
	return rc;
}

/* Every device that the map @m uses, found; 0 or the first failure. */
int famfs_fs_file_devs(struct famfs_fs *fs, const struct famfs_fmap *m,
		       struct famfs_why *why)
{
	struct famfs_dev *d;
	int rc;

	for (uint32_t i = 0; i < m->nextents; i++) {
		rc = famfs_fs_dev(fs, m->ext[i].dev, &d, why);
		if (rc)
			return rc;
	}
	return 0;
}
