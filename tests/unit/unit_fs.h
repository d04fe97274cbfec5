/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Shared helpers for the filesystem-level unit tests (test_fs, test_fsck):
 * sparse in-memory images (memfd), mkfs, open + replay, raw byte access and
 * hand-built log entries.  Nothing here touches a real filesystem path: an
 * image is opened by its "/proc/self/fd/N" name.
 *
 * Include after <cmocka.h>; every helper asserts on failure.
 */
#ifndef FAMFS_UNIT_FS_H
#define FAMFS_UNIT_FS_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <cmocka.h>

#include "famfs_fs.h"
#include "famfs_mkfs.h"

#define UNIT_KiB (1024ull)
#define UNIT_MiB (1024ull * 1024)
#define UNIT_GiB (1024ull * 1024 * 1024)

/* A sparse memory image. */
struct uimg {
	int fd;
	uint64_t size;
	char path[64];
	struct famfs_sb_info sb;	/* as written by uimg_mkfs() */
};

static inline void uimg_create(struct uimg *im, uint64_t size)
{
	memset(im, 0, sizeof(*im));
	im->fd = memfd_create("famfs-unit", MFD_CLOEXEC);
	assert_true(im->fd >= 0);
	assert_int_equal(ftruncate(im->fd, (off_t)size), 0);
	im->size = size;
	snprintf(im->path, sizeof(im->path), "/proc/self/fd/%d", im->fd);
}

static inline void uimg_destroy(struct uimg *im)
{
	if (im->fd >= 0)
		close(im->fd);
	im->fd = -1;
}

/* Format @im; 0 for log_len or alloc_unit means the default. */
static inline void uimg_mkfs(struct uimg *im, uint64_t log_len,
			     uint64_t alloc_unit)
{
	struct famfs_mkfs_opts o = {
		.log_len = log_len,
		.alloc_unit = alloc_unit,
		.master_uuid = { 0x5a, 1, 2, 3 },
		.mkfs_time = 1700000000,
	};
	struct famfs_why why = { "" };
	struct famfs_dev dev;

	assert_int_equal(famfs_dev_open(&dev, im->path,
					FAMFS_DEV_RDWR | FAMFS_DEV_EXCL,
					&why), 0);
	assert_int_equal(famfs_mkfs_plan(&dev, &o, &im->sb, &why), 0);
	assert_int_equal(famfs_mkfs_write(&dev, &im->sb, &why), 0);
	famfs_dev_close(&dev);
}

static inline void uimg_new(struct uimg *im, uint64_t size, uint64_t log_len,
			    uint64_t alloc_unit)
{
	uimg_create(im, size);
	uimg_mkfs(im, log_len, alloc_unit);
}

static inline void uimg_read(const struct uimg *im, uint64_t off, void *buf,
			     size_t len)
{
	assert_int_equal(pread(im->fd, buf, len, (off_t)off), (ssize_t)len);
}

static inline void uimg_write(const struct uimg *im, uint64_t off,
			      const void *buf, size_t len)
{
	assert_int_equal(pwrite(im->fd, buf, len, (off_t)off), (ssize_t)len);
}

static inline uint8_t uimg_byte(const struct uimg *im, uint64_t off)
{
	uint8_t b;

	uimg_read(im, off, &b, 1);
	return b;
}

/* Flip every bit of one byte. */
static inline void uimg_flip(const struct uimg *im, uint64_t off)
{
	uint8_t b = (uint8_t)~uimg_byte(im, off);

	uimg_write(im, off, &b, 1);
}

/* A private copy of the whole image, for byte-identity checks. */
static inline uint8_t *uimg_snapshot(const struct uimg *im)
{
	uint8_t *p = malloc(im->size);

	assert_non_null(p);
	uimg_read(im, 0, p, im->size);
	return p;
}

static inline int uimg_same(const struct uimg *im, const uint8_t *snap)
{
	uint8_t *now = uimg_snapshot(im);
	int same = !memcmp(now, snap, im->size);

	free(now);
	return same;
}

/* Open the filesystem on @im and replay it; returns the entries applied. */
static inline int ufs_open(struct famfs_fs *fs, const struct uimg *im,
			   int devflags)
{
	struct famfs_why why = { "" };
	struct famfs_scan res;
	int rc;

	rc = famfs_fs_open(fs, im->path, devflags, &why);
	if (rc)
		print_error("famfs_fs_open: %d %s\n", rc, why.msg);
	assert_int_equal(rc, 0);
	rc = famfs_fs_replay(fs, &res, &why);
	if (rc < 0)
		print_error("famfs_fs_replay: %d %s\n", rc, why.msg);
	assert_true(rc >= 0);
	return rc;
}

static inline void ufs_mkdir(struct famfs_fs *fs, const char *path)
{
	struct famfs_why why = { "" };
	int rc = famfs_fs_mkdir(fs, path, 0755, 0, 0, &why);

	if (rc)
		print_error("mkdir %s: %d %s\n", path, rc, why.msg);
	assert_int_equal(rc, 0);
}

static inline void ufs_mkfile(struct famfs_fs *fs, const char *path,
			      uint64_t size)
{
	struct famfs_why why = { "" };
	int rc = famfs_fs_mkfile(fs, path, size, 0644, 1000, 1000, &why);

	if (rc)
		print_error("mkfile %s: %d %s\n", path, rc, why.msg);
	assert_int_equal(rc, 0);
}

static inline struct famfs_node *ufs_lookup(const struct famfs_fs *fs,
					    const char *path)
{
	return famfs_ns_lookup(&fs->ns, path, strlen(path));
}

/* Log-relative offsets of the committed entries, by sequence number. */
struct uoffs {
	uint64_t off[4096];
	unsigned int n;
};

static inline int uoffs_cb(void *arg, const struct famfs_entry *e,
			   uint64_t off)
{
	struct uoffs *o = arg;

	assert_int_equal(e->seq, o->n);
	assert_true(o->n < sizeof(o->off) / sizeof(o->off[0]));
	o->off[o->n++] = off;
	return 0;
}

static inline void ufs_entry_offsets(struct famfs_fs *fs, struct uoffs *o)
{
	struct famfs_scan res;

	o->n = 0;
	assert_int_equal(famfs_log_read_tail(&fs->log, NULL), 0);
	assert_int_equal(famfs_log_scan(&fs->log, fs->log.info.entries_off, 0,
					fs->log.tail.next_off, uoffs_cb, o,
					&res), 0);
	assert_int_equal(res.err, 0);
	assert_int_equal(o->n, fs->log.tail.next_seq);
}

/* A FILE entry with one simple extent. */
static inline void uent_file(struct famfs_entry *e, const char *path,
			     uint64_t size, uint32_t dev, uint64_t offset,
			     uint64_t len)
{
	memset(e, 0, sizeof(*e));
	e->type = FAMFS_ENTRY_FILE;
	assert_int_equal(famfs_entry_set_path(e, path), 0);
	e->file.size = size;
	e->file.mode = 0644;
	e->file.ext_type = FAMFS_EXT_SIMPLE;
	e->file.nextents = 1;
	e->file.ext[0].dev = dev;
	e->file.ext[0].offset = offset;
	e->file.ext[0].len = len;
}

static inline void uent_dir(struct famfs_entry *e, const char *path)
{
	memset(e, 0, sizeof(*e));
	e->type = FAMFS_ENTRY_MKDIR;
	assert_int_equal(famfs_entry_set_path(e, path), 0);
	e->dir.mode = 0755;
}

/*
 * Append @e to the log of @im as is: no replay, no namespace or space
 * checks, so damaged entries can be planted after damaged ones.
 */
static inline void uimg_append(const struct uimg *im, struct famfs_entry *e)
{
	struct famfs_why why = { "" };
	struct famfs_fs *fs = calloc(1, sizeof(*fs));
	int rc;

	assert_non_null(fs);
	assert_int_equal(famfs_fs_open(fs, im->path, FAMFS_DEV_RDWR, &why), 0);
	assert_int_equal(famfs_log_read_tail(&fs->log, &why), 0);
	rc = famfs_log_append(&fs->log, e, &why);
	if (rc)
		print_error("append: %d %s\n", rc, why.msg);
	assert_int_equal(rc, 0);
	famfs_fs_close(fs);
	free(fs);
}

#endif /* FAMFS_UNIT_FS_H */
