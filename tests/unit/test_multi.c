// SPDX-License-Identifier: Apache-2.0
/*
 * Several devices in one filesystem (mkfs.c, create.c, fs.c, devset.c,
 * fmap.c) on sparse memfd images: secondary superblocks and ADD_DAXDEV
 * entries, the device-table rules of replay (dense, in order, no repeated
 * UUID), where contiguous and interleaved files are placed, resolution of
 * an index to a device by UUID, and golden vectors of the interleave
 * arithmetic over several devices (file offset -> device, offset).
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
#include <uuid/uuid.h>

#include "famfs_fmap.h"
#include "famfs_fsck.h"
#include "unit_fs.h"

#define NSEC 3

static struct uimg prim, sec[NSEC];
static struct famfs_fs *fs, *fs2;

static int setup(void **state)
{
	(void)state;
	fs = calloc(1, sizeof(*fs));
	fs2 = calloc(1, sizeof(*fs2));
	prim.fd = -1;
	for (int i = 0; i < NSEC; i++)
		sec[i].fd = -1;
	if (!fs || !fs2)
		return -1;
	fs->dev.fd = fs2->dev.fd = -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	famfs_fs_close(fs);
	famfs_fs_close(fs2);
	free(fs);
	free(fs2);
	uimg_destroy(&prim);
	for (int i = 0; i < NSEC; i++)
		uimg_destroy(&sec[i]);
	return 0;
}

/* A primary of @psize and @n secondaries of @ssize each, all added. */
static void make_fs(uint64_t psize, unsigned int n, uint64_t ssize)
{
	struct famfs_why why = { "" };
	struct famfs_dev d;
	uint32_t idx;

	uimg_new(&prim, psize, 0, 0);
	ufs_open(fs, &prim, FAMFS_DEV_RDWR);
	for (unsigned int i = 0; i < n; i++) {
		uimg_create(&sec[i], ssize);
		assert_int_equal(famfs_dev_open(&d, sec[i].path,
						FAMFS_DEV_RDWR | FAMFS_DEV_EXCL,
						&why), 0);
		if (famfs_fs_add_device(fs, &d, 0, &idx, &why))
			fail_msg("add device %u: %s", i + 1, why.msg);
		assert_int_equal(idx, i + 1);
		assert_int_equal(d.open, 0);	/* fs owns it */
	}
	assert_int_equal(fs->ndevs, n + 1);
}

static void test_secondary_superblock(void **state)
{
	struct famfs_sb_info sb;
	uint8_t buf[FAMFS_SB_SIZE];

	(void)state;
	make_fs(256 * UNIT_MiB, 2, 64 * UNIT_MiB);
	for (uint32_t i = 1; i <= 2; i++) {
		uimg_read(&sec[i - 1], 0, buf, sizeof(buf));
		assert_int_equal(famfs_sb_decode(buf, sec[i - 1].size, &sb, NULL), 0);
		assert_false(famfs_sb_is_primary(&sb));
		assert_int_equal(sb.dev_index, i);
		assert_memory_equal(sb.fs_uuid, fs->sb.fs_uuid, 16);
		assert_memory_equal(sb.primary_uuid, fs->sb.dev_uuid, 16);
		assert_memory_equal(sb.dev_uuid, fs->devs[i].uuid, 16);
		assert_int_equal(sb.dev_size, 64 * UNIT_MiB);
		assert_int_equal(sb.data_offset, 2 * UNIT_MiB);
		assert_int_equal(fs->devs[i].size, 64 * UNIT_MiB);
		assert_int_equal(famfs_secondary_match(fs, i, &sb, NULL), 0);
		/* the other slot's UUID: not this device */
		assert_int_equal(famfs_secondary_match(fs, 3 - i, &sb, NULL),
				 -ENOENT);
	}
	/* the log knows both after a fresh open */
	ufs_open(fs2, &prim, 0);
	assert_int_equal(fs2->ndevs, 3);
	assert_memory_equal(fs2->devs[2].uuid, fs->devs[2].uuid, 16);
	assert_int_equal(famfs_fs_capacity(fs2),
			 246 * UNIT_MiB + 2 * 62 * UNIT_MiB);
}

static void test_add_refusals(void **state)
{
	struct famfs_why why = { "" };
	struct famfs_dev d;
	uint8_t *snap;
	uint32_t idx;

	(void)state;
	make_fs(256 * UNIT_MiB, 1, 64 * UNIT_MiB);
	/* device 1 again: it is ours, refused even with force */
	assert_int_equal(famfs_dev_open(&d, sec[0].path, FAMFS_DEV_RDWR, &why), 0);
	snap = uimg_snapshot(&sec[0]);
	assert_int_equal(famfs_fs_add_device(fs, &d, 1, &idx, &why), -EEXIST);
	assert_non_null(strstr(why.msg, "already device 1"));
	assert_true(uimg_same(&sec[0], snap));
	free(snap);
	famfs_dev_close(&d);
	/* too small for a superblock region and one unit */
	uimg_create(&sec[1], 3 * UNIT_MiB);
	assert_int_equal(famfs_dev_open(&d, sec[1].path, FAMFS_DEV_RDWR, &why), 0);
	assert_int_equal(famfs_fs_add_device(fs, &d, 0, &idx, &why), -ENOSPC);
	famfs_dev_close(&d);
	assert_int_equal(uimg_byte(&sec[1], 0), 0);
	/* another filesystem's primary: only with force */
	uimg_new(&sec[2], 64 * UNIT_MiB, 0, 0);
	assert_int_equal(famfs_dev_open(&d, sec[2].path, FAMFS_DEV_RDWR, &why), 0);
	assert_int_equal(famfs_fs_add_device(fs, &d, 0, &idx, &why), -EEXIST);
	assert_non_null(strstr(why.msg, "use -f"));
	assert_int_equal(famfs_fs_add_device(fs, &d, 1, &idx, &why), 0);
	assert_int_equal(idx, 2);
	assert_int_equal(fs->ndevs, 3);
}

/*
 * A devadd that stopped after the secondary superblock, before its entry
 * (tests/reliability/crash.sh): the superblock names this filesystem and
 * the next index, but no log entry names its UUID.  It is refused without
 * force (unchanged, the reason says so), taken with force, and never taken
 * for a device of the log.
 */
static void test_add_orphan(void **state)
{
	struct famfs_why why = { "" };
	struct famfs_sb_info sbi, sb;
	uint8_t buf[FAMFS_SB_SIZE];
	struct famfs_dev d, *got;
	uint8_t *snap;
	uint32_t idx;

	(void)state;
	make_fs(256 * UNIT_MiB, 1, 64 * UNIT_MiB);
	uimg_create(&sec[1], 64 * UNIT_MiB);
	assert_int_equal(famfs_dev_open(&d, sec[1].path, FAMFS_DEV_RDWR, &why), 0);
	assert_int_equal(famfs_mkfs_plan_secondary(&d, &fs->sb, 2, &sbi, &why), 0);
	assert_int_equal(famfs_mkfs_write_secondary(&d, &sbi, &why), 0);
	/* not device 1 for a host that looks for it */
	ufs_open(fs2, &prim, 0);
	assert_int_equal(famfs_fs_set_scan(fs2, (const char *const[]){ sec[1].path }, 1, 0), 0);
	assert_int_equal(famfs_fs_dev(fs2, 1, &got, &why), -ENXIO);
	snap = uimg_snapshot(&sec[1]);
	assert_int_equal(famfs_fs_add_device(fs, &d, 0, &idx, &why), -EEXIST);
	assert_non_null(strstr(why.msg, "no log entry names"));
	assert_non_null(strstr(why.msg, "use -f"));
	assert_true(uimg_same(&sec[1], snap));
	free(snap);
	assert_int_equal(fs->ndevs, 2);
	assert_int_equal(famfs_fs_add_device(fs, &d, 1, &idx, &why), 0);
	assert_int_equal(idx, 2);
	assert_int_equal(fs->ndevs, 3);
	uimg_read(&sec[1], 0, buf, sizeof(buf));
	assert_int_equal(famfs_sb_decode(buf, sec[1].size, &sb, NULL), 0);
	assert_int_equal(sb.dev_index, 2);
	assert_memory_equal(sb.dev_uuid, fs->devs[2].uuid, 16);
	assert_memory_not_equal(sb.dev_uuid, sbi.dev_uuid, 16);
	/* once in the log it is ours: refused even with force */
	assert_int_equal(famfs_dev_open(&d, sec[1].path, FAMFS_DEV_RDWR, &why), 0);
	assert_int_equal(famfs_fs_add_device(fs, &d, 1, &idx, &why), -EEXIST);
	assert_non_null(strstr(why.msg, "already device 2"));
	famfs_dev_close(&d);
}

/* ---- ADD_DAXDEV table rules ------------------------------------------- */

static int apply_dev(struct famfs_fs *f, uint32_t index, uint8_t first,
		     uint64_t size, enum famfs_apply_err *kind)
{
	struct famfs_entry e = { .type = FAMFS_ENTRY_ADD_DAXDEV };
	struct famfs_why why = { "" };

	memset(e.dev.uuid, 0x11, 16);
	e.dev.uuid[0] = first;
	e.dev.index = index;
	e.dev.size = size;
	return famfs_fs_apply(f, &e, kind, &why);
}

static void test_devtab_rules(void **state)
{
	enum famfs_apply_err kind;

	(void)state;
	uimg_new(&prim, 256 * UNIT_MiB, 0, 0);
	ufs_open(fs, &prim, 0);
	/* dense: 2 before 1 is a gap */
	assert_int_equal(apply_dev(fs, 2, 1, UNIT_GiB, &kind), -EFSCORRUPTED);
	assert_int_equal(kind, FAMFS_AE_DEVTAB);
	assert_int_equal(fs->ndevs, 1);
	assert_int_equal(apply_dev(fs, 1, 1, UNIT_GiB, &kind), 0);
	/* in order: 1 again is a repeat */
	assert_int_equal(apply_dev(fs, 1, 2, UNIT_GiB, &kind), -EFSCORRUPTED);
	assert_int_equal(kind, FAMFS_AE_DEVTAB);
	/* the UUID of device 1 at index 2 */
	assert_int_equal(apply_dev(fs, 2, 1, UNIT_GiB, &kind), -EFSCORRUPTED);
	assert_int_equal(kind, FAMFS_AE_DEVTAB);
	/* the primary's UUID */
	{
		struct famfs_entry e = { .type = FAMFS_ENTRY_ADD_DAXDEV };
		struct famfs_why why = { "" };

		memcpy(e.dev.uuid, fs->sb.dev_uuid, 16);
		e.dev.index = 2;
		e.dev.size = UNIT_GiB;
		assert_int_equal(famfs_fs_apply(fs, &e, &kind, &why),
				 -EFSCORRUPTED);
		assert_non_null(strstr(why.msg, "device 0"));
	}
	/* no room for data after the 2 MiB superblock region */
	assert_int_equal(apply_dev(fs, 2, 2, 3 * UNIT_MiB, &kind), -EFSCORRUPTED);
	assert_int_equal(apply_dev(fs, 2, 2, 4 * UNIT_MiB, &kind), 0);
	assert_int_equal(fs->ndevs, 3);
	assert_int_equal(fs->devs[2].data_offset, 2 * UNIT_MiB);
	/* an extent may name a known index only */
	{
		struct famfs_entry e = { .type = FAMFS_ENTRY_FILE };
		struct famfs_why why = { "" };

		e.file.size = 2 * UNIT_MiB;
		e.file.nextents = 1;
		e.file.ext[0] = (struct famfs_extent){ 3, 2 * UNIT_MiB,
						       2 * UNIT_MiB };
		famfs_entry_set_path(&e, "x");
		assert_int_equal(famfs_fs_apply(fs, &e, &kind, &why),
				 -EFSCORRUPTED);
		assert_int_equal(kind, FAMFS_AE_DEVICE);
		e.file.ext[0].dev = 2;
		assert_int_equal(famfs_fs_apply(fs, &e, &kind, &why), 0);
		e.file.ext[0].offset = 0;	/* over its superblock */
		famfs_entry_set_path(&e, "y");
		assert_int_equal(famfs_fs_apply(fs, &e, &kind, &why),
				 -EFSCORRUPTED);
		assert_int_equal(kind, FAMFS_AE_META);
	}
}

/* ---- placement ---------------------------------------------------------- */

static const struct famfs_fmap *mkfile(const char *path, uint64_t size,
				       uint32_t nstrips, uint64_t chunk)
{
	struct famfs_layout lay = { nstrips, chunk };
	struct famfs_why why = { "" };
	const struct famfs_node *n;

	if (famfs_fs_mkfile_layout(fs, path, size, 0644, 0, 0, &lay, &why))
		fail_msg("mkfile %s: %s", path, why.msg);
	n = ufs_lookup(fs, path);
	assert_non_null(n);
	return n->file;
}

static void test_contiguous_policy(void **state)
{
	const struct famfs_fmap *m;

	(void)state;
	/* primary 64 MiB (54 MiB of data), secondaries 64 and 128 MiB */
	uimg_new(&prim, 64 * UNIT_MiB, 0, 0);
	ufs_open(fs, &prim, FAMFS_DEV_RDWR);
	{
		struct famfs_why why = { "" };
		struct famfs_dev d;
		uint32_t idx;
		uint64_t sz[2] = { 64 * UNIT_MiB, 128 * UNIT_MiB };

		for (int i = 0; i < 2; i++) {
			uimg_create(&sec[i], sz[i]);
			assert_int_equal(famfs_dev_open(&d, sec[i].path,
							FAMFS_DEV_RDWR, &why), 0);
			assert_int_equal(famfs_fs_add_device(fs, &d, 0, &idx,
							     &why), 0);
		}
	}
	/* the primary while it has room */
	m = mkfile("a", 40 * UNIT_MiB, 0, 0);
	assert_int_equal(m->ext[0].dev, 0);
	assert_int_equal(m->ext[0].offset, 10 * UNIT_MiB);
	/* 20 MiB no longer fits the primary: the most free device (2) */
	m = mkfile("b", 20 * UNIT_MiB, 0, 0);
	assert_int_equal(m->ext[0].dev, 2);
	assert_int_equal(m->ext[0].offset, 2 * UNIT_MiB);
	/* small files still go to the primary first */
	m = mkfile("c", UNIT_MiB, 0, 0);
	assert_int_equal(m->ext[0].dev, 0);
	/* 2: 106 MiB free, 1: 62 MiB free */
	m = mkfile("d", 100 * UNIT_MiB, 0, 0);
	assert_int_equal(m->ext[0].dev, 2);
	/* primary 12 MiB free, 2: 6 MiB, 1: 62 MiB */
	m = mkfile("e", 14 * UNIT_MiB, 0, 0);
	assert_int_equal(m->ext[0].dev, 1);
}

static void test_interleave_policy(void **state)
{
	const struct famfs_fmap *m;
	uint32_t cnt[4] = { 0 };

	(void)state;
	make_fs(256 * UNIT_MiB, 3, 128 * UNIT_MiB);
	/* as many strips as devices: one per device, in index order */
	m = mkfile("i4", 16 * UNIT_MiB, 4, 2 * UNIT_MiB);
	assert_int_equal(m->ext_type, FAMFS_EXT_INTERLEAVE);
	assert_int_equal(m->nextents, 4);
	for (uint32_t k = 0; k < 4; k++) {
		assert_int_equal(m->ext[k].dev, k);
		assert_int_equal(m->ext[k].len, 4 * UNIT_MiB);
	}
	/* two strips: two distinct devices */
	m = mkfile("i2", 8 * UNIT_MiB, 2, 2 * UNIT_MiB);
	assert_int_not_equal(m->ext[0].dev, m->ext[1].dev);
	/* eight strips over four devices: two on each, round-robin */
	m = mkfile("i8", 32 * UNIT_MiB, 8, 2 * UNIT_MiB);
	for (uint32_t k = 0; k < 8; k++) {
		assert_int_equal(m->ext[k].dev, k % 4);
		cnt[m->ext[k].dev]++;
	}
	for (int d = 0; d < 4; d++)
		assert_int_equal(cnt[d], 2);
	/* smaller than a chunk: contiguous */
	m = mkfile("small", UNIT_MiB, 4, 2 * UNIT_MiB);
	assert_int_equal(m->ext_type, FAMFS_EXT_SIMPLE);
	/* the bitmaps account every strip where it is */
	ufs_open(fs2, &prim, 0);
	for (uint32_t d = 0; d < 4; d++)
		assert_int_equal(fs2->bmap[d].used, fs->bmap[d].used);
}

static void test_interleave_full_device(void **state)
{
	const struct famfs_fmap *m;

	(void)state;
	make_fs(64 * UNIT_MiB, 1, 64 * UNIT_MiB);
	/* fill the primary, leaving 4 MiB */
	m = mkfile("fill", 50 * UNIT_MiB, 0, 0);
	assert_int_equal(m->ext[0].dev, 0);
	/* two 8 MiB strips: the primary has no room, both go to device 1 */
	m = mkfile("i", 16 * UNIT_MiB, 2, 2 * UNIT_MiB);
	assert_int_equal(m->ext[0].dev, 1);
	assert_int_equal(m->ext[1].dev, 1);
	assert_int_not_equal(m->ext[0].offset, m->ext[1].offset);
}

/* ---- resolution by UUID -------------------------------------------------- */

static void test_resolve(void **state)
{
	struct famfs_why why = { "" };
	struct famfs_dev *d;
	const char *pat[2];
	char uuid[37];

	(void)state;
	make_fs(256 * UNIT_MiB, 2, 64 * UNIT_MiB);
	famfs_fs_close(fs);
	memset(fs, 0, sizeof(*fs));
	ufs_open(fs2, &prim, 0);
	assert_int_equal(famfs_fs_ndevs(fs2), 3);
	assert_int_equal(famfs_fs_dev_peek(fs2, 1, &d), -ENXIO);
	/* no candidates: not found, the reason names the UUID */
	assert_int_equal(famfs_fs_set_scan(fs2, NULL, 0, 0), 0);
	assert_int_equal(famfs_fs_dev(fs2, 2, &d, &why), -ENXIO);
	uuid_unparse_lower(fs2->devs[2].uuid, uuid);
	assert_non_null(strstr(why.msg, uuid));
	assert_int_equal(fs2->devs[2].state, FAMFS_DS_MISSING);
	assert_int_equal(famfs_fs_dev(fs2, 3, &d, &why), -ENODEV);
	/* listed in the other order: each found by its UUID */
	pat[0] = sec[1].path;
	pat[1] = sec[0].path;
	assert_int_equal(famfs_fs_set_scan(fs2, pat, 2, 0), 0);
	assert_int_equal(famfs_fs_dev(fs2, 1, &d, &why), 0);
	assert_string_equal(d->path, sec[0].path);
	assert_int_equal(famfs_fs_dev(fs2, 2, &d, &why), 0);
	assert_string_equal(d->path, sec[1].path);
	assert_int_equal(fs2->devs[2].state, FAMFS_DS_FOUND);
	/* device 0 is the primary itself */
	assert_int_equal(famfs_fs_dev(fs2, 0, &d, &why), 0);
	assert_ptr_equal(d, &fs2->dev);
}

/*
 * Devices reached in different ways in one filesystem: a mapped primary,
 * a secondary added through pread/pwrite (as a device-dax device in famfs
 * mode is) and a mapped one; then the primary through pread/pwrite and
 * both secondaries found by UUID.
 */
static void test_mixed_access(void **state)
{
	struct famfs_why why = { "" };
	struct famfs_sb_info sb;
	struct famfs_dev d, *r;
	uint8_t buf[FAMFS_SB_SIZE];
	const char *pat[2];
	uint32_t idx;

	(void)state;
	uimg_new(&prim, 256 * UNIT_MiB, 0, 0);
	ufs_open(fs, &prim, FAMFS_DEV_RDWR);
	for (int i = 0; i < 2; i++) {
		uimg_create(&sec[i], 64 * UNIT_MiB);
		assert_int_equal(famfs_dev_open(&d, sec[i].path, FAMFS_DEV_RDWR |
						FAMFS_DEV_EXCL |
						(i ? 0 : FAMFS_DEV_RWIO), &why), 0);
		assert_int_equal(d.rwio, !i);
		assert_int_equal(famfs_fs_add_device(fs, &d, 0, &idx, &why), 0);
		assert_int_equal(idx, i + 1);
	}
	for (int i = 0; i < 2; i++) {	/* on the devices, not in a copy */
		uimg_read(&sec[i], 0, buf, sizeof(buf));
		assert_int_equal(famfs_sb_decode(buf, sec[i].size, &sb, NULL), 0);
		assert_int_equal(sb.dev_index, i + 1);
	}
	famfs_fs_close(fs);
	memset(fs, 0, sizeof(*fs));
	ufs_open(fs2, &prim, FAMFS_DEV_RWIO);
	assert_int_equal(fs2->dev.rwio, 1);
	pat[0] = sec[0].path;
	pat[1] = sec[1].path;
	assert_int_equal(famfs_fs_set_scan(fs2, pat, 2, 0), 0);
	for (uint32_t i = 1; i <= 2; i++) {
		assert_int_equal(famfs_fs_dev(fs2, i, &r, &why), 0);
		assert_string_equal(r->path, sec[i - 1].path);
	}
	assert_int_equal(famfs_fs_capacity(fs2),
			 246 * UNIT_MiB + 2 * 62 * UNIT_MiB);
}

static void test_resolve_image_dir(void **state)
{
	struct famfs_why why = { "" };
	struct famfs_dev *d;

	(void)state;
	make_fs(256 * UNIT_MiB, 1, 64 * UNIT_MiB);
	ufs_open(fs2, &prim, 0);
	/* the primary is /proc/self/fd/N: its "directory" holds device 1 */
	assert_int_equal(famfs_fs_set_scan(fs2, NULL, 0, 1), 0);
	assert_int_equal(famfs_fs_dev(fs2, 1, &d, &why), 0);
	assert_memory_equal(fs2->devs[1].uuid, fs->devs[1].uuid, 16);
}

static void test_resolve_mismatch(void **state)
{
	struct famfs_why why = { "" };
	struct famfs_sb_info sb;
	struct famfs_dev *d;
	uint8_t buf[FAMFS_SB_SIZE];
	const char *pat[1];

	(void)state;
	make_fs(256 * UNIT_MiB, 1, 64 * UNIT_MiB);
	/* device 1's superblock rewritten with index 5 */
	uimg_read(&sec[0], 0, buf, sizeof(buf));
	assert_int_equal(famfs_sb_decode(buf, sec[0].size, &sb, NULL), 0);
	sb.dev_index = 5;
	famfs_sb_encode(&sb, buf);
	uimg_write(&sec[0], 0, buf, sizeof(buf));
	ufs_open(fs2, &prim, 0);
	pat[0] = sec[0].path;
	assert_int_equal(famfs_fs_set_scan(fs2, pat, 1, 0), 0);
	assert_int_equal(famfs_fs_dev(fs2, 1, &d, &why), -ENXIO);
	assert_int_equal(fs2->devs[1].state, FAMFS_DS_MISMATCH);
	assert_non_null(strstr(why.msg, "index 5"));
}

/* ---- fsck: every device looked for, a missing one named ---------------- */

static void run_fsck(struct famfs_fsck *ck, const char *const *pats,
		     unsigned int n)
{
	struct famfs_why why = { "" };

	assert_int_equal(famfs_fsck_open(ck, prim.path, 0, &why), 0);
	assert_int_equal(famfs_fs_set_scan(&ck->fs, pats, n, 0), 0);
	assert_int_equal(famfs_fsck_validate(ck), 0);
	assert_int_equal(famfs_fsck_check(ck), 0);
}

static void test_fsck_devices(void **state)
{
	struct famfs_fsck *ck = calloc(1, sizeof(*ck));
	const char *pats[2];
	char uuid[37];

	(void)state;
	assert_non_null(ck);
	make_fs(256 * UNIT_MiB, 2, 64 * UNIT_MiB);
	mkfile("i", 6 * UNIT_MiB, 3, 2 * UNIT_MiB);
	uuid_unparse_lower(fs->devs[2].uuid, uuid);
	famfs_fs_close(fs);
	memset(fs, 0, sizeof(*fs));
	pats[0] = sec[0].path;
	pats[1] = sec[1].path;
	/* device 2 not among the candidates */
	run_fsck(ck, pats, 1);
	assert_int_equal(famfs_fsck_exit(ck), FAMFS_FSCK_DEVMISSING);
	assert_int_equal(ck->nitems, 1);
	assert_int_equal(ck->items[0].code, FAMFS_PR_DEV_MISSING);
	assert_non_null(strstr(ck->items[0].msg, uuid));
	assert_int_equal(ck->st.ndevs, 3);
	assert_int_equal(ck->st.dev[1].state, FAMFS_DS_FOUND);
	assert_int_equal(ck->st.dev[2].state, FAMFS_DS_MISSING);
	assert_int_equal(ck->st.dev[2].used, 2 * UNIT_MiB);
	famfs_fsck_done(ck);
	/* both: clean */
	run_fsck(ck, pats, 2);
	assert_int_equal(famfs_fsck_exit(ck), 0);
	assert_int_equal(ck->nproblems, 0);
	famfs_fsck_done(ck);
	free(ck);
}

/* ---- interleave arithmetic over several devices: golden vectors ------- */

struct golden {
	uint64_t off;
	uint32_t dev;
	uint64_t doff, len;
};

/*
 * 3 strips on devices 2, 0, 1 (strip order != device order), chunk 1 MiB,
 * file 7 MiB + 4 KiB: 8 chunks, 3 per strip; strip k at base B[k].
 * chunk c -> strip c % 3, stripe c / 3.
 */
static void test_golden_three_devices(void **state)
{
	static const struct golden g[] = {
		{ 0x000000, 2, 0x0200000, 0x100000 },	/* chunk 0, strip 0 */
		{ 0x0fffff, 2, 0x02fffff, 0x000001 },
		{ 0x100000, 0, 0x0a00000, 0x100000 },	/* chunk 1, strip 1 */
		{ 0x180000, 0, 0x0a80000, 0x080000 },
		{ 0x200000, 1, 0x4000000, 0x100000 },	/* chunk 2, strip 2 */
		{ 0x300000, 2, 0x0300000, 0x100000 },	/* chunk 3: stripe 1 */
		{ 0x400001, 0, 0x0b00001, 0x0fffff },	/* chunk 4 */
		{ 0x5ff000, 1, 0x41ff000, 0x001000 },	/* chunk 5: stripe 1 */
		{ 0x600000, 2, 0x0400000, 0x100000 },	/* chunk 6: stripe 2 */
		{ 0x700000, 0, 0x0c00000, 0x001000 },	/* chunk 7: file end */
		{ 0x700fff, 0, 0x0c00fff, 0x000001 },
	};
	struct famfs_fmap *m = calloc(1, sizeof(*m) + 3 * sizeof(m->ext[0]));
	uint32_t dev;
	uint64_t doff, len;

	(void)state;
	assert_non_null(m);
	m->size = 0x701000;
	m->chunk = UNIT_MiB;
	m->ext_type = FAMFS_EXT_INTERLEAVE;
	m->nextents = 3;
	m->ext[0] = (struct famfs_extent){ 2, 0x0200000, 0x300000 };
	m->ext[1] = (struct famfs_extent){ 0, 0x0a00000, 0x300000 };
	m->ext[2] = (struct famfs_extent){ 1, 0x4000000, 0x300000 };
	for (size_t i = 0; i < sizeof(g) / sizeof(g[0]); i++) {
		assert_int_equal(famfs_fmap_resolve(m, g[i].off, &dev, &doff,
						    &len), 0);
		if (dev != g[i].dev || doff != g[i].doff || len != g[i].len)
			fail_msg("offset %#" PRIx64 ": %u/%#" PRIx64 "+%#" PRIx64 ", want %u/%#" PRIx64 "+%#" PRIx64,
				 g[i].off, dev, doff, len, g[i].dev, g[i].doff,
				 g[i].len);
	}
	assert_int_equal(famfs_fmap_resolve(m, 0x701000, &dev, &doff, &len),
			 -EINVAL);
	free(m);
}

/* What the allocator made for 4 strips over 4 devices resolves to them. */
static void test_golden_allocated(void **state)
{
	const struct famfs_fmap *m;
	uint32_t dev;
	uint64_t doff, len;

	(void)state;
	make_fs(256 * UNIT_MiB, 3, 128 * UNIT_MiB);
	m = mkfile("f", 10 * UNIT_MiB, 4, 2 * UNIT_MiB);
	/* 5 chunks: 2 per strip; strip k on device k */
	for (uint64_t c = 0; c < 5; c++) {
		assert_int_equal(famfs_fmap_resolve(m, c * 2 * UNIT_MiB + 5,
						    &dev, &doff, &len), 0);
		assert_int_equal(dev, c % 4);
		assert_int_equal(doff, m->ext[c % 4].offset +
					(c / 4) * 2 * UNIT_MiB + 5);
		assert_int_equal(len, 2 * UNIT_MiB - 5);
	}
	assert_int_equal(m->ext[0].offset, 10 * UNIT_MiB);	/* primary data */
	assert_int_equal(m->ext[1].offset, 2 * UNIT_MiB);	/* secondary data */
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_secondary_superblock),
		T(test_add_refusals),
		T(test_add_orphan),
		T(test_devtab_rules),
		T(test_contiguous_policy),
		T(test_interleave_policy),
		T(test_interleave_full_device),
		T(test_resolve),
		T(test_mixed_access),
		T(test_resolve_image_dir),
		T(test_resolve_mismatch),
		T(test_fsck_devices),
		T(test_golden_three_devices),
		T(test_golden_allocated),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
