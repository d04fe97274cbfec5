// SPDX-License-Identifier: Apache-2.0
/*
 * An opened filesystem on a sparse memfd image (fs.c, create.c): mkfs,
 * mkdir/mkfile, placement of extents, replay after reopen, incremental
 * replay between two opens, the refusals (-EEXIST, -ENOENT, -ENOTDIR,
 * -EROFS, -ENOSPC for space and for the log), accounting, and replay
 * stopping at a damaged entry.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "unit_fs.h"
#include "omf.h"

static struct uimg im;
static struct famfs_fs *fs, *fs2;
static uint8_t *before;			/* a log copy, freed by teardown */
static struct uoffs *offs;

static int setup(void **state)
{
	(void)state;
	fs = calloc(1, sizeof(*fs));
	fs2 = calloc(1, sizeof(*fs2));
	im.fd = -1;
	if (!fs || !fs2)
		return -1;
	fs->dev.fd = fs2->dev.fd = -1;	/* famfs_fs_close() of a closed fs */
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	if (fs)
		famfs_fs_close(fs);
	if (fs2)
		famfs_fs_close(fs2);
	free(fs);
	free(fs2);
	fs = fs2 = NULL;
	free(before);
	before = NULL;
	free(offs);
	offs = NULL;
	uimg_destroy(&im);
	return 0;
}

static uint64_t round_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) / a * a;
}

/* The whole log region as it is on the image now. */
static uint8_t *log_copy(void)
{
	uint8_t *p = malloc(im.sb.log_len);

	assert_non_null(p);
	uimg_read(&im, im.sb.log_offset, p, im.sb.log_len);
	return p;
}

static void assert_log_unchanged(const uint8_t *snap)
{
	uint8_t *now = log_copy();
	int same = !memcmp(now, snap, im.sb.log_len);

	free(now);
	assert_true(same);
}

/* The tail as stored on the image, read through a second open. */
static struct famfs_tail media_tail(void)
{
	struct famfs_why why = { "" };
	struct famfs_fs *f = calloc(1, sizeof(*f));
	struct famfs_tail t;

	assert_non_null(f);
	assert_int_equal(famfs_fs_open(f, im.path, 0, &why), 0);
	assert_int_equal(famfs_log_read_tail(&f->log, &why), 0);
	t = f->log.tail;
	famfs_fs_close(f);
	free(f);
	return t;
}

static void for_each_node(const struct famfs_fs *f,
			  void (*fn)(const struct famfs_node *n, void *arg),
			  void *arg)
{
	for (uint64_t h = 0; h < f->ns.hcap; h++)
		for (const struct famfs_node *n = f->ns.htab[h]; n; n = n->hnext)
			fn(n, arg);
}

static void same_node(const struct famfs_node *a, void *arg)
{
	const struct famfs_fs *other = arg;
	const struct famfs_node *b = famfs_ns_lookup(&other->ns, a->path,
						     a->path_len);

	if (!b)
		print_error("'%s' missing after replay\n", a->path);
	assert_non_null(b);
	assert_string_equal(a->path, b->path);
	assert_int_equal(a->ino, b->ino);
	assert_int_equal(a->seq, b->seq);
	assert_int_equal(a->type, b->type);
	assert_int_equal(a->mode, b->mode);
	assert_int_equal(a->uid, b->uid);
	assert_int_equal(a->gid, b->gid);
	assert_int_equal(a->size, b->size);
	assert_string_equal(a->parent->path, b->parent->path);
	assert_int_equal(!a->file, !b->file);
	if (!a->file)
		return;
	assert_int_equal(a->file->nextents, b->file->nextents);
	assert_int_equal(a->file->ext_type, b->file->ext_type);
	for (uint32_t i = 0; i < a->file->nextents; i++) {
		assert_int_equal(a->file->ext[i].dev, b->file->ext[i].dev);
		assert_int_equal(a->file->ext[i].offset, b->file->ext[i].offset);
		assert_int_equal(a->file->ext[i].len, b->file->ext[i].len);
	}
}

static void assert_same_ns(const struct famfs_fs *a, const struct famfs_fs *b)
{
	assert_int_equal(a->ns.count, b->ns.count);
	assert_int_equal(a->ns.nfiles, b->ns.nfiles);
	assert_int_equal(a->ns.ndirs, b->ns.ndirs);
	assert_int_equal(a->ns.file_bytes, b->ns.file_bytes);
	for_each_node(a, same_node, (void *)b);
	for_each_node(b, same_node, (void *)a);
}

/* ---- format and create --------------------------------------------------- */

static void test_mkfs_then_open(void **state)
{
	(void)state;
	uimg_new(&im, 64 * UNIT_MiB, 0, 0);
	assert_int_equal(im.sb.alloc_unit, 2 * UNIT_MiB);
	assert_int_equal(im.sb.log_len, 8 * UNIT_MiB);
	assert_int_equal(ufs_open(fs, &im, FAMFS_DEV_RDWR), 0);
	assert_int_equal(fs->sb.data_offset, 10 * UNIT_MiB);
	assert_int_equal(fs->sb.dev_size, 64 * UNIT_MiB);
	assert_int_equal(fs->ndevs, 1);
	assert_int_equal(fs->ns.count, 0);
	assert_int_equal(fs->applied_seq, 0);
	assert_int_equal(fs->log.tail.next_seq, 0);
	assert_int_equal(fs->log.tail.next_off, FAMFS_LOG_ENTRIES);
	assert_int_equal(famfs_fs_capacity(fs), 54 * UNIT_MiB);
	assert_int_equal(famfs_fs_used(fs), 0);
}

static void test_mkdir_mkfile(void **state)
{
	struct famfs_node *d, *f;

	(void)state;
	uimg_new(&im, 64 * UNIT_MiB, 0, 0);
	ufs_open(fs, &im, FAMFS_DEV_RDWR);
	ufs_mkdir(fs, "dir");
	ufs_mkfile(fs, "dir/file", 3 * UNIT_MiB + 1);
	d = ufs_lookup(fs, "dir");
	f = ufs_lookup(fs, "dir/file");
	assert_non_null(d);
	assert_non_null(f);
	assert_int_equal(d->type, FAMFS_ENTRY_MKDIR);
	assert_int_equal(d->mode, 0755);
	assert_int_equal(f->type, FAMFS_ENTRY_FILE);
	assert_int_equal(f->size, 3 * UNIT_MiB + 1);
	assert_int_equal(f->mode, 0644);
	assert_int_equal(f->uid, 1000);
	assert_ptr_equal(f->parent, d);
	assert_int_equal(fs->applied_seq, 2);
	assert_int_equal(fs->log.tail.next_seq, 2);
	assert_int_equal(media_tail().next_seq, 2);
	assert_int_equal(fs->applied_off, fs->log.tail.next_off);
}

static void test_mode_bits_masked(void **state)
{
	struct famfs_why why = { "" };

	(void)state;
	uimg_new(&im, 64 * UNIT_MiB, 0, 0);
	ufs_open(fs, &im, FAMFS_DEV_RDWR);
	assert_int_equal(famfs_fs_mkdir(fs, "d", 040755, 1, 2, &why), 0);
	assert_int_equal(famfs_fs_mkfile(fs, "f", 1, 0100600, 3, 4, &why), 0);
	assert_int_equal(ufs_lookup(fs, "d")->mode, 0755);
	assert_int_equal(ufs_lookup(fs, "f")->mode, 0600);
	assert_int_equal(ufs_lookup(fs, "f")->gid, 4);
}

struct layout {
	uint64_t au, data_off, dev_size;
	const struct famfs_node *files[64];
	unsigned int nfiles;
};

static void collect_file(const struct famfs_node *n, void *arg)
{
	struct layout *l = arg;

	if (n->type == FAMFS_ENTRY_FILE) {
		assert_true(l->nfiles < 64);
		l->files[l->nfiles++] = n;
	}
}

static void test_extents_aligned_and_disjoint(void **state)
{
	static const uint64_t sizes[] = {
		1, 4096, 65536, 65537, UNIT_MiB, 3 * UNIT_MiB + 5, 100,
		128 * 1024, 7 * 65536 - 1, 2 * UNIT_MiB,
	};
	const size_t n = sizeof(sizes) / sizeof(sizes[0]);
	struct layout l = { .au = 64 * 1024 };
	char p[32];

	(void)state;
	uimg_new(&im, 64 * UNIT_MiB, 2 * UNIT_MiB, l.au);
	ufs_open(fs, &im, FAMFS_DEV_RDWR);
	l.data_off = fs->sb.data_offset;
	l.dev_size = fs->sb.dev_size;
	assert_int_equal(l.data_off, 4 * UNIT_MiB);
	ufs_mkdir(fs, "d");
	for (size_t i = 0; i < n; i++) {
		snprintf(p, sizeof(p), i % 2 ? "d/f%zu" : "f%zu", i);
		ufs_mkfile(fs, p, sizes[i]);
	}
	for_each_node(fs, collect_file, &l);
	assert_int_equal(l.nfiles, n);
	for (unsigned int i = 0; i < l.nfiles; i++) {
		const struct famfs_fmap *fi = l.files[i]->file;
		const struct famfs_extent *x = &fi->ext[0];
		uint64_t g;

		assert_int_equal(fi->nextents, 1);
		assert_int_equal(fi->ext_type, FAMFS_EXT_SIMPLE);
		assert_int_equal(x->dev, 0);
		/* packed below the unit: 4 KiB granules; else whole units */
		g = l.files[i]->size < l.au ? 4096 : l.au;
		assert_int_equal(x->offset % g, 0);
		assert_int_equal(x->len, round_up(l.files[i]->size, g));
		assert_true(x->offset >= l.data_off);
		assert_true(x->offset + x->len <= l.dev_size);
		for (unsigned int j = 0; j < i; j++) {
			const struct famfs_extent *y = &l.files[j]->file->ext[0];

			if (x->offset < y->offset + y->len &&
			    y->offset < x->offset + x->len)
				print_error("'%s' overlaps '%s'\n",
					    l.files[i]->path, l.files[j]->path);
			assert_false(x->offset < y->offset + y->len &&
				     y->offset < x->offset + x->len);
		}
	}
}

static void test_capacity_used(void **state)
{
	uint64_t au = 64 * 1024, want = 0, cap;

	(void)state;
	uimg_new(&im, 64 * UNIT_MiB, 2 * UNIT_MiB, au);
	ufs_open(fs, &im, FAMFS_DEV_RDWR);
	cap = famfs_fs_capacity(fs);
	assert_int_equal(cap, 64 * UNIT_MiB - 4 * UNIT_MiB);
	assert_int_equal(famfs_fs_used(fs), 0);
	ufs_mkdir(fs, "d");
	assert_int_equal(famfs_fs_used(fs), 0);		/* dirs use no space */
	ufs_mkfile(fs, "d/a", 1);
	want += 4096;			/* packed: one 4 KiB granule */
	assert_int_equal(famfs_fs_used(fs), want);
	ufs_mkfile(fs, "d/b", au + 1);
	want += 2 * au;
	assert_int_equal(famfs_fs_used(fs), want);
	ufs_mkfile(fs, "c", 5 * UNIT_MiB);
	want += 5 * UNIT_MiB;
	assert_int_equal(famfs_fs_used(fs), want);
	assert_int_equal(famfs_fs_capacity(fs), cap);

	/* the same after a fresh replay */
	famfs_fs_close(fs);
	assert_int_equal(ufs_open(fs, &im, 0), 4);
	assert_int_equal(famfs_fs_used(fs), want);
	assert_int_equal(famfs_fs_capacity(fs), cap);
	assert_int_equal(fs->ns.file_bytes, 1 + au + 1 + 5 * UNIT_MiB);
}

/* ---- replay --------------------------------------------------------------- */

static void build_tree(struct famfs_fs *f)
{
	ufs_mkdir(f, "a");
	ufs_mkdir(f, "a/b");
	ufs_mkdir(f, "c");
	ufs_mkfile(f, "a/one", 100);
	ufs_mkfile(f, "a/b/two", 2 * UNIT_MiB);
	ufs_mkfile(f, "c/three", 2 * UNIT_MiB + 1);
	ufs_mkfile(f, "four", 4096);
	ufs_mkdir(f, "a/b/deep");
	ufs_mkfile(f, "a/b/deep/five", 1);
}

static void test_reopen_replays_same_namespace(void **state)
{
	(void)state;
	uimg_new(&im, 64 * UNIT_MiB, 0, 0);
	ufs_open(fs, &im, FAMFS_DEV_RDWR);
	build_tree(fs);
	assert_int_equal(fs->ns.count, 9);

	/* a second, read-only open replays the same namespace */
	assert_int_equal(ufs_open(fs2, &im, 0), 9);
	assert_same_ns(fs, fs2);
	assert_int_equal(fs2->applied_seq, 9);
	assert_int_equal(fs2->applied_off, fs->applied_off);
	assert_int_equal(famfs_fs_used(fs2), famfs_fs_used(fs));

	/* and again after the writer closed */
	famfs_fs_close(fs2);
	famfs_fs_close(fs);
	assert_int_equal(ufs_open(fs, &im, FAMFS_DEV_RDWR), 9);
	assert_int_equal(ufs_open(fs2, &im, 0), 9);
	assert_same_ns(fs, fs2);
	assert_non_null(ufs_lookup(fs, "a/b/deep/five"));
}

/* The same image as a memory buffer replays the same namespace. */
static void test_open_mem(void **state)
{
	struct famfs_why why = { "" };
	struct famfs_scan res;
	uint8_t *copy, *snap;

	(void)state;
	uimg_new(&im, 64 * UNIT_MiB, 0, 0);
	ufs_open(fs, &im, FAMFS_DEV_RDWR);
	build_tree(fs);
	copy = uimg_snapshot(&im);
	before = snap = uimg_snapshot(&im);

	assert_int_equal(famfs_fs_open_mem(fs2, copy, im.size, "copy", &why), 0);
	assert_int_equal(fs2->dev.fd, -1);
	assert_int_equal(famfs_fs_replay(fs2, &res, &why), 9);
	assert_same_ns(fs, fs2);
	assert_int_equal(famfs_fs_used(fs2), famfs_fs_used(fs));
	/* no log lock without an fd: creating is refused, nothing written */
	assert_int_equal(famfs_fs_mkdir(fs2, "new", 0755, 0, 0, &why), -EROFS);
	assert_int_equal(famfs_dev_sync(&fs2->dev), 0);
	famfs_fs_close(fs2);
	assert_memory_equal(copy, snap, im.size);	/* still ours */

	/* a bad superblock in memory is refused like one on a device */
	copy[0] ^= 0xff;
	assert_int_equal(famfs_fs_open_mem(fs2, copy, im.size, "copy", &why),
			 -ENODATA);
	assert_int_equal(famfs_fs_open_mem(fs2, copy, 0, "copy", &why), -ENOSPC);
	free(copy);
}

static void test_replay_is_incremental(void **state)
{
	struct famfs_why why = { "" };
	struct famfs_scan res;

	(void)state;
	uimg_new(&im, 64 * UNIT_MiB, 0, 0);
	ufs_open(fs, &im, FAMFS_DEV_RDWR);
	ufs_mkdir(fs, "base");
	assert_int_equal(ufs_open(fs2, &im, 0), 1);

	ufs_mkdir(fs, "base/x");
	ufs_mkfile(fs, "base/x/f", 10);
	ufs_mkfile(fs, "g", 20);
	assert_null(ufs_lookup(fs2, "g"));
	assert_int_equal(famfs_fs_replay(fs2, &res, &why), 3);
	assert_non_null(ufs_lookup(fs2, "base/x"));
	assert_non_null(ufs_lookup(fs2, "base/x/f"));
	assert_non_null(ufs_lookup(fs2, "g"));
	assert_int_equal(fs2->ns.count, 4);
	assert_int_equal(fs2->applied_seq, 4);
	assert_same_ns(fs, fs2);

	/* nothing new: nothing applied, nothing duplicated */
	assert_int_equal(famfs_fs_replay(fs2, &res, &why), 0);
	assert_int_equal(fs2->ns.count, 4);

	ufs_mkfile(fs, "h", 30);
	assert_int_equal(famfs_fs_replay(fs2, &res, &why), 1);
	assert_same_ns(fs, fs2);
	/* the writer's own replay has nothing to do */
	assert_int_equal(famfs_fs_replay(fs, &res, &why), 0);
}

/*
 * fuzz_replay found it: an ADD_DAXDEV claiming ~2^63 bytes made replay
 * (mount and fsck) calloc a terabyte for its bitmap.  A device has at most
 * 2^32 allocation units; replay stops at such an entry.
 */
static void test_replay_refuses_huge_daxdev(void **state)
{
	struct famfs_why why = { "" };
	struct famfs_entry *e = calloc(1, sizeof(*e));
	struct famfs_scan res;

	(void)state;
	assert_non_null(e);
	uimg_new(&im, 64 * UNIT_MiB, 0, 0);
	e->type = FAMFS_ENTRY_ADD_DAXDEV;
	memcpy(e->dev.uuid, "second-device-01", 16);
	e->dev.size = 64 * UNIT_MiB;
	e->dev.index = 1;
	uimg_append(&im, e);		/* a sane one first */
	memcpy(e->dev.uuid, "huge-device-0002", 16);
	e->dev.size = 0x7680000000000000ull;
	e->dev.index = 2;
	uimg_append(&im, e);
	free(e);

	assert_int_equal(famfs_fs_open(fs, im.path, 0, &why), 0);
	assert_int_equal(famfs_fs_replay(fs, &res, &why), -EFSCORRUPTED);
	assert_non_null(strstr(why.msg, "2^32 allocation units"));
	assert_int_equal(fs->ndevs, 2);
	assert_int_equal(fs->applied_seq, 1);
}

static void test_replay_stops_at_bad_entry(void **state)
{
	struct famfs_why why = { "" };
	struct famfs_scan res;
	struct uoffs *o = offs = calloc(1, sizeof(*o));
	const unsigned int k = 5;
	char want[32];
	int rc;

	(void)state;
	assert_non_null(o);
	uimg_new(&im, 64 * UNIT_MiB, 0, 0);
	ufs_open(fs, &im, FAMFS_DEV_RDWR);
	build_tree(fs);
	ufs_entry_offsets(fs, o);
	assert_int_equal(o->n, 9);
	famfs_fs_close(fs);

	/* one byte in the body of entry k, past its CRC and header */
	uimg_flip(&im, im.sb.log_offset + o->off[k] +
		  sizeof(struct famfs_dentry) + 2);
	assert_int_equal(famfs_fs_open(fs, im.path, 0, &why), 0);
	rc = famfs_fs_replay(fs, &res, &why);
	assert_int_equal(rc, -EFSBADCRC);
	assert_int_equal(fs->applied_seq, k);
	assert_int_equal(fs->applied_off, o->off[k]);
	assert_int_equal(fs->ns.count, k);
	snprintf(want, sizeof(want), "log entry %u ", k);
	if (!strstr(why.msg, want))
		print_error("why: \"%s\"\n", why.msg);
	assert_non_null(strstr(why.msg, want));
	/* entries before k are there, k and later are not */
	assert_non_null(ufs_lookup(fs, "a/one"));
	assert_non_null(ufs_lookup(fs, "a/b/two"));
	assert_null(ufs_lookup(fs, "c/three"));
	assert_null(ufs_lookup(fs, "four"));
	assert_null(ufs_lookup(fs, "a/b/deep/five"));
}

/* ---- refusals -------------------------------------------------------------- */

static void test_exists_appends_nothing(void **state)
{
	struct famfs_why why = { "" };
	struct famfs_tail t0, t1;

	(void)state;
	uimg_new(&im, 64 * UNIT_MiB, 0, 0);
	ufs_open(fs, &im, FAMFS_DEV_RDWR);
	ufs_mkdir(fs, "d");
	ufs_mkfile(fs, "d/f", 1);
	t0 = media_tail();
	before = log_copy();

	assert_int_equal(famfs_fs_mkfile(fs, "d/f", 1, 0644, 0, 0, &why), -EEXIST);
	assert_non_null(strstr(why.msg, "already exists"));
	assert_int_equal(famfs_fs_mkfile(fs, "d", 1, 0644, 0, 0, &why), -EEXIST);
	assert_int_equal(famfs_fs_mkdir(fs, "d/f", 0755, 0, 0, &why), -EEXIST);
	assert_int_equal(famfs_fs_mkdir(fs, "d", 0755, 0, 0, &why), -EEXIST);

	t1 = media_tail();
	assert_int_equal(t1.gen, t0.gen);
	assert_int_equal(t1.next_off, t0.next_off);
	assert_int_equal(t1.next_seq, t0.next_seq);
	assert_int_equal(fs->log.tail.next_seq, 2);
	assert_log_unchanged(before);
	assert_int_equal(famfs_fs_used(fs), 4096);	/* packed */
}

static void test_missing_parent(void **state)
{
	struct famfs_why why = { "" };

	(void)state;
	uimg_new(&im, 64 * UNIT_MiB, 0, 0);
	ufs_open(fs, &im, FAMFS_DEV_RDWR);
	ufs_mkfile(fs, "file", 1);
	before = log_copy();
	assert_int_equal(famfs_fs_mkfile(fs, "nodir/f", 1, 0644, 0, 0, &why),
			 -ENOENT);
	assert_non_null(strstr(why.msg, "does not exist"));
	assert_int_equal(famfs_fs_mkdir(fs, "x/y/z", 0755, 0, 0, &why), -ENOENT);
	assert_int_equal(famfs_fs_mkdir(fs, "file/sub", 0755, 0, 0, &why),
			 -ENOTDIR);
	assert_int_equal(famfs_fs_mkfile(fs, "file/f", 1, 0644, 0, 0, &why),
			 -ENOTDIR);
	assert_log_unchanged(before);
	assert_int_equal(fs->ns.count, 1);
}

static void test_bad_paths(void **state)
{
	struct famfs_why why = { "" };
	char longp[FAMFS_PATH_MAX + 2];

	(void)state;
	uimg_new(&im, 64 * UNIT_MiB, 0, 0);
	ufs_open(fs, &im, FAMFS_DEV_RDWR);
	assert_int_equal(famfs_fs_mkdir(fs, "/abs", 0755, 0, 0, &why), -EINVAL);
	assert_int_equal(famfs_fs_mkdir(fs, "", 0755, 0, 0, &why), -EINVAL);
	assert_int_equal(famfs_fs_mkdir(fs, "a/../b", 0755, 0, 0, &why), -EINVAL);
	assert_int_equal(famfs_fs_mkdir(fs, ".meta", 0755, 0, 0, &why), -EINVAL);
	memset(longp, 'x', sizeof(longp) - 1);
	longp[sizeof(longp) - 1] = '\0';
	assert_int_equal(famfs_fs_mkfile(fs, longp, 1, 0644, 0, 0, &why),
			 -ENAMETOOLONG);
	assert_int_equal(fs->log.tail.next_seq, 0);
}

static void test_read_only(void **state)
{
	struct famfs_why why = { "" };

	(void)state;
	uimg_new(&im, 64 * UNIT_MiB, 0, 0);
	ufs_open(fs, &im, FAMFS_DEV_RDWR);
	ufs_mkdir(fs, "d");
	famfs_fs_close(fs);

	assert_int_equal(ufs_open(fs, &im, 0), 1);
	before = log_copy();
	assert_int_equal(famfs_fs_mkdir(fs, "e", 0755, 0, 0, &why), -EROFS);
	assert_non_null(strstr(why.msg, "read-only"));
	assert_int_equal(famfs_fs_mkfile(fs, "d/f", 1, 0644, 0, 0, &why), -EROFS);
	assert_int_equal(fs->ns.count, 1);
	assert_log_unchanged(before);
}

static void test_size_checks(void **state)
{
	struct famfs_why why = { "" };

	(void)state;
	uimg_new(&im, 64 * UNIT_MiB, 0, 0);
	ufs_open(fs, &im, FAMFS_DEV_RDWR);
	assert_int_equal(famfs_fs_mkfile(fs, "zero", 0, 0644, 0, 0, &why), -EINVAL);
	assert_int_equal(famfs_fs_mkfile(fs, "huge", 65 * UNIT_MiB, 0644, 0, 0,
					 &why), -EINVAL);
	assert_int_equal(fs->log.tail.next_seq, 0);
	assert_int_equal(famfs_fs_used(fs), 0);
}

static void test_device_full(void **state)
{
	struct famfs_why why = { "" };
	struct famfs_tail t0, t1;

	(void)state;
	uimg_new(&im, 64 * UNIT_MiB, 0, 0);	/* 27 units of 2 MiB */
	ufs_open(fs, &im, FAMFS_DEV_RDWR);
	/* larger than the free space but not than the device */
	assert_int_equal(famfs_fs_mkfile(fs, "toobig", 55 * UNIT_MiB, 0644, 0, 0,
					 &why), -ENOSPC);
	ufs_mkfile(fs, "big", 54 * UNIT_MiB);
	assert_int_equal(famfs_fs_used(fs), famfs_fs_capacity(fs));
	t0 = media_tail();
	before = log_copy();
	assert_int_equal(famfs_fs_mkfile(fs, "one", 1, 0644, 0, 0, &why), -ENOSPC);
	assert_non_null(strstr(why.msg, "'one'"));
	t1 = media_tail();
	assert_int_equal(t1.gen, t0.gen);
	assert_int_equal(t1.next_seq, 1);
	assert_int_equal(t1.next_off, t0.next_off);
	assert_log_unchanged(before);
	assert_int_equal(fs->ns.count, 1);
	assert_null(ufs_lookup(fs, "one"));
	/* a directory needs no space */
	ufs_mkdir(fs, "stilldirs");
}

static void test_fragmented_space(void **state)
{
	struct famfs_why why = { "" };
	char p[16];

	(void)state;
	uimg_new(&im, 64 * UNIT_MiB, 0, 0);	/* 27 units of 2 MiB */
	ufs_open(fs, &im, FAMFS_DEV_RDWR);
	for (int i = 0; i < 27; i++) {
		snprintf(p, sizeof(p), "u%d", i);
		ufs_mkfile(fs, p, 2 * UNIT_MiB);
	}
	famfs_fs_close(fs);
	/* free every other unit by hand: 13 free units, none adjacent */
	ufs_open(fs, &im, FAMFS_DEV_RDWR);
	for (int i = 1; i < 27; i += 2) {
		const struct famfs_extent *x;

		snprintf(p, sizeof(p), "u%d", i);
		x = &ufs_lookup(fs, p)->file->ext[0];
		famfs_bitmap_clear(&fs->bmap[0], x->offset / 4096,
				   x->len / 4096);	/* packed: 4 KiB bits */
	}
	assert_int_equal(famfs_fs_used(fs), 14 * 2 * UNIT_MiB);
	assert_int_equal(famfs_fs_mkfile(fs, "pair", 4 * UNIT_MiB, 0644, 0, 0,
					 &why), -ENOSPC);
	assert_non_null(strstr(why.msg, "'pair'"));
	assert_int_equal(fs->log.tail.next_seq, 27);
	assert_int_equal(famfs_fs_used(fs), 14 * 2 * UNIT_MiB);
}

static void test_log_full(void **state)
{
	struct famfs_why why = { "" };
	struct famfs_tail t0;
	unsigned int n = 0;
	char p[32];
	int rc;

	(void)state;
	/* a 2 MiB log and 4 KiB units: the log fills long before the space */
	uimg_new(&im, UNIT_GiB, 2 * UNIT_MiB, 4096);
	ufs_open(fs, &im, FAMFS_DEV_RDWR);
	for (;;) {
		snprintf(p, sizeof(p), "f%06u", n);
		rc = famfs_fs_mkfile(fs, p, 4096, 0644, 0, 0, &why);
		if (rc)
			break;
		n++;
		assert_true(n < 100000);
	}
	assert_int_equal(rc, -ENOSPC);
	if (!strstr(why.msg, "log full on "))
		print_error("why: \"%s\"\n", why.msg);
	assert_non_null(strstr(why.msg, "log full on "));
	assert_non_null(strstr(why.msg, "famfs mkfs -l"));
	/*
	 * 128-byte INODE entries (header 24, body 72, extent 24, path 8) in
	 * 2 MiB less the 4 KiB header area: they fill it exactly
	 */
	assert_int_equal(n, (2 * UNIT_MiB - FAMFS_LOG_ENTRIES) / 128);
	assert_true(famfs_fs_used(fs) < famfs_fs_capacity(fs) / 2);
	assert_int_equal(famfs_fs_used(fs), (uint64_t)n * 4096);
	t0 = media_tail();
	assert_int_equal(t0.next_seq, n);

	/* nor does a 128-byte directory entry */
	assert_int_equal(famfs_fs_mkdir(fs, "directory-with-a-long-name", 0755,
					0, 0, &why), -ENOSPC);
	assert_int_equal(media_tail().gen, t0.gen);

	famfs_fs_close(fs);
	assert_int_equal(ufs_open(fs, &im, FAMFS_DEV_RDWR), (int)n);
	assert_int_equal(fs->ns.nfiles, n);
	assert_non_null(ufs_lookup(fs, "f000000"));
	snprintf(p, sizeof(p), "f%06u", n - 1);
	assert_non_null(ufs_lookup(fs, p));
	assert_int_equal(famfs_fs_used(fs), (uint64_t)n * 4096);
}

/*
 * create.c requires the namespace to be replayed up to the tail and says
 * so with -ESTALE.  Creating right after open, before any replay, must not
 * overwrite the committed entries at the start of the log.
 */
/*
 * A create on a filesystem opened but not replayed catches up with the log
 * under the log lock first: an existing path is refused with nothing
 * appended, and the entries already there are kept.
 */
static void test_create_before_replay_catches_up(void **state)
{
	struct famfs_why why = { "" };
	int rc;

	(void)state;
	uimg_new(&im, 64 * UNIT_MiB, 0, 0);
	ufs_open(fs, &im, FAMFS_DEV_RDWR);
	ufs_mkdir(fs, "keep");
	ufs_mkfile(fs, "keep/me", 1);
	famfs_fs_close(fs);

	before = log_copy();
	assert_int_equal(famfs_fs_open(fs, im.path, FAMFS_DEV_RDWR, &why), 0);
	rc = famfs_fs_mkdir(fs, "keep", 0755, 0, 0, &why);
	if (rc != -EEXIST)
		print_error("mkdir of an unreplayed path returned %d\n", rc);
	assert_int_equal(rc, -EEXIST);
	assert_log_unchanged(before);
	assert_int_equal(fs->applied_seq, 2);
	assert_int_equal(famfs_fs_mkdir(fs, "new", 0755, 0, 0, &why), 0);
	famfs_fs_close(fs);
	assert_int_equal(ufs_open(fs, &im, 0), 3);
	assert_non_null(ufs_lookup(fs, "keep/me"));
	assert_non_null(ufs_lookup(fs, "new"));
}

/* A create that reports success is durable, replayed or not before. */
static void test_create_on_fresh_open_is_durable(void **state)
{
	struct famfs_why why = { "" };
	int rc;

	(void)state;
	uimg_new(&im, 64 * UNIT_MiB, 0, 0);
	assert_int_equal(famfs_fs_open(fs, im.path, FAMFS_DEV_RDWR, &why), 0);
	rc = famfs_fs_mkdir(fs, "first", 0755, 0, 0, &why);
	famfs_fs_close(fs);
	if (rc)
		return;		/* refusing is fine; losing it is not */
	assert_int_equal(ufs_open(fs, &im, 0), 1);
	assert_non_null(ufs_lookup(fs, "first"));
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_mkfs_then_open),
		T(test_mkdir_mkfile),
		T(test_mode_bits_masked),
		T(test_extents_aligned_and_disjoint),
		T(test_capacity_used),
		T(test_reopen_replays_same_namespace),
		T(test_open_mem),
		T(test_replay_is_incremental),
		T(test_replay_refuses_huge_daxdev),
		T(test_replay_stops_at_bad_entry),
		T(test_exists_appends_nothing),
		T(test_missing_parent),
		T(test_bad_paths),
		T(test_read_only),
		T(test_size_checks),
		T(test_device_full),
		T(test_fragmented_space),
		T(test_log_full),
		T(test_create_before_replay_catches_up),
		T(test_create_on_fresh_open_is_durable),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
