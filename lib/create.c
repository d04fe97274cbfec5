// SPDX-License-Identifier: Apache-2.0
/*
 * Creating files and directories on the master: under the log lock, catch
 * up with entries other writers appended (incremental replay), check the
 * namespace, allocate from the in-memory bitmap, append one entry, apply
 * it.  Nothing rebuilds the namespace or the bitmaps per file.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "famfs_fs.h"
#include "famfs_mkfs.h"
#include "famfs_fault.h"
#include "create_int.h"

int famfs_cr_precheck(struct famfs_fs *fs, struct famfs_entry *e,
		    const char *path, struct famfs_why *why)
{
	struct famfs_node *parent;
	int plen;

	if (famfs_entry_set_path(e, path) ||
	    famfs_path_check(e->path, e->path_len, why)) {
		if (strlen(path) > FAMFS_PATH_MAX)
			famfs_why_set(why, "path longer than %u bytes",
				      FAMFS_PATH_MAX);
		return strlen(path) > FAMFS_PATH_MAX ? -ENAMETOOLONG : -EINVAL;
	}
	if (famfs_ns_lookup(&fs->ns, e->path, e->path_len)) {
		famfs_why_set(why, "'%s' already exists", path);
		return -EEXIST;
	}
	plen = famfs_path_parent_len(e->path, e->path_len);
	parent = famfs_ns_lookup(&fs->ns, e->path, (size_t)plen);
	if (!parent || parent->type != FAMFS_ENTRY_MKDIR) {
		famfs_why_set(why, "parent directory of '%s' %s", path,
			      parent ? "is a file" : "does not exist");
		return parent ? -ENOTDIR : -ENOENT;
	}
	return 0;
}

/*
 * Take the log lock and catch up with what other writers appended since
 * the last replay, so the checks below see the current namespace.  Inside
 * a batch the lock is held and the namespace current already.
 */
int famfs_cr_begin(struct famfs_fs *fs, struct famfs_why *why)
{
	struct famfs_scan scan;
	int rc;

	if (fs->batch)
		return 0;
	if (!(fs->dev.flags & FAMFS_DEV_RDWR) ||
	    famfs_sb_ro_features(&fs->sb)) {
		famfs_why_set(why, "filesystem is read-only here");
		return -EROFS;
	}
	rc = famfs_log_lock(&fs->log);
	if (rc) {
		famfs_why_set(why, "cannot take the log lock: %s", strerror(-rc));
		return rc;
	}
	rc = famfs_fs_replay(fs, &scan, why);
	if (rc < 0) {
		famfs_cr_end(fs);
		return rc;
	}
	return 0;
}

/* The end of one create: the log lock goes, unless a batch holds it. */
void famfs_cr_end(struct famfs_fs *fs)
{
	if (!fs->batch)
		famfs_log_unlock(&fs->log);
}

/*
 * A batch: many creates under one log lock, their entries staged and
 * published by famfs_fs_batch_end() with one tail record (group commit).
 * Each create is checked and applied to the namespace as it comes, so the
 * next one sees it; nobody else sees any of them until the end: the
 * caller keeps its readers out of the namespace meanwhile.
 */
int famfs_fs_batch_begin(struct famfs_fs *fs, struct famfs_why *why)
{
	int rc;

	if (fs->batch) {
		famfs_why_set(why, "a batch is open already");
		return -EBUSY;
	}
	rc = famfs_cr_begin(fs, why);
	if (!rc)
		fs->batch = 1;
	return rc;
}

/* Publish what the batch staged; the number of entries it committed. */
uint32_t famfs_fs_batch_end(struct famfs_fs *fs)
{
	uint32_t n;

	if (!fs->batch)
		return 0;
	n = famfs_log_commit(&fs->log);
	fs->batch = 0;
	famfs_log_unlock(&fs->log);
	return n;
}

/*
 * Turn on the incompat features @e needs in the primary superblock, before
 * the entry is logged: a host that meets the entry then finds the feature
 * when it reads the superblock again, and a famfs that does not know the
 * feature refuses the filesystem instead of misreading its log.
 */
static int enable_features(struct famfs_fs *fs, const struct famfs_entry *e,
			   struct famfs_why *why)
{
	uint32_t need = famfs_entry_features(e) & ~fs->sb.incompat;
	struct famfs_sb_info sb = fs->sb;
	uint8_t buf[FAMFS_SB_SIZE];

	if (!need)
		return 0;
	sb.incompat |= need;
	famfs_sb_encode(&sb, buf);
	famfs_meta_store(fs->dev.base, buf, FAMFS_SB_SIZE, "superblock");
	famfs_flush(fs->dev.base, FAMFS_SB_SIZE);
	if (famfs_dev_sync(&fs->dev)) {
		famfs_why_set(why, "cannot write the superblock to enable a feature");
		return -EIO;
	}
	fs->sb = sb;
	return 0;
}

/* "log full", naming the filesystem and what to do. */
static int log_full(const struct famfs_fs *fs, struct famfs_why *why)
{
	famfs_why_set(why, "log full on %s (%" PRIu64 " entries in %" PRIu64 " MiB): make the filesystem again with a larger log (famfs mkfs -l, up to 1G)",
		      fs->dev.path, famfs_log_next_seq(&fs->log),
		      fs->log.info.log_len >> 20);
	return -ENOSPC;
}

int famfs_cr_commit(struct famfs_fs *fs, struct famfs_entry *e,
		    struct famfs_why *why)
{
	enum famfs_apply_err kind;
	int rc;

	/* an entry the log cannot take must not turn a feature on */
	rc = famfs_log_entry_fits(&fs->log, e, why);
	if (rc < 0)
		return rc;
	if (famfs_log_next_off(&fs->log) + (uint64_t)rc > fs->log.info.log_len)
		return log_full(fs, why);
	rc = enable_features(fs, e, why);
	if (rc)
		return rc;
	rc = fs->batch ? famfs_log_stage(&fs->log, e, why) :
			 famfs_log_append(&fs->log, e, why);
	if (rc == -ENOSPC)
		return log_full(fs, why);
	if (rc)
		return rc;
	rc = famfs_fs_apply(fs, e, &kind, why);
	fs->applied_seq = e->seq + 1;
	fs->applied_off = famfs_log_next_off(&fs->log);
	return rc;
}

int famfs_fs_mkdir(struct famfs_fs *fs, const char *path, uint32_t mode,
		   uint32_t uid, uint32_t gid, struct famfs_why *why)
{
	struct famfs_entry *e;
	int rc;

	if (fs->sb.incompat & FAMFS_FEATURE_INODE)
		return famfs_fs_mknode(fs, path,
				       &(struct famfs_inode_info){
					       .mode = S_IFDIR | (mode & 07777),
					       .uid = uid, .gid = gid,
					       .mtime = famfs_now(),
					       .ctime = famfs_now() },
				       0, NULL, NULL, why);
	e = calloc(1, sizeof(*e));
	if (!e)
		return -ENOMEM;
	e->type = FAMFS_ENTRY_MKDIR;
	e->dir.mode = mode & 07777;
	e->dir.uid = uid;
	e->dir.gid = gid;
	rc = famfs_cr_begin(fs, why);
	if (rc)
		goto out;
	rc = famfs_cr_precheck(fs, e, path, why);
	if (!rc)
		rc = famfs_cr_commit(fs, e, why);
	famfs_cr_end(fs);
out:
	free(e);
	return rc;
}

/* Validate an interleave layout against the allocation unit. */
int famfs_cr_check_layout(const struct famfs_fs *fs,
			const struct famfs_layout *lay, struct famfs_why *why)
{
	uint64_t c = lay->chunk, au = fs->sb.alloc_unit;

	if (!lay->nstrips)
		return 0;
	if (lay->nstrips > FAMFS_MAX_STRIPS || !c || (c & (c - 1)) ||
	    c % au || c > UINT32_MAX) {
		famfs_why_set(why, "interleave needs 1..%u strips and a chunk that is a power of two, a multiple of the %" PRIu64 "-byte allocation unit and below 4 GiB",
			      FAMFS_MAX_STRIPS, au);
		return -EINVAL;
	}
	return 0;
}

/*
 * Look for every device not looked for yet on this host, so that no file
 * is placed on memory this host cannot reach (a device known missing is
 * not looked for again here: the next open of one of its files does).
 */
static void find_unknown_devs(struct famfs_fs *fs)
{
	struct famfs_dev *d;

	for (uint32_t i = 1; i < fs->ndevs; i++)
		if (__atomic_load_n(&fs->devs[i].state, __ATOMIC_RELAXED) ==
		    FAMFS_DS_UNKNOWN)
			famfs_fs_dev(fs, i, &d, NULL);
}

/* May new files go to device @i?  Not if it is known missing here. */
static int usable(const struct famfs_fs *fs, uint32_t i)
{
	enum famfs_devstate st = __atomic_load_n(&fs->devs[i].state,
						 __ATOMIC_RELAXED);

	return st != FAMFS_DS_MISSING && st != FAMFS_DS_MISMATCH;
}

static uint64_t free_units(const struct famfs_fs *fs, uint32_t i)
{
	return fs->bmap[i].nbits - fs->bmap[i].used;
}

/*
 * Contiguous files: the primary first, then the other devices from the
 * most free units to the least (the lower index on a tie).
 */
static uint32_t contig_order(const struct famfs_fs *fs, uint32_t *order)
{
	uint32_t n = 0, first;

	if (usable(fs, 0))
		order[n++] = 0;
	first = n;
	for (uint32_t i = 1; i < fs->ndevs; i++) {
		uint32_t j = n++;

		if (!usable(fs, i)) {
			n--;
			continue;
		}
		while (j > first && free_units(fs, order[j - 1]) <
				    free_units(fs, i)) {
			order[j] = order[j - 1];
			j--;
		}
		order[j] = i;
	}
	return n;
}

/*
 * Interleaved files: strip k goes to the usable device that holds the
 * fewest strips of this file so far, looking from device (k mod D) on, so
 * strips land on distinct devices while there are devices enough, and
 * round-robin (several strips per device) after that.  A device without
 * room is skipped.
 */
static int place_strip(struct famfs_fs *fs, uint32_t k, uint64_t units,
		       const uint32_t *devs, uint32_t ndev, uint32_t *count,
		       struct famfs_extent *x)
{
	uint64_t au = fs->sb.alloc_unit, g = famfs_sb_granule(&fs->sb);
	uint64_t gpu = au / g, start;
	uint32_t tried[FAMFS_MAX_DEVICES] = { 0 };

	for (uint32_t round = 0; round < ndev; round++) {
		uint32_t best = ndev;

		for (uint32_t j = 0; j < ndev; j++) {
			uint32_t c = (k + j) % ndev;

			if (!tried[c] && (best == ndev ||
					  count[devs[c]] < count[devs[best]]))
				best = c;
		}
		tried[best] = 1;
		if (famfs_bitmap_alloc_aligned(&fs->bmap[devs[best]],
					       units * gpu, gpu, &start))
			continue;
		count[devs[best]]++;
		*x = (struct famfs_extent){ .dev = devs[best],
					    .offset = start * g,
					    .len = units * au };
		return 0;
	}
	return -ENOSPC;
}

/*
 * n granules for a small file on device d: in the unit set aside for
 * small files there, else in a free unit that becomes the one set aside,
 * else (no free unit left) anywhere they fit.
 */
static int pack_on(struct famfs_fs *fs, uint32_t d, uint64_t n,
		   uint64_t align, uint64_t *start)
{
	struct famfs_bitmap *b = &fs->bmap[d];
	uint64_t gpu = fs->sb.alloc_unit / FAMFS_PACK_GRANULE;
	uint64_t u = fs->pack_unit[d];

	if (u && !famfs_bitmap_alloc_in(b, u * gpu, (u + 1) * gpu, n, align,
					start))
		return 0;
	if (!famfs_bitmap_alloc_aligned(b, gpu, gpu, start)) {
		famfs_bitmap_clear(b, *start, gpu);
		fs->pack_unit[d] = *start / gpu;
		return famfs_bitmap_alloc_in(b, *start, *start + gpu, n, align,
					     start);
	}
	return famfs_bitmap_alloc_in(b, 0, b->nbits, n, align, start);
}

/*
 * A file smaller than the allocation unit on a PACKED filesystem: 4 KiB
 * granules, 2 MiB-aligned from 2 MiB on, on the first device with room.
 */
static int place_small(struct famfs_fs *fs, uint64_t size,
		       const uint32_t *devs, uint32_t ndev,
		       struct famfs_extent *x)
{
	uint64_t g = FAMFS_PACK_GRANULE, n = (size + g - 1) / g, start;
	uint64_t align = size >= FAMFS_PACK_BIG ? FAMFS_PACK_BIG / g : 1;

	for (uint32_t i = 0; i < ndev; i++) {
		if (pack_on(fs, devs[i], n, align, &start))
			continue;
		*x = (struct famfs_extent){ .dev = devs[i], .offset = start * g,
					    .len = n * g };
		return 0;
	}
	return -ENOSPC;
}

static void release(struct famfs_fs *fs, const struct famfs_file_info *f)
{
	uint64_t g = famfs_sb_granule(&fs->sb);

	for (uint32_t i = 0; i < f->nextents; i++)
		famfs_bitmap_clear(&fs->bmap[f->ext[i].dev],
				   f->ext[i].offset / g, f->ext[i].len / g);
}

/*
 * Allocate the extents of a file of @size: one contiguous extent, or
 * @lay->nstrips strips of ceil(ceil(size/chunk)/nstrips) chunks each.  A
 * file smaller than one chunk is contiguous.  The bits are left clear (the
 * commit applies the entry, which sets them); on failure nothing stays
 * allocated.
 */
int famfs_cr_allocate(struct famfs_fs *fs, const char *path, uint64_t size,
		    const struct famfs_layout *lay, struct famfs_file_info *f,
		    struct famfs_why *why)
{
	uint32_t devs[FAMFS_MAX_DEVICES], count[FAMFS_MAX_DEVICES] = { 0 };
	uint64_t au = fs->sb.alloc_unit, units, chunks;
	uint32_t n = 1, ndev;
	int rc = -ENOSPC;

	find_unknown_devs(fs);
	ndev = contig_order(fs, devs);
	f->ext_type = FAMFS_EXT_SIMPLE;
	units = (size + au - 1) / au;
	if (lay && lay->nstrips && size > lay->chunk) {
		n = lay->nstrips;
		chunks = (size + lay->chunk - 1) / lay->chunk;
		units = (chunks + n - 1) / n * (lay->chunk / au);
		f->ext_type = FAMFS_EXT_INTERLEAVE;
		f->chunk = lay->chunk;
		ndev = 0;
		for (uint32_t i = 0; i < fs->ndevs; i++)
			if (usable(fs, i))
				devs[ndev++] = i;
	}
	if (n == 1 && size < au && (fs->sb.incompat & FAMFS_FEATURE_PACKED)) {
		rc = place_small(fs, size, devs, ndev, &f->ext[0]);
		f->nextents = !rc;
	} else {
		for (f->nextents = 0; f->nextents < n; f->nextents++) {
			rc = place_strip(fs, f->nextents, units, devs, ndev,
					 count, &f->ext[f->nextents]);
			if (rc)
				break;
		}
	}
	release(fs, f);
	if (!rc)
		return 0;
	famfs_why_set(why, "no space on %s: %" PRIu64 " MiB of %" PRIu64 " MiB free, no %u contiguous range(s) of %" PRIu64 " KiB for '%s'; add a device (famfs devadd) or make the filesystem on a larger one",
		      fs->dev.path, (famfs_fs_capacity(fs) - famfs_fs_used(fs)) >> 20,
		      famfs_fs_capacity(fs) >> 20, n,
		      (n == 1 && size < au ? size : units * au) >> 10, path);
	return -ENOSPC;
}

/* Bytes of all devices, metadata included. */
uint64_t famfs_cr_total_size(const struct famfs_fs *fs)
{
	uint64_t t = 0;

	for (uint32_t i = 0; i < fs->ndevs; i++)
		t += fs->devs[i].size;
	return t;
}

int famfs_fs_mkfile_layout(struct famfs_fs *fs, const char *path,
			   uint64_t size, uint32_t mode, uint32_t uid,
			   uint32_t gid, const struct famfs_layout *lay,
			   struct famfs_why *why)
{
	struct famfs_entry *e;
	int rc;

	if (size && (fs->sb.incompat & FAMFS_FEATURE_INODE))
		return famfs_fs_mknode(fs, path,
				       &(struct famfs_inode_info){
					       .mode = S_IFREG | (mode & 07777),
					       .uid = uid, .gid = gid,
					       .mtime = famfs_now(),
					       .ctime = famfs_now() },
				       size, lay, NULL, why);
	e = calloc(1, sizeof(*e));
	if (!e)
		return -ENOMEM;
	e->type = FAMFS_ENTRY_FILE;
	rc = lay ? famfs_cr_check_layout(fs, lay, why) : 0;
	if (!rc)
		rc = famfs_cr_begin(fs, why);
	if (rc)
		goto out;
	rc = famfs_cr_precheck(fs, e, path, why);
	if (rc)
		goto unlock;
	if (size == 0 || size > famfs_cr_total_size(fs)) {
		famfs_why_set(why, "size %" PRIu64 " is zero or larger than the devices", size);
		rc = -EINVAL;
		goto unlock;
	}
	e->file.size = size;
	e->file.mode = mode & 07777;
	e->file.uid = uid;
	e->file.gid = gid;
	rc = famfs_cr_allocate(fs, path, size, lay, &e->file, why);
	if (!rc)
		rc = famfs_cr_commit(fs, e, why);
unlock:
	famfs_cr_end(fs);
out:
	free(e);
	return rc;
}

int famfs_fs_mkfile(struct famfs_fs *fs, const char *path, uint64_t size,
		    uint32_t mode, uint32_t uid, uint32_t gid,
		    struct famfs_why *why)
{
	return famfs_fs_mkfile_layout(fs, path, size, mode, uid, gid, NULL,
				      why);
}

/*
 * Test tool: a file @dst sharing every extent of file @src, a deliberate
 * cross-link for fsck to find.  Returns 0 when the entry is in the log.
 */
int famfs_fs_clone(struct famfs_fs *fs, const char *src, const char *dst,
		   struct famfs_why *why)
{
	struct famfs_entry *e = calloc(1, sizeof(*e));
	const struct famfs_node *n;
	int rc;

	if (!e)
		return -ENOMEM;
	e->type = FAMFS_ENTRY_FILE;
	rc = famfs_cr_begin(fs, why);
	if (rc)
		goto out;
	n = famfs_ns_lookup(&fs->ns, src, strlen(src));
	if (n)
		n = famfs_ns_inode(n);
	if (!n || !n->file || !n->size) {
		famfs_why_set(why, "'%s' is not a file in this filesystem", src);
		rc = -ENOENT;
		goto unlock;
	}
	rc = famfs_cr_precheck(fs, e, dst, why);
	if (rc)
		goto unlock;
	e->file.size = n->size;
	e->file.chunk = n->file->chunk;
	e->file.mode = n->mode;
	e->file.uid = n->uid;
	e->file.gid = n->gid;
	e->file.ext_type = n->file->ext_type;
	e->file.nextents = n->file->nextents;
	memcpy(e->file.ext, n->file->ext, n->file->nextents * sizeof(e->file.ext[0]));
	rc = famfs_cr_commit(fs, e, why);
	if (rc == -EFSCORRUPTED)	/* the cross-link it was asked for */
		rc = 0;
unlock:
	famfs_cr_end(fs);
out:
	free(e);
	return rc;
}

/* The index of the device whose UUID is @uuid in the log, or -ENOENT. */
static int logged_index(const struct famfs_fs *fs, const uint8_t uuid[16])
{
	if (!memcmp(uuid, fs->sb.dev_uuid, 16))
		return 0;
	for (uint32_t i = 1; i < fs->ndevs; i++)
		if (!memcmp(uuid, fs->devs[i].uuid, 16))
			return (int)i;
	return -ENOENT;
}

/*
 * Refuse a device that holds a famfs superblock: always when the log names
 * it; else only without @force.  A secondary superblock of this filesystem
 * that no ADD_DAXDEV names was left by a devadd (or mkfs) that stopped
 * before its entry was committed: no file can use it, -f formats over it.
 */
static int check_new_device(struct famfs_fs *fs, struct famfs_dev *dev,
			    int force, struct famfs_why *why)
{
	struct famfs_sb_info old;
	const char *kind;
	int rc, idx;

	famfs_invalidate(dev->base, FAMFS_SB_SIZE);
	rc = famfs_sb_decode(dev->base, dev->size, &old, NULL);
	if (rc == -ENODATA)
		return 0;
	if (!rc && !memcmp(old.fs_uuid, fs->sb.fs_uuid, 16)) {
		idx = logged_index(fs, old.dev_uuid);
		if (idx >= 0) {
			famfs_why_set(why, "already device %d of this filesystem",
				      idx);
			return -EEXIST;
		}
	}
	if (force)
		return 0;
	if (rc)
		kind = "damaged";
	else if (!memcmp(old.fs_uuid, fs->sb.fs_uuid, 16))
		kind = "a secondary of this filesystem that no log entry names: an interrupted devadd";
	else
		kind = famfs_sb_is_primary(&old) ? "a primary device" :
		       "a secondary device";
	famfs_why_set(why, "holds a famfs superblock (%s); use -f to overwrite it",
		      kind);
	return -EEXIST;
}

/*
 * Add @dev (open read-write, ideally exclusive) as the next device of @fs:
 * write its secondary superblock, then append and apply the ADD_DAXDEV
 * entry.  On success @fs owns the device (*dev is left closed) and *index
 * is its index.  A refusal writes nothing.
 */
int famfs_fs_add_device(struct famfs_fs *fs, struct famfs_dev *dev,
			int force, uint32_t *index, struct famfs_why *why)
{
	struct famfs_entry *e = calloc(1, sizeof(*e));
	struct famfs_dev *keep = calloc(1, sizeof(*keep));
	struct famfs_sb_info sbi;
	int rc = -ENOMEM;

	if (!e || !keep)
		goto out;
	rc = famfs_cr_begin(fs, why);
	if (rc)
		goto out;
	rc = check_new_device(fs, dev, force, why);
	if (!rc)
		rc = famfs_mkfs_plan_secondary(dev, &fs->sb, fs->ndevs, &sbi, why);
	if (!rc)
		rc = famfs_mkfs_write_secondary(dev, &sbi, why);
	if (rc)
		goto unlock;
	e->type = FAMFS_ENTRY_ADD_DAXDEV;
	memcpy(e->dev.uuid, sbi.dev_uuid, 16);
	e->dev.size = sbi.dev_size;
	e->dev.index = sbi.dev_index;
	rc = famfs_cr_commit(fs, e, why);
	if (rc)
		goto unlock;
	*keep = *dev;
	memset(dev, 0, sizeof(*dev));
	dev->fd = -1;
	famfs_dev_share(keep);		/* others may look at it now */
	pthread_mutex_lock(&fs->dev_lock);
	__atomic_store_n(&fs->devs[sbi.dev_index].state, FAMFS_DS_FOUND,
			 __ATOMIC_RELAXED);
	__atomic_store_n(&fs->devs[sbi.dev_index].dev, keep, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&fs->dev_lock);
	keep = NULL;
	*index = sbi.dev_index;
unlock:
	famfs_cr_end(fs);
out:
	free(keep);
	free(e);
	return rc;
}
