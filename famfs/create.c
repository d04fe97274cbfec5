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

/* One contiguous extent on device 0 (multi-device policy: later issue). */
int famfs_fs_mkfile(struct famfs_fs *fs, const char *path, uint64_t size,
		    uint32_t mode, uint32_t uid, uint32_t gid,
		    struct famfs_why *why)
{
	struct famfs_entry *e = calloc(1, sizeof(*e));
	uint64_t au = fs->sb.alloc_unit, units, start;
	int rc;

	if (!e)
		return -ENOMEM;
	e->type = FAMFS_ENTRY_FILE;
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
	units = (size + au - 1) / au;
	rc = famfs_bitmap_alloc(&fs->bmap[0], units, &start);
	if (rc) {
		famfs_why_set(why, "no %" PRIu64 " contiguous free bytes for '%s'",
			      units * au, path);
		goto unlock;
	}
	/* the bits are set; apply must not count them as a cross-link */
	famfs_bitmap_clear(&fs->bmap[0], start, units);
	e->file = (struct famfs_file_info){
		.size = size, .mode = mode & 07777, .uid = uid, .gid = gid,
		.ext_type = FAMFS_EXT_SIMPLE, .nextents = 1,
		.ext[0] = { .dev = 0, .offset = start * au, .len = units * au },
	};
	rc = commit(fs, e, why);
unlock:
	famfs_log_unlock(&fs->log);
out:
	free(e);
	return rc;
}
