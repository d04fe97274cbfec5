// SPDX-License-Identifier: Apache-2.0
/*
 * libFuzzer target: a whole primary device image through the code mount and
 * fsck run - superblock decode (sb.c), log header and tail records (log.c),
 * entries (entry.c, entry_node.c), replay into the namespace and the
 * allocation bitmaps (fs.c, ns.c, ns_attr.c, path.c, alloc.c), fsck's passes (fsck.c) and, on request,
 * fsck --repair followed by a second check.  The device is memory
 * (famfs_fs_open_mem, famfs_fsck_open_image).
 *
 * Input (short inputs are zero-filled):
 *   [0]           flags: FIX_* recompute the checksums (so mutations reach
 *                 the checks behind them), SEQ renumbers the entries,
 *                 REPAIR runs fsck --repair and checks again
 *   [1, 513)      superblock, device offset 0
 *   [513, 1025)   log header, device offset 2 MiB
 *   [1025, 1153)  tail slots 0 and 1
 *   [1153, ...)   entries (at most ENTRIES_MAX bytes) from log offset 0x1000
 *
 * Invariants: no crash, UB or leak; whatever replay accepted is consistent
 * (paths safe, tree well formed, every inode's kind and fields, hard links
 * naming a non-directory inode whose nlink counts them, xattr lists within
 * their limit, the namespace's counters, every extent inside its device, aligned
 * to the granule (the allocation unit, or 4 KiB on a packed filesystem),
 * past the metadata, and - without a reported cross-link - no two files
 * sharing a byte; the bitmaps count exactly that space); replaying again
 * adds nothing; a clean fsck means mount replays the same entries; after
 * --repair nothing fixable is left.
 */
#include <sys/mman.h>
#include <sys/stat.h>

#include "fuzz_util.h"
#include "famfs_endian.h"
#include "omf.h"
#include "famfs_fmap.h"
#include "famfs_fsck.h"

#define DEV_SIZE	(38ull << 20)	/* fits a 4 MiB log at 4 KiB units */
#define LOG_OFF		FAMFS_LOG_OFFSET
#define ENTRIES_MAX	16384u

#define FIX_SB		0x01
#define FIX_LOG		0x02
#define FIX_TAIL	0x04
#define FIX_ENTRY	0x08
#define SEQ		0x10
#define REPAIR		0x20

static uint8_t *dev;
static struct famfs_fs fs;
static struct famfs_fsck ck;

static void put_crc(uint8_t *p, size_t covered, uint32_t seed)
{
	__le32 crc = le32_put(famfs_crc32c(seed, p, covered));

	memcpy(p + covered, &crc, sizeof(crc));
}

/* Give every entry a valid checksum and/or its sequence number. */
static void fix_entries(uint8_t *p, size_t n, uint32_t seed, int flags)
{
	size_t off = 0;
	uint64_t seq = 0;

	while (off + sizeof(struct famfs_dentry) <= n) {
		struct famfs_dentry *h = (void *)(p + off);
		uint32_t len = le32_get(h->e_len);

		if (len < sizeof(*h) || len % 8 || len > FAMFS_ENTRY_MAX ||
		    len > n - off)
			return;
		if (flags & SEQ)
			h->e_seq = le64_put(seq++);
		if (flags & FIX_ENTRY) {
			__le32 crc = le32_put(famfs_crc32c(seed, p + off + 4,
							   len - 4));

			memcpy(&h->e_crc, &crc, sizeof(crc));
		}
		off += len;
	}
}

static void chunk(uint8_t *dst, const uint8_t **in, size_t *left, size_t n)
{
	size_t k = *left < n ? *left : n;

	memcpy(dst, *in, k);
	*in += k;
	*left -= k;
}

/* Lay the input out on the (zeroed) device. */
static void place(const uint8_t *data, size_t size)
{
	uint8_t *log = dev + LOG_OFF;
	int flags = size ? data[0] : 0;
	size_t left = size ? size - 1 : 0, n;
	const uint8_t *in = data + (size ? 1 : 0);

	chunk(dev, &in, &left, FAMFS_SB_SIZE);
	chunk(log, &in, &left, FAMFS_LOG_HDR_SIZE);
	chunk(log + FAMFS_LOG_TAIL0, &in, &left, 2 * sizeof(struct famfs_dtail));
	n = left < ENTRIES_MAX ? left : ENTRIES_MAX;
	chunk(log + FAMFS_LOG_ENTRIES, &in, &left, n);
	if (flags & FIX_SB)
		put_crc(dev, offsetof(struct famfs_dsb, s_crc), 0);
	if (flags & FIX_LOG)
		put_crc(log, offsetof(struct famfs_dlog, l_crc), 0);
	if (flags & (FIX_TAIL | FIX_ENTRY | SEQ)) {
		uint32_t seed = famfs_fs_seed(((struct famfs_dlog *)log)->l_fs_uuid);

		if (flags & FIX_TAIL) {
			put_crc(log + FAMFS_LOG_TAIL0, 0x3c, seed);
			put_crc(log + FAMFS_LOG_TAIL1, 0x3c, seed);
		}
		fix_entries(log + FAMFS_LOG_ENTRIES, n, seed, flags);
	}
}

/* Zero what place() and fsck --repair can have written. */
static void unplace(void)
{
	memset(dev, 0, 4096);
	memset(dev + LOG_OFF, 0, FAMFS_LOG_ENTRIES + ENTRIES_MAX);
}

static void check_extent(const struct famfs_fs *f, const struct famfs_extent *x)
{
	const struct famfs_devslot *d;
	uint64_t g = famfs_sb_granule(&f->sb);

	FUZZ_ASSERT(x->dev < f->ndevs);
	d = &f->devs[x->dev];
	FUZZ_ASSERT(x->len && x->offset + x->len > x->offset);
	FUZZ_ASSERT(x->offset >= d->data_offset && x->offset + x->len <= d->size);
	FUZZ_ASSERT(x->offset % g == 0 && x->len % g == 0);
	if (x->dev == 0)		/* the one device that is really here */
		FUZZ_ASSERT(x->offset + x->len <= DEV_SIZE &&
			    x->offset >= LOG_OFF + f->sb.log_len);
}

/* A file's map covers it, and every byte resolves inside an extent. */
static void check_file(const struct famfs_fs *f, const struct famfs_node *n)
{
	const struct famfs_fmap *m = n->file;
	uint64_t probe[3] = { 0, n->size / 2, n->size - 1 };

	FUZZ_ASSERT(m && m->nextents >= 1 && m->nextents <= FAMFS_MAX_STRIPS);
	FUZZ_ASSERT(n->size && m->size == n->size);
	for (uint32_t i = 0; i < m->nextents; i++)
		check_extent(f, &m->ext[i]);
	for (int i = 0; i < 3; i++) {
		uint64_t doff, len;
		uint32_t d;

		FUZZ_ASSERT(!famfs_fmap_resolve(m, probe[i], &d, &doff, &len));
		FUZZ_ASSERT(d < f->ndevs && len &&
			    doff >= f->devs[d].data_offset &&
			    doff + len <= f->devs[d].size);
	}
}

/* An inode's own fields: its map, target or device, and its xattrs. */
static void check_inode(const struct famfs_fs *f, const struct famfs_node *n)
{
	uint32_t xbytes = 0;

	switch (n->type) {
	case FAMFS_ENTRY_FILE:
		FUZZ_ASSERT(n->ifmt == S_IFREG && n->file);
		if (n->size)
			check_file(f, n);
		else		/* an empty file: no extents */
			FUZZ_ASSERT(n->file->nextents == 0 && !n->file->size);
		break;
	case FAMFS_ENTRY_MKDIR:
		FUZZ_ASSERT(n->ifmt == S_IFDIR && !n->file && n->nlink >= 2);
		break;
	default:
		FUZZ_ASSERT(n->type == FAMFS_ENTRY_INODE && !n->file);
		if (n->ifmt == S_IFLNK) {
			FUZZ_ASSERT(n->target && n->size &&
				    n->size <= FAMFS_SYMLINK_MAX &&
				    strlen(n->target) == n->size);
			break;
		}
		FUZZ_ASSERT(n->ifmt == S_IFIFO || n->ifmt == S_IFSOCK ||
			    n->ifmt == S_IFCHR || n->ifmt == S_IFBLK);
		FUZZ_ASSERT(!n->size && !n->target);
		if (n->ifmt != S_IFCHR && n->ifmt != S_IFBLK)
			FUZZ_ASSERT(!n->rdev_major && !n->rdev_minor);
	}
	FUZZ_ASSERT(!(n->mode & ~07777u) && n->nlink >= 1);
	FUZZ_ASSERT(n->mtime.nsec < 1000000000u && n->ctime.nsec < 1000000000u);
	for (const struct famfs_xattr *x = n->xattrs; x; x = x->next) {
		FUZZ_ASSERT(x->name_len && x->name_len <= FAMFS_XATTR_NAME_MAX &&
			    strlen(x->name) == x->name_len);
		FUZZ_ASSERT(x->value_len <= FAMFS_XATTR_VALUE_MAX);
		xbytes += x->name_len + 1 + x->value_len;
	}
	FUZZ_ASSERT(xbytes == n->xattr_bytes && xbytes <= FAMFS_XATTR_LIST_MAX);
}

/* Path, tree links and inode index of one name; its inode if it is one. */
static void check_node(const struct famfs_fs *f, const struct famfs_node *n)
{
	const struct famfs_node *p = n->parent, *i = famfs_ns_inode(n);

	FUZZ_ASSERT(fuzz_path_is_safe(n->path, n->path_len));
	FUZZ_ASSERT(strlen(n->path) == n->path_len);
	FUZZ_ASSERT(p && p->type == FAMFS_ENTRY_MKDIR);
	if (p == &f->ns.root) {
		FUZZ_ASSERT(!memchr(n->path, '/', n->path_len));
	} else {
		FUZZ_ASSERT(n->path_len > p->path_len + 1);
		FUZZ_ASSERT(!memcmp(n->path, p->path, p->path_len));
		FUZZ_ASSERT(n->path[p->path_len] == '/');
		FUZZ_ASSERT(p->seq < n->seq);	/* parent came first */
	}
	FUZZ_ASSERT(famfs_ns_by_ino(&f->ns, n->ino) == i);
	FUZZ_ASSERT(famfs_ns_lookup(&f->ns, n->path, n->path_len) == n);
	FUZZ_ASSERT(n->seq < f->applied_seq);
	if (i != n) {			/* a hard link: a name of a non-directory */
		FUZZ_ASSERT(!i->inode && i->type != FAMFS_ENTRY_MKDIR);
		FUZZ_ASSERT(n->ino == i->ino && i->seq < n->seq && i->nlink >= 2);
		FUZZ_ASSERT(!n->file && !n->xattrs);
		return;
	}
	check_inode(f, n);
}

struct span {
	uint32_t dev;
	uint64_t start, end;
};

static int span_cmp(const void *a, const void *b)
{
	const struct span *x = a, *y = b;

	if (x->dev != y->dev)
		return x->dev < y->dev ? -1 : 1;
	return x->start < y->start ? -1 : x->start > y->start;
}

/*
 * No cross-link reported: no two extents share a byte; the bitmaps count
 * exactly the granules (4 KiB on a packed filesystem) of the extents and of
 * the metadata.
 */
static void check_space(const struct famfs_fs *f, struct span *v, size_t n)
{
	uint64_t units = 0, used = 0, g = famfs_sb_granule(&f->sb);

	if (f->crosslinks)
		return;
	qsort(v, n, sizeof(*v), span_cmp);
	for (size_t i = 0; i < n; i++) {
		if (i && v[i].dev == v[i - 1].dev)
			FUZZ_ASSERT(v[i].start >= v[i - 1].end);
		units += (v[i].end - v[i].start) / g;
	}
	for (uint32_t d = 0; d < f->ndevs; d++) {
		units += f->devs[d].data_offset / g;
		used += f->bmap[d].used;
	}
	FUZZ_ASSERT(units == used);
}

static void check_fs(const struct famfs_fs *f)
{
	uint64_t files = 0, dirs = 0, nspans = 0, names = 0, links = 0;
	uint64_t symlinks = 0, special = 0, extra_links = 0, xattrs = 0;
	struct span *v = malloc(f->ns.count * FAMFS_MAX_STRIPS * sizeof(*v) + 1);

	FUZZ_ASSERT(v);
	FUZZ_ASSERT(f->ndevs >= 1 && f->devs[0].size <= DEV_SIZE);
	for (uint64_t h = 0; h < f->ns.hcap; h++) {
		for (const struct famfs_node *n = f->ns.htab[h]; n; n = n->hnext) {
			check_node(f, n);
			names++;
			if (n->inode) {
				links++;
				continue;
			}
			for (const struct famfs_xattr *x = n->xattrs; x; x = x->next)
				xattrs++;
			if (n->type == FAMFS_ENTRY_MKDIR) {
				dirs++;
				continue;
			}
			extra_links += n->nlink - 1;
			if (n->type == FAMFS_ENTRY_INODE) {
				n->ifmt == S_IFLNK ? symlinks++ : special++;
				continue;
			}
			files++;
			for (uint32_t i = 0; i < n->file->nextents; i++)
				v[nspans++] = (struct span){ n->file->ext[i].dev,
					n->file->ext[i].offset,
					n->file->ext[i].offset + n->file->ext[i].len };
		}
	}
	FUZZ_ASSERT(files == f->ns.nfiles && dirs == f->ns.ndirs);
	FUZZ_ASSERT(symlinks == f->ns.nsymlinks && special == f->ns.nspecial);
	FUZZ_ASSERT(files + dirs + symlinks + special == f->ns.count);
	FUZZ_ASSERT(names == f->ns.names && links == f->ns.nhardlinks);
	FUZZ_ASSERT(extra_links == links);	/* nlink counts every name */
	FUZZ_ASSERT(xattrs == f->ns.nxattrs);
	check_space(f, v, nspans);
	free(v);
}

/* Mount: open and replay; returns entries applied, or -1 if refused. */
static int64_t mount_replay(void)
{
	struct famfs_why why = { "" };
	struct famfs_scan res;
	int64_t applied = -1;
	int rc;

	if (famfs_fs_open_mem(&fs, dev, DEV_SIZE, "fuzz", &why))
		return -1;
	rc = famfs_fs_replay(&fs, &res, &why);
	check_fs(&fs);			/* also the prefix of a refused log */
	if (rc >= 0) {
		applied = (int64_t)fs.applied_seq;
		FUZZ_ASSERT(famfs_fs_replay(&fs, &res, &why) == 0);
		FUZZ_ASSERT((int64_t)fs.applied_seq == applied);
	}
	famfs_fs_close(&fs);
	return applied;
}

/* One fsck run; returns its exit code. */
static int fsck_once(int repair)
{
	int rc, code;

	FUZZ_ASSERT(!famfs_fsck_open_image(&ck, dev, DEV_SIZE));
	ck.repair = repair;
	rc = famfs_fsck_validate(&ck);
	if (!rc)
		rc = famfs_fsck_check(&ck);
	FUZZ_ASSERT(rc == 0);
	FUZZ_ASSERT(ck.nitems <= FAMFS_FSCK_MAX_REPORTS &&
		    ck.nitems <= ck.nproblems);
	if (ck.have_log)
		check_fs(&ck.fs);
	code = famfs_fsck_exit(&ck);
	FUZZ_ASSERT(!(code & FAMFS_FSCK_CORRECTED) || repair);
	return code;
}

/* After --repair, a second check finds nothing --repair could fix. */
static void repair_then_check(void)
{
	int ro;

	fsck_once(1);
	ro = ck.fs.sb.ro_compat != 0;	/* repair refused: unknown features */
	famfs_fsck_done(&ck);
	fsck_once(0);
	for (unsigned int i = 0; i < ck.nitems && !ro; i++)
		FUZZ_ASSERT(!(famfs_problem_desc(ck.items[i].code)->flags &
			      FAMFS_PRF_FIXABLE));
	famfs_fsck_done(&ck);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int64_t applied;
	int code;

	if (!dev) {
		dev = mmap(NULL, DEV_SIZE, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		FUZZ_ASSERT(dev != MAP_FAILED);
	}
	place(data, size);
	applied = mount_replay();
	code = fsck_once(0);
	if (code == FAMFS_FSCK_OK) {	/* clean: mount agrees entry for entry */
		FUZZ_ASSERT(applied >= 0 && (uint64_t)applied == ck.st.entries);
		FUZZ_ASSERT(ck.fs.crosslinks == 0);
	}
	famfs_fsck_done(&ck);
	if (size && (data[0] & REPAIR))
		repair_then_check();
	unplace();
	return 0;
}
