// SPDX-License-Identifier: Apache-2.0
/*
 * fsck: a table of passes over one context, each reporting problems from a
 * table (as e2fsck does).  --repair fixes only what cannot lose a committed
 * entry: a torn or garbage tail after the last committed entry, and a
 * damaged tail record.  The passes read the same decoders mount uses.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "famfs_fsck.h"

#define FIX FAMFS_PRF_FIXABLE
#define FATAL FAMFS_PRF_FATAL
#define OPERR FAMFS_PRF_OPERROR
#define DEVMISS FAMFS_PRF_DEVMISS

static const struct famfs_problem_desc problems[_FAMFS_PR_MAX] = {
	[FAMFS_PR_SB_MISSING]	= { "sb_missing", FATAL | OPERR },
	[FAMFS_PR_SB_FEATURES]	= { "sb_features", FATAL | OPERR },
	[FAMFS_PR_SB_CORRUPT]	= { "sb_corrupt", FATAL },
	[FAMFS_PR_SB_CRC]	= { "sb_crc", FATAL },
	[FAMFS_PR_SB_SECONDARY]	= { "sb_secondary", FATAL | OPERR },
	[FAMFS_PR_SB_RO_FEATURES] = { "sb_ro_features", OPERR },
	[FAMFS_PR_LOG_HDR]	= { "log_header", FATAL },
	[FAMFS_PR_LOG_FOREIGN]	= { "log_foreign", FATAL },
	[FAMFS_PR_TAIL_SLOT]	= { "tail_slot", FIX },
	[FAMFS_PR_TAIL_BOTH]	= { "tail_both", FIX },
	[FAMFS_PR_ENTRY_BAD]	= { "entry_bad", 0 },
	[FAMFS_PR_TAIL_COUNT]	= { "tail_count", 0 },
	[FAMFS_PR_NAMESPACE]	= { "namespace", 0 },
	[FAMFS_PR_EXT_DEVICE]	= { "extent_device", 0 },
	[FAMFS_PR_EXT_RANGE]	= { "extent_range", 0 },
	[FAMFS_PR_EXT_META]	= { "extent_meta", 0 },
	[FAMFS_PR_EXT_ALIGN]	= { "extent_align", 0 },
	[FAMFS_PR_CROSSLINK]	= { "crosslink", 0 },
	[FAMFS_PR_DEVTAB]	= { "device_table", 0 },
	[FAMFS_PR_DEV_MISSING]	= { "device_missing", DEVMISS },
	[FAMFS_PR_DEV_MISMATCH]	= { "device_mismatch", 0 },
	[FAMFS_PR_UNCOMMITTED]	= { "uncommitted", FIX },
	[FAMFS_PR_GARBAGE]	= { "tail_garbage", FIX },
	[FAMFS_PR_LINK]		= { "link_target", 0 },
	[FAMFS_PR_NODE_MISSING]	= { "attr_path", 0 },
	[FAMFS_PR_XATTR]	= { "xattr", 0 },
	[FAMFS_PR_FEATURE]	= { "entry_feature", 0 },
	[FAMFS_PR_SB_TORN]	= { "sb_torn_feature", FIX },
};

static const char *const kind_names[_FAMFS_EK_MAX] = {
	[FAMFS_EK_FILE]		= "file",
	[FAMFS_EK_MKDIR]	= "mkdir",
	[FAMFS_EK_ADD_DAXDEV]	= "add_daxdev",
	[FAMFS_EK_INODE_REG]	= "inode_regular",
	[FAMFS_EK_INODE_EMPTY]	= "inode_empty",
	[FAMFS_EK_INODE_DIR]	= "inode_dir",
	[FAMFS_EK_INODE_SYMLINK] = "inode_symlink",
	[FAMFS_EK_INODE_SPECIAL] = "inode_special",
	[FAMFS_EK_LINK]		= "link",
	[FAMFS_EK_XATTR]	= "xattr",
	[FAMFS_EK_ATTR]		= "attr",
};

/* The kind of a decoded entry (an unknown type counts as ATTR: none is). */
enum famfs_entry_kind famfs_entry_kind(const struct famfs_entry *e)
{
	uint32_t fmt = e->ino.mode & S_IFMT;

	switch (e->type) {
	case FAMFS_ENTRY_FILE:
		return FAMFS_EK_FILE;
	case FAMFS_ENTRY_MKDIR:
		return FAMFS_EK_MKDIR;
	case FAMFS_ENTRY_ADD_DAXDEV:
		return FAMFS_EK_ADD_DAXDEV;
	case FAMFS_ENTRY_INODE:
		if (fmt == S_IFREG)
			return e->file.size ? FAMFS_EK_INODE_REG
					    : FAMFS_EK_INODE_EMPTY;
		if (fmt == S_IFDIR)
			return FAMFS_EK_INODE_DIR;
		if (fmt == S_IFLNK)
			return FAMFS_EK_INODE_SYMLINK;
		return FAMFS_EK_INODE_SPECIAL;
	case FAMFS_ENTRY_LINK:
		return FAMFS_EK_LINK;
	case FAMFS_ENTRY_XATTR:
		return FAMFS_EK_XATTR;
	}
	return FAMFS_EK_ATTR;
}

const char *famfs_entry_kind_name(enum famfs_entry_kind k)
{
	return (unsigned int)k < _FAMFS_EK_MAX ? kind_names[k] : NULL;
}

const struct famfs_problem_desc *famfs_problem_desc(enum famfs_problem code)
{
	return (unsigned int)code < _FAMFS_PR_MAX ? &problems[code] : NULL;
}

/*
 * Record a problem; returns nonzero if the caller should fix it now (repair
 * mode and the problem is fixable).  The caller then calls fixed().
 */
static int problem(struct famfs_fsck *ck, enum famfs_problem code,
		   const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int problem(struct famfs_fsck *ck, enum famfs_problem code,
		   const char *fmt, ...)
{
	unsigned int flags = problems[code].flags;
	int fix = ck->repair && (flags & FIX);
	va_list ap;

	ck->nproblems++;
	if (flags & DEVMISS)
		ck->ndevmiss++;
	else if (flags & OPERR)
		ck->noperr++;
	else if (!fix)
		ck->nleft++;
	if (ck->nitems < FAMFS_FSCK_MAX_REPORTS) {
		struct famfs_fsck_item *it = &ck->items[ck->nitems++];

		it->code = code;
		it->fixed = 0;
		va_start(ap, fmt);
		vsnprintf(it->msg, sizeof(it->msg), fmt, ap);
		va_end(ap);
	}
	return fix;
}

/* The last problem was fixed (or, with ok == 0, the fix failed). */
static void fixed(struct famfs_fsck *ck, int ok)
{
	if (ok)
		ck->nfixed++;
	else
		ck->nleft++;
	if (ok && ck->nitems && ck->nitems <= FAMFS_FSCK_MAX_REPORTS)
		ck->items[ck->nitems - 1].fixed = 1;
}

/*
 * The superblock's checksum is that of a store that was turning features
 * on when it was cut (sb.c accepted it, with both masks): rewrite it.
 */
static void fix_torn_features(struct famfs_fsck *ck)
{
	struct famfs_fs *fs = &ck->fs;
	uint8_t buf[FAMFS_SB_SIZE];
	char names[160];

	famfs_features_str(fs->sb.torn_features, names, sizeof(names));
	if (!problem(ck, FAMFS_PR_SB_TORN,
		     "superblock: its checksum is that of the superblock with or without the features %s (a write that turned them on was cut); both are taken",
		     names))
		return;
	famfs_sb_encode(&fs->sb, buf);
	memcpy(fs->dev.base, buf, FAMFS_SB_SIZE);
	famfs_flush(fs->dev.base, FAMFS_SB_SIZE);
	fixed(ck, famfs_dev_sync(&fs->dev) == 0);
	fs->sb.torn_features = 0;
}

static int pass_super(struct famfs_fsck *ck)
{
	struct famfs_fs *fs = &ck->fs;
	struct famfs_why why = { "" };
	int rc;

	famfs_invalidate(fs->dev.base, FAMFS_SB_SIZE);
	rc = famfs_sb_decode(fs->dev.base, fs->dev.size, &fs->sb, &why);
	if (rc == -ENODATA)
		problem(ck, FAMFS_PR_SB_MISSING, "superblock: %s", why.msg);
	else if (rc == -EOPNOTSUPP)
		problem(ck, FAMFS_PR_SB_FEATURES, "superblock: %s", why.msg);
	else if (rc == -EFSBADCRC)
		problem(ck, FAMFS_PR_SB_CRC, "superblock: %s", why.msg);
	else if (rc)
		problem(ck, FAMFS_PR_SB_CORRUPT, "superblock: %s", why.msg);
	else if (!famfs_sb_is_primary(&fs->sb))
		problem(ck, FAMFS_PR_SB_SECONDARY,
			"superblock: this is secondary device %u of a filesystem; check its primary device",
			fs->sb.dev_index);
	else
		ck->have_sb = 1;
	if (ck->have_sb && fs->sb.torn_features)
		fix_torn_features(ck);
	if (ck->have_sb && famfs_sb_ro_features(&fs->sb)) {
		problem(ck, FAMFS_PR_SB_RO_FEATURES,
			"superblock: unknown read-only features %#x: checked without repairing (upgrade famfs)",
			fs->sb.ro_compat & ~FAMFS_FEATURE_RO_COMPAT_SUPP);
		ck->repair = 0;
	}
	return ck->have_sb ? 0 : -1;
}

static int pass_log_header(struct famfs_fsck *ck)
{
	struct famfs_why why = { "" };
	int rc = famfs_fs_attach(&ck->fs, &why);

	if (rc == -ESTALE)
		problem(ck, FAMFS_PR_LOG_FOREIGN, "log header: %s", why.msg);
	else if (rc == -ENOMEM)
		return rc;
	else if (rc)
		problem(ck, FAMFS_PR_LOG_HDR, "log header: %s", why.msg);
	ck->have_log = !rc;
	return rc ? -1 : 0;
}

static int rebuild_tail(void *arg, const struct famfs_entry *e, uint64_t off)
{
	(void)arg;
	(void)e;
	(void)off;
	return 0;
}

static int pass_tail(struct famfs_fsck *ck)
{
	struct famfs_log *log = &ck->fs.log;
	struct famfs_scan scan;
	int rc = famfs_log_read_tail(log, NULL);

	if (rc) {
		famfs_log_scan(log, log->info.entries_off, 0, log->info.log_len,
			       rebuild_tail, NULL, &scan);
		if (!problem(ck, FAMFS_PR_TAIL_BOTH,
			     "log: both tail records are damaged; %" PRIu64 " entries can be recovered by a scan",
			     scan.entries))
			return -1;
		log->tail.gen = 2;
		famfs_log_publish(log, scan.end_off, scan.next_seq);
		famfs_log_publish(log, scan.end_off, scan.next_seq);
		fixed(ck, 1);
		return 0;
	}
	for (int s = 0; s < 2; s++) {
		if (!log->slot_err[s])
			continue;
		if (problem(ck, FAMFS_PR_TAIL_SLOT,
			    "log: tail record %d is damaged (the other one is used%s)", s,
			    log->rolled ? ", with the complete entry after it" : "")) {
			famfs_log_publish(log, log->tail.next_off,
					  log->tail.next_seq);
			fixed(ck, 1);
		}
	}
	return 0;
}

/* A namespace refusal of the root-tree entries has its own problem. */
static enum famfs_problem ns_problem(const struct famfs_entry *e, int rc)
{
	switch (e->type) {
	case FAMFS_ENTRY_LINK:
		return rc == -ENOENT || rc == -EPERM ? FAMFS_PR_LINK
						     : FAMFS_PR_NAMESPACE;
	case FAMFS_ENTRY_XATTR:
		return rc == -ENOENT ? FAMFS_PR_NODE_MISSING : FAMFS_PR_XATTR;
	case FAMFS_ENTRY_ATTR:
		return rc == -ENOENT ? FAMFS_PR_NODE_MISSING
				     : FAMFS_PR_NAMESPACE;
	}
	return FAMFS_PR_NAMESPACE;
}

static enum famfs_problem apply_problem(const struct famfs_entry *e, int rc,
					enum famfs_apply_err kind)
{
	switch (kind) {
	case FAMFS_AE_DEVICE:
		return FAMFS_PR_EXT_DEVICE;
	case FAMFS_AE_RANGE:
		return FAMFS_PR_EXT_RANGE;
	case FAMFS_AE_META:
		return FAMFS_PR_EXT_META;
	case FAMFS_AE_ALIGN:
		return FAMFS_PR_EXT_ALIGN;
	case FAMFS_AE_CROSSLINK:
		return FAMFS_PR_CROSSLINK;
	case FAMFS_AE_DEVTAB:
		return FAMFS_PR_DEVTAB;
	case FAMFS_AE_FEATURE:
		return FAMFS_PR_FEATURE;
	default:
		return ns_problem(e, rc);
	}
}

/* Entries and log bytes per kind, and the kinds the summary counts. */
static void count_entry(struct famfs_fsck_stats *st,
			const struct famfs_entry *e, int applied)
{
	enum famfs_entry_kind k = famfs_entry_kind(e);

	st->kind_entries[k]++;
	st->kind_bytes[k] += e->len;
	if (applied && k == FAMFS_EK_INODE_EMPTY)
		st->empty++;
	if (applied && k == FAMFS_EK_ATTR)
		st->attrs++;
}

static int check_entry(void *arg, const struct famfs_entry *e, uint64_t off)
{
	struct famfs_fsck *ck = arg;
	struct famfs_why why = { "" };
	enum famfs_apply_err kind;
	int rc = famfs_fs_apply(&ck->fs, e, &kind, &why);

	if (rc == -ENOMEM)
		return rc;
	count_entry(&ck->st, e, !rc);
	/* cross-links are named pairwise by pass_crosslinks */
	if (rc && kind != FAMFS_AE_CROSSLINK && e->type == FAMFS_ENTRY_LINK)
		problem(ck, apply_problem(e, rc, kind), "log entry %" PRIu64 " at offset %#" PRIx64 ": hard link '%s' to '%s': %s",
			e->seq, off, e->path, e->target, why.msg);
	else if (rc && kind != FAMFS_AE_CROSSLINK &&
		 (e->type == FAMFS_ENTRY_XATTR || e->type == FAMFS_ENTRY_ATTR))
		problem(ck, apply_problem(e, rc, kind), "log entry %" PRIu64 " at offset %#" PRIx64 ": %s change of '%s': %s",
			e->seq, off, e->type == FAMFS_ENTRY_XATTR ?
			"extended attribute" : "attribute", e->path, why.msg);
	else if (rc && kind != FAMFS_AE_CROSSLINK)
		problem(ck, apply_problem(e, rc, kind), "log entry %" PRIu64 " at offset %#" PRIx64 ": %s",
			e->seq, off, why.msg);
	ck->fs.applied_seq = e->seq + 1;
	ck->fs.applied_off = off + e->len;
	return 0;
}

static int pass_entries(struct famfs_fsck *ck)
{
	struct famfs_log *log = &ck->fs.log;
	struct famfs_scan scan;
	int rc;

	rc = famfs_log_scan(log, log->info.entries_off, 0, log->tail.next_off,
			    check_entry, ck, &scan);
	if (rc)
		return rc;
	if (scan.err) {
		problem(ck, FAMFS_PR_ENTRY_BAD,
			"log entry %" PRIu64 " at offset %#" PRIx64 ": %s; the %" PRIu64 " committed entries from there on cannot be read",
			scan.next_seq, scan.end_off, scan.why.msg,
			log->tail.next_seq > scan.next_seq ?
			log->tail.next_seq - scan.next_seq : 0);
	} else if (scan.next_seq != log->tail.next_seq) {
		problem(ck, FAMFS_PR_TAIL_COUNT,
			"log: tail record says %" PRIu64 " entries, the log holds %" PRIu64,
			log->tail.next_seq, scan.next_seq);
	}
	return 0;
}

static int pass_trailer(struct famfs_fsck *ck)
{
	struct famfs_log *log = &ck->fs.log;
	uint64_t off = log->tail.next_off, end = log->info.log_len, dirty;
	struct famfs_entry *e;
	int fix;

	dirty = famfs_log_first_dirty(log, off, end);
	if (dirty >= end)
		return 0;
	e = malloc(sizeof(*e));
	if (!e)
		return -ENOMEM;
	if (dirty == off && !famfs_entry_decode(log->base + off, end - off,
						log->tail.next_seq,
						log->info.seed, e, NULL))
		fix = problem(ck, FAMFS_PR_UNCOMMITTED,
			      "log: entry %" PRIu64 " ('%s') after the tail was never committed (interrupted append)",
			      e->seq, e->path);
	else
		fix = problem(ck, FAMFS_PR_GARBAGE,
			      "log: nonzero bytes at offset %#" PRIx64 " after the tail at %#" PRIx64 " (torn append)",
			      dirty, off);
	free(e);
	if (fix) {
		famfs_log_zero_range(log, off, end);
		fixed(ck, famfs_dev_sync(&ck->fs.dev) == 0);
	}
	return 0;
}

struct xref {
	uint32_t dev;
	uint64_t start, end;
	const struct famfs_node *node;
};

static int xref_cmp(const void *a, const void *b)
{
	const struct xref *x = a, *y = b;

	if (x->dev != y->dev)
		return x->dev < y->dev ? -1 : 1;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->node->seq != y->node->seq)	/* deterministic order */
		return x->node->seq < y->node->seq ? -1 : 1;
	return 0;
}

static struct xref *collect_extents(const struct famfs_ns *ns, size_t *n)
{
	size_t cap = 1024, cnt = 0;
	struct xref *v = malloc(cap * sizeof(*v)), *t;

	for (uint64_t h = 0; v && h < ns->hcap; h++) {
		for (const struct famfs_node *nd = ns->htab[h]; nd; nd = nd->hnext) {
			for (uint32_t i = 0; nd->file && i < nd->file->nextents; i++) {
				const struct famfs_extent *x = &nd->file->ext[i];

				if (cnt == cap) {
					cap *= 2;
					t = realloc(v, cap * sizeof(*v));
					if (!t) {
						free(v);
						return NULL;
					}
					v = t;
				}
				v[cnt++] = (struct xref){ x->dev, x->offset,
							  x->offset + x->len, nd };
			}
		}
	}
	*n = cnt;
	return v;
}

/*
 * Every secondary device of the log, found among the candidates by its
 * UUID; its superblock must agree with the log (index, size, primary,
 * allocation unit).  Not through a mount: the devices are not there.
 */
static int pass_devices(struct famfs_fsck *ck)
{
	struct famfs_fs *fs = &ck->fs;
	struct famfs_why why = { "" };
	struct famfs_dev *d;

	if (fs->dev.fd < 0)
		return 0;
	for (uint32_t i = 1; i < fs->ndevs; i++) {
		if (!famfs_fs_dev(fs, i, &d, &why))
			continue;
		if (fs->devs[i].state == FAMFS_DS_MISMATCH)
			problem(ck, FAMFS_PR_DEV_MISMATCH, "%s", why.msg);
		else
			problem(ck, FAMFS_PR_DEV_MISSING,
				"%s: its files cannot be read here (give its path with -D)",
				why.msg);
	}
	return 0;
}

/* Name every pair of files whose extents overlap. */
static int pass_crosslinks(struct famfs_fsck *ck)
{
	struct xref *v, *owner = NULL;
	size_t n = 0;

	if (!ck->fs.crosslinks)
		return 0;
	v = collect_extents(&ck->fs.ns, &n);
	if (!v)
		return -ENOMEM;
	qsort(v, n, sizeof(*v), xref_cmp);
	for (size_t i = 0; i < n; i++) {
		if (owner && owner->dev == v[i].dev && v[i].start < owner->end) {
			problem(ck, FAMFS_PR_CROSSLINK,
				"cross-link: '%s' and '%s' share device %u bytes [%#" PRIx64 ", %#" PRIx64 ")",
				owner->node->path, v[i].node->path, v[i].dev,
				v[i].start,
				v[i].end < owner->end ? v[i].end : owner->end);
		}
		if (!owner || owner->dev != v[i].dev || v[i].end > owner->end)
			owner = &v[i];
	}
	free(v);
	return 0;
}

static void fill_stats(struct famfs_fsck *ck)
{
	struct famfs_fs *fs = &ck->fs;
	struct famfs_fsck_stats *st = &ck->st;

	st->dev_size = fs->sb.dev_size;
	st->alloc_unit = fs->sb.alloc_unit;
	memcpy(st->fs_uuid, fs->sb.fs_uuid, 16);
	memcpy(st->master_uuid, fs->sb.master_uuid, 16);
	st->log_len = fs->sb.log_len;
	st->compat = fs->sb.compat;
	st->incompat = fs->sb.incompat;
	st->ro_compat = fs->sb.ro_compat;
	if (!ck->have_log)
		return;
	st->capacity = famfs_fs_capacity(fs);
	st->used = famfs_fs_used(fs);
	st->log_used = fs->log.tail.next_off;
	st->entries = fs->applied_seq;
	st->files = fs->ns.nfiles;
	st->dirs = fs->ns.ndirs;
	st->file_bytes = fs->ns.file_bytes;
	st->symlinks = fs->ns.nsymlinks;
	st->special = fs->ns.nspecial;
	st->hardlinks = fs->ns.nhardlinks;
	st->xattrs = fs->ns.nxattrs;
	st->ndevs = fs->ndevs;
	for (uint32_t i = 0; i < fs->ndevs; i++) {
		const struct famfs_devslot *s = &fs->devs[i];
		struct famfs_fsck_dev *d = &st->dev[i];
		size_t n;

		memcpy(d->uuid, s->uuid, 16);
		d->size = s->size;
		d->capacity = s->size - s->data_offset;
		d->used = fs->bmap[i].used * famfs_sb_granule(&fs->sb) -
			  s->data_offset;
		d->state = s->state;
		n = s->dev ? strnlen(s->dev->path, sizeof(d->path) - 1) : 0;
		if (n)
			memcpy(d->path, s->dev->path, n);
		d->path[n] = 0;
	}
}

typedef int (*fsck_pass)(struct famfs_fsck *ck);

/* Each pass returns 0 to go on, < 0 to stop (fatal problem or no memory). */
static const fsck_pass validate_passes[] = {
	pass_super,
	pass_log_header,
};

static const fsck_pass check_passes[] = {
	pass_tail,
	pass_entries,
	pass_devices,
	pass_crosslinks,
	pass_trailer,
};

static int run_passes(struct famfs_fsck *ck, const fsck_pass *p, size_t n)
{
	int rc = 0;

	for (size_t i = 0; i < n && !rc; i++)
		rc = p[i](ck);
	fill_stats(ck);
	return rc == -ENOMEM ? rc : 0;
}

int famfs_fsck_open(struct famfs_fsck *ck, const char *path, int repair,
		    struct famfs_why *why)
{
	int flags = FAMFS_DEV_EXCL | (repair ? FAMFS_DEV_RDWR : 0);

	memset(ck, 0, sizeof(*ck));
	ck->repair = repair;
	return famfs_dev_open(&ck->fs.dev, path, flags, why);
}

/*
 * Check a copy of a device in memory (a mount's .meta files placed as on
 * the device), read-only.  The memory stays the caller's: the device has
 * no fd, and famfs_fsck_done() does not unmap it.
 */
int famfs_fsck_open_image(struct famfs_fsck *ck, uint8_t *base, uint64_t size)
{
	memset(ck, 0, sizeof(*ck));
	return famfs_dev_open_mem(&ck->fs.dev, base, size, "<mount>", NULL);
}

/* Superblock and log header; afterwards have_log says if checks can go on. */
int famfs_fsck_validate(struct famfs_fsck *ck)
{
	return run_passes(ck, validate_passes,
			  sizeof(validate_passes) / sizeof(validate_passes[0]));
}

/* Tail, entries, cross-links and the bytes after the tail. */
int famfs_fsck_check(struct famfs_fsck *ck)
{
	if (!ck->have_log)
		return 0;
	return run_passes(ck, check_passes,
			  sizeof(check_passes) / sizeof(check_passes[0]));
}

int famfs_fsck_run(struct famfs_fsck *ck, const char *path, int repair,
		   struct famfs_why *why)
{
	int rc = famfs_fsck_open(ck, path, repair, why);

	if (!rc)
		rc = famfs_fsck_validate(ck);
	if (!rc)
		rc = famfs_fsck_check(ck);
	if (rc == -ENOMEM)
		famfs_why_set(why, "out of memory");
	return rc;
}

int famfs_fsck_exit(const struct famfs_fsck *ck)
{
	int code = 0;

	if (ck->noperr)
		code |= FAMFS_FSCK_OPERROR;
	if (ck->nleft)
		code |= FAMFS_FSCK_ERRORS;
	if (ck->nfixed)
		code |= FAMFS_FSCK_CORRECTED;
	if (ck->ndevmiss)
		code |= FAMFS_FSCK_DEVMISSING;
	return code;
}

void famfs_fsck_done(struct famfs_fsck *ck)
{
	famfs_fs_close(&ck->fs);	/* an image device is not ours: kept */
}
