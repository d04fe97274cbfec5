// SPDX-License-Identifier: Apache-2.0
/*
 * An opened filesystem and replay pass 2: applying validated entries to the
 * namespace, the device table and the allocation bitmaps.  Replay is
 * incremental: it resumes after the last applied entry.
 */
#include <inttypes.h>
#include <string.h>

#include "famfs_fs.h"

static int devslot_add(struct famfs_fs *fs, const uint8_t uuid[16],
		       uint64_t size, uint64_t data_offset)
{
	uint64_t g = famfs_sb_granule(&fs->sb);
	uint32_t i = fs->ndevs;
	int rc;

	/* bits of whole units only, as without packing */
	rc = famfs_bitmap_init(&fs->bmap[i], size / fs->sb.alloc_unit *
				(fs->sb.alloc_unit / g));
	if (rc)
		return rc;
	famfs_bitmap_set(&fs->bmap[i], 0, data_offset / g);
	fs->bmap[i].cursor = data_offset / g;
	memcpy(fs->devs[i].uuid, uuid, 16);
	fs->devs[i].size = size;
	fs->devs[i].data_offset = data_offset;
	fs->devs[i].dev = i ? NULL : &fs->dev;
	fs->devs[i].state = i ? FAMFS_DS_UNKNOWN : FAMFS_DS_FOUND;
	__atomic_store_n(&fs->ndevs, i + 1, __ATOMIC_RELEASE);
	return 0;
}

/* Attach log, namespace and device 0 to a decoded primary superblock. */
int famfs_fs_attach(struct famfs_fs *fs, struct famfs_why *why)
{
	int rc;

	pthread_mutex_init(&fs->dev_lock, NULL);
	rc = famfs_log_open(&fs->log, &fs->dev, &fs->sb, why);
	if (rc)
		return rc;
	rc = famfs_ns_init(&fs->ns);
	if (!rc)
		famfs_ns_set_epoch(&fs->ns, (int64_t)fs->sb.mkfs_time);
	if (!rc)
		rc = devslot_add(fs, fs->sb.dev_uuid, fs->sb.dev_size,
				 fs->sb.data_offset);
	if (rc)
		famfs_why_set(why, "out of memory");
	fs->applied_off = fs->log.info.entries_off;
	return rc;
}

/* Decode the superblock of the device just opened and attach the rest. */
static int fs_load(struct famfs_fs *fs, struct famfs_why *why)
{
	int rc;

	famfs_invalidate(fs->dev.base, FAMFS_SB_SIZE);
	rc = famfs_sb_decode(fs->dev.base, fs->dev.size, &fs->sb, why);
	if (!rc)
		rc = famfs_fs_attach(fs, why);
	if (rc)
		famfs_fs_close(fs);
	return rc;
}

int famfs_fs_open(struct famfs_fs *fs, const char *path, int devflags,
		  struct famfs_why *why)
{
	int rc;

	memset(fs, 0, sizeof(*fs));
	rc = famfs_dev_open(&fs->dev, path, devflags, why);
	if (rc)
		return rc;
	return fs_load(fs, why);
}

/*
 * The filesystem in @size bytes of the caller's memory at @base (see
 * famfs_dev_open_mem()): replay and reads, no appends.  @base stays the
 * caller's after famfs_fs_close().
 */
int famfs_fs_open_mem(struct famfs_fs *fs, uint8_t *base, uint64_t size,
		      const char *name, struct famfs_why *why)
{
	int rc;

	memset(fs, 0, sizeof(*fs));
	rc = famfs_dev_open_mem(&fs->dev, base, size, name, why);
	if (rc)
		return rc;
	return fs_load(fs, why);
}

void famfs_fs_close(struct famfs_fs *fs)
{
	famfs_ns_free(&fs->ns);
	for (uint32_t i = 0; i < fs->ndevs; i++)
		famfs_bitmap_free(&fs->bmap[i]);
	famfs_fs_close_devs(fs);
	fs->ndevs = 0;
	famfs_dev_close(&fs->dev);
}

static int ext_check(struct famfs_fs *fs, const struct famfs_extent *x,
		     enum famfs_apply_err *kind, struct famfs_why *why)
{
	const struct famfs_devslot *d = &fs->devs[x->dev];
	uint64_t g = famfs_sb_granule(&fs->sb);

	if (x->dev >= fs->ndevs) {
		*kind = FAMFS_AE_DEVICE;
		famfs_why_set(why, "extent names device index %u; the log knows %u device(s)",
			      x->dev, fs->ndevs);
		return -EFSCORRUPTED;
	}
	if (x->offset + x->len > d->size) {
		*kind = FAMFS_AE_RANGE;
		famfs_why_set(why, "extent [%#" PRIx64 ", +%#" PRIx64 ") runs past device %u (%" PRIu64 " bytes)",
			      x->offset, x->len, x->dev, d->size);
		return -EFSCORRUPTED;
	}
	if (x->offset < d->data_offset) {
		*kind = FAMFS_AE_META;
		famfs_why_set(why, "extent at %#" PRIx64 " overlaps the superblock or log (data starts at %#" PRIx64 ")",
			      x->offset, d->data_offset);
		return -EFSCORRUPTED;
	}
	if (x->offset % g || x->len % g) {
		*kind = FAMFS_AE_ALIGN;
		famfs_why_set(why, "extent [%#" PRIx64 ", +%#" PRIx64 ") is not aligned to the %" PRIu64 "-byte %s",
			      x->offset, x->len, g,
			      g == fs->sb.alloc_unit ? "allocation unit" :
			      "granule of packed files");
		return -EFSCORRUPTED;
	}
	return 0;
}

static int apply_file(struct famfs_fs *fs, const struct famfs_entry *e,
		      enum famfs_apply_err *kind, struct famfs_why *why)
{
	const struct famfs_file_info *f = &e->file;
	uint64_t g = famfs_sb_granule(&fs->sb), dup = 0;
	int rc;

	for (uint32_t i = 0; i < f->nextents; i++) {
		rc = ext_check(fs, &f->ext[i], kind, why);
		if (rc)
			return rc;
	}
	rc = famfs_ns_add(&fs->ns, e, NULL, why);
	if (rc) {
		*kind = rc == -ENOMEM ? FAMFS_AE_NOMEM : FAMFS_AE_NAMESPACE;
		return rc;
	}
	for (uint32_t i = 0; i < f->nextents; i++)
		dup += famfs_bitmap_set(&fs->bmap[f->ext[i].dev],
					f->ext[i].offset / g,
					f->ext[i].len / g);
	if (dup) {
		fs->crosslinks++;
		*kind = FAMFS_AE_CROSSLINK;
		famfs_why_set(why, "'%s' uses %" PRIu64 " bytes already used by another file",
			      e->path, dup * g);
		return -EFSCORRUPTED;
	}
	return 0;
}

static int apply_daxdev(struct famfs_fs *fs, const struct famfs_entry *e,
			enum famfs_apply_err *kind, struct famfs_why *why)
{
	uint64_t au = fs->sb.alloc_unit;
	uint64_t data = famfs_data_offset(0, FAMFS_SB_REGION, au);
	int rc;

	*kind = FAMFS_AE_DEVTAB;
	if (e->dev.index != fs->ndevs) {
		famfs_why_set(why, "ADD_DAXDEV gives index %u, the next free index is %u",
			      e->dev.index, fs->ndevs);
		return -EFSCORRUPTED;
	}
	for (uint32_t i = 0; i < fs->ndevs; i++) {
		if (!memcmp(fs->devs[i].uuid, e->dev.uuid, 16)) {
			famfs_why_set(why, "ADD_DAXDEV repeats the UUID of device %u", i);
			return -EFSCORRUPTED;
		}
	}
	if (e->dev.size < data + au) {
		famfs_why_set(why, "ADD_DAXDEV device of %" PRIu64 " bytes has no room for data",
			      e->dev.size);
		return -EFSCORRUPTED;
	}
	if (e->dev.size / au > FAMFS_DEV_UNITS_MAX) {
		famfs_why_set(why, "ADD_DAXDEV device of %" PRIu64 " bytes has more than 2^32 allocation units",
			      e->dev.size);
		return -EFSCORRUPTED;
	}
	rc = devslot_add(fs, e->dev.uuid, e->dev.size, data);
	if (rc)
		*kind = FAMFS_AE_NOMEM;
	return rc;
}

/*
 * The master enables a feature in the primary superblock before it logs
 * the first entry that needs it, so a host that replays such an entry
 * with an older copy of the superblock reads the superblock again once.
 */
static int features_ok(struct famfs_fs *fs, const struct famfs_entry *e,
		       enum famfs_apply_err *kind, struct famfs_why *why)
{
	uint32_t need = famfs_entry_features(e), missing;
	struct famfs_sb_info sb;
	char names[128];

	if (!(need & ~fs->sb.incompat))
		return 0;
	famfs_invalidate(fs->dev.base, FAMFS_SB_SIZE);
	if (!famfs_sb_decode(fs->dev.base, fs->dev.size, &sb, NULL) &&
	    !memcmp(sb.fs_uuid, fs->sb.fs_uuid, 16))
		fs->sb.incompat |= sb.incompat;
	missing = need & ~fs->sb.incompat;
	if (!missing)
		return 0;
	famfs_features_str(missing, names, sizeof(names));
	*kind = FAMFS_AE_FEATURE;
	famfs_why_set(why, "'%s' needs the feature %s, which the superblock does not enable",
		      e->path, names);
	return -EFSCORRUPTED;
}

static int apply_ns(struct famfs_fs *fs, const struct famfs_entry *e,
		    enum famfs_apply_err *kind, struct famfs_why *why)
{
	int rc;

	switch (e->type) {
	case FAMFS_ENTRY_MKDIR:
		rc = famfs_ns_add(&fs->ns, e, NULL, why);
		break;
	case FAMFS_ENTRY_LINK:
		rc = famfs_ns_link(&fs->ns, e, why);
		break;
	case FAMFS_ENTRY_XATTR:
		rc = famfs_ns_xattr(&fs->ns, e, why);
		break;
	case FAMFS_ENTRY_ATTR:
		rc = famfs_ns_attr(&fs->ns, e, why);
		break;
	default:
		return -EFSCORRUPTED;
	}
	if (rc)
		*kind = rc == -ENOMEM ? FAMFS_AE_NOMEM : FAMFS_AE_NAMESPACE;
	return rc;
}

/*
 * Apply one decoded entry.  On failure nothing is applied, except for a
 * cross-link: the file is in the namespace and *kind says CROSSLINK.
 */
int famfs_fs_apply(struct famfs_fs *fs, const struct famfs_entry *e,
		   enum famfs_apply_err *kind, struct famfs_why *why)
{
	int rc;

	*kind = FAMFS_AE_NONE;
	rc = features_ok(fs, e, kind, why);
	if (rc)
		return rc;
	switch (e->type) {
	case FAMFS_ENTRY_FILE:
	case FAMFS_ENTRY_INODE:		/* any type: only files have extents */
		return apply_file(fs, e, kind, why);
	case FAMFS_ENTRY_ADD_DAXDEV:
		return apply_daxdev(fs, e, kind, why);
	}
	return apply_ns(fs, e, kind, why);
}


struct replay_arg {
	struct famfs_fs *fs;
	struct famfs_why *why;
};

static int replay_one(void *arg, const struct famfs_entry *e, uint64_t off)
{
	struct replay_arg *ra = arg;
	enum famfs_apply_err kind;
	int rc = famfs_fs_apply(ra->fs, e, &kind, ra->why);
	char msg[FAMFS_WHY_LEN];

	if (rc && kind != FAMFS_AE_CROSSLINK) {
		if (ra->why) {		/* say which entry, as a decode error does */
			memcpy(msg, ra->why->msg, sizeof(msg));
			famfs_why_set(ra->why, "log entry %" PRIu64 " at offset %#" PRIx64 ": %s",
				      e->seq, off, msg);
		}
		return rc;
	}
	ra->fs->applied_seq = e->seq + 1;
	ra->fs->applied_off = off + e->len;
	return 0;
}

/*
 * Apply every committed entry after the last applied one.  Stops at the
 * first entry that does not decode or apply; @res and @why say where.
 * Returns the number of entries applied, or a negative errno.
 */
int famfs_fs_replay(struct famfs_fs *fs, struct famfs_scan *res,
		    struct famfs_why *why)
{
	struct replay_arg ra = { fs, why };
	uint64_t before = fs->applied_seq;
	int rc;

	rc = famfs_log_read_tail(&fs->log, why);
	if (rc)
		return rc;
	if (fs->log.tail.next_seq < fs->applied_seq) {
		famfs_why_set(why, "log tail went backwards (%" PRIu64 " < %" PRIu64 "): filesystem re-created?",
			      fs->log.tail.next_seq, fs->applied_seq);
		return -ESTALE;
	}
	rc = famfs_log_scan(&fs->log, fs->applied_off, fs->applied_seq,
			    fs->log.tail.next_off, replay_one, &ra, res);
	if (rc)
		return rc;
	if (res->err) {
		famfs_why_set(why, "log entry %" PRIu64 " at offset %#" PRIx64 ": %s",
			      res->next_seq, res->end_off, res->why.msg);
		return res->err;
	}
	if (fs->applied_seq != fs->log.tail.next_seq) {
		famfs_why_set(why, "log tail says %" PRIu64 " entries, found %" PRIu64,
			      fs->log.tail.next_seq, fs->applied_seq);
		return -EFSCORRUPTED;
	}
	return (int)(fs->applied_seq - before);
}

uint64_t famfs_fs_capacity(const struct famfs_fs *fs)
{
	uint64_t c = 0;

	for (uint32_t i = 0; i < fs->ndevs; i++)
		c += fs->devs[i].size - fs->devs[i].data_offset;
	return c;
}

uint64_t famfs_fs_used(const struct famfs_fs *fs)
{
	uint64_t u = 0;

	for (uint32_t i = 0; i < fs->ndevs; i++)
		u += fs->bmap[i].used * famfs_sb_granule(&fs->sb) -
		     fs->devs[i].data_offset;
	return u;
}
