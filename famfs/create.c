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

#include "famfs_fs.h"

static int precheck(struct famfs_fs *fs, struct famfs_entry *e,
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
 * the last replay, so the checks below see the current namespace.
 */
static int begin(struct famfs_fs *fs, struct famfs_why *why)
{
	struct famfs_scan scan;
	int rc;

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
		famfs_log_unlock(&fs->log);
		return rc;
	}
	return 0;
}

static int commit(struct famfs_fs *fs, struct famfs_entry *e,
		  struct famfs_why *why)
{
	enum famfs_apply_err kind;
	int rc;

	rc = famfs_log_append(&fs->log, e, why);
	if (rc)
		return rc;
	rc = famfs_fs_apply(fs, e, &kind, why);
	fs->applied_seq = e->seq + 1;
	fs->applied_off = fs->log.tail.next_off;
	return rc;
}

int famfs_fs_mkdir(struct famfs_fs *fs, const char *path, uint32_t mode,
		   uint32_t uid, uint32_t gid, struct famfs_why *why)
{
	struct famfs_entry *e = calloc(1, sizeof(*e));
	int rc;

	if (!e)
		return -ENOMEM;
	e->type = FAMFS_ENTRY_MKDIR;
	e->dir.mode = mode & 07777;
	e->dir.uid = uid;
	e->dir.gid = gid;
	rc = begin(fs, why);
	if (rc)
		goto out;
	rc = precheck(fs, e, path, why);
	if (!rc)
		rc = commit(fs, e, why);
	famfs_log_unlock(&fs->log);
out:
	free(e);
	return rc;
}

/* Validate an interleave layout against the allocation unit. */
static int check_layout(const struct famfs_fs *fs,
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
 * Allocate the extents of a file of @size: one contiguous extent, or
 * @lay->nstrips strips of ceil(ceil(size/chunk)/nstrips) chunks each (on
 * device 0 until multi-device allocation lands).  A file smaller than one
 * chunk is contiguous.  On failure nothing stays allocated.
 */
static int allocate(struct famfs_fs *fs, const char *path, uint64_t size,
		    const struct famfs_layout *lay, struct famfs_file_info *f,
		    struct famfs_why *why)
{
	uint64_t au = fs->sb.alloc_unit, units, chunks, start;
	uint32_t n = 1;

	f->ext_type = FAMFS_EXT_SIMPLE;
	units = (size + au - 1) / au;
	if (lay && lay->nstrips && size > lay->chunk) {
		n = lay->nstrips;
		chunks = (size + lay->chunk - 1) / lay->chunk;
		units = (chunks + n - 1) / n * (lay->chunk / au);
		f->ext_type = FAMFS_EXT_INTERLEAVE;
		f->chunk = lay->chunk;
	}
	for (f->nextents = 0; f->nextents < n; f->nextents++) {
		if (famfs_bitmap_alloc(&fs->bmap[0], units, &start))
			goto nospace;
		f->ext[f->nextents] = (struct famfs_extent){
			.dev = 0, .offset = start * au, .len = units * au,
		};
	}
	/* the bits are set; apply must not count them as a cross-link */
	for (uint32_t i = 0; i < n; i++)
		famfs_bitmap_clear(&fs->bmap[0], f->ext[i].offset / au, units);
	return 0;
nospace:
	for (uint32_t i = 0; i < f->nextents; i++)
		famfs_bitmap_clear(&fs->bmap[0], f->ext[i].offset / au, units);
	famfs_why_set(why, "no room for '%s': %u contiguous range(s) of %" PRIu64 " bytes",
		      path, n, units * au);
	return -ENOSPC;
}

int famfs_fs_mkfile_layout(struct famfs_fs *fs, const char *path,
			   uint64_t size, uint32_t mode, uint32_t uid,
			   uint32_t gid, const struct famfs_layout *lay,
			   struct famfs_why *why)
{
	struct famfs_entry *e = calloc(1, sizeof(*e));
	int rc;

	if (!e)
		return -ENOMEM;
	e->type = FAMFS_ENTRY_FILE;
	rc = lay ? check_layout(fs, lay, why) : 0;
	if (!rc)
		rc = begin(fs, why);
	if (rc)
		goto out;
	rc = precheck(fs, e, path, why);
	if (rc)
		goto unlock;
	if (size == 0 || size > fs->devs[0].size) {
		famfs_why_set(why, "size %" PRIu64 " is zero or larger than the device", size);
		rc = -EINVAL;
		goto unlock;
	}
	e->file.size = size;
	e->file.mode = mode & 07777;
	e->file.uid = uid;
	e->file.gid = gid;
	rc = allocate(fs, path, size, lay, &e->file, why);
	if (!rc)
		rc = commit(fs, e, why);
unlock:
	famfs_log_unlock(&fs->log);
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
	rc = begin(fs, why);
	if (rc)
		goto out;
	n = famfs_ns_lookup(&fs->ns, src, strlen(src));
	if (!n || !n->file) {
		famfs_why_set(why, "'%s' is not a file in this filesystem", src);
		rc = -ENOENT;
		goto unlock;
	}
	rc = precheck(fs, e, dst, why);
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
	rc = commit(fs, e, why);
	if (rc == -EFSCORRUPTED)	/* the cross-link it was asked for */
		rc = 0;
unlock:
	famfs_log_unlock(&fs->log);
out:
	free(e);
	return rc;
}
