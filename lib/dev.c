// SPDX-License-Identifier: Apache-2.0
/*
 * Memory devices: open, size, map, and keep CPU caches honest.
 *
 * A device is an image file, a /dev/pmemN fs-dax block device or a
 * /dev/daxN.M device-dax character device.  It is always accessed through a
 * shared mapping of the whole device.  Hosts that share memory may not be
 * cache-coherent with each other, so metadata writes are flushed out of the
 * CPU caches and metadata reads invalidate them first.
 */
#include <fcntl.h>
#include <pthread.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include <linux/fs.h>

#include "famfs.h"
#include "famfs_incoherent.h"

#define CACHELINE 64

#if defined(__x86_64__)
#include <cpuid.h>

enum { FLUSH_UNKNOWN, FLUSH_CLWB, FLUSH_CLFLUSHOPT, FLUSH_CLFLUSH };
static int flush_kind = FLUSH_UNKNOWN;

static int detect_flush(void)
{
	unsigned int a, b, c, d;

	if (__get_cpuid_count(7, 0, &a, &b, &c, &d)) {
		if (b & (1u << 24))
			return FLUSH_CLWB;
		if (b & (1u << 23))
			return FLUSH_CLFLUSHOPT;
	}
	return FLUSH_CLFLUSH;
}

static void flush_lines(const void *addr, size_t len, int writeback_only)
{
	uintptr_t p = (uintptr_t)addr & ~(uintptr_t)(CACHELINE - 1);
	uintptr_t end = (uintptr_t)addr + len;
	int kind;

	if (!len)
		return;
	kind = __atomic_load_n(&flush_kind, __ATOMIC_RELAXED);
	if (kind == FLUSH_UNKNOWN) {
		kind = detect_flush();
		__atomic_store_n(&flush_kind, kind, __ATOMIC_RELAXED);
	}
	if (!writeback_only && kind == FLUSH_CLWB)
		kind = FLUSH_CLFLUSHOPT;	/* clwb may keep the line */
	__asm__ volatile("mfence" ::: "memory");
	for (; p < end; p += CACHELINE) {
		if (kind == FLUSH_CLWB)
			__asm__ volatile(".byte 0x66; xsaveopt %0"
					 : "+m"(*(volatile char *)p));
		else if (kind == FLUSH_CLFLUSHOPT)
			__asm__ volatile(".byte 0x66; clflush %0"
					 : "+m"(*(volatile char *)p));
		else
			__asm__ volatile("clflush %0"
					 : "+m"(*(volatile char *)p));
	}
	__asm__ volatile("sfence" ::: "memory");
}
#else
static void flush_lines(const void *addr, size_t len, int writeback_only)
{
	(void)addr;
	(void)len;
	(void)writeback_only;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}
#endif

/*
 * A pmem block device has no direct mapping in userspace: mmap() of
 * /dev/pmemN goes through the block device's page cache, which another
 * host's stores never reach.  Mappings of block devices are registered
 * here, and flush/invalidate on them also write the pages back (msync) and
 * drop them from the page cache, so the next load faults the page in from
 * the memory itself.
 */
#define MAX_BDEV_MAPS ((int)FAMFS_MAX_DEVICES + 8)	/* every device of a fs, and probes */

static struct bdev_map {
	uint8_t *base;
	uint64_t size;
	int fd;
} bdev_maps[MAX_BDEV_MAPS];
static pthread_mutex_t bdev_lock = PTHREAD_MUTEX_INITIALIZER;
static int nbdev_maps;			/* read without the lock: a hint */

static void bdev_register(struct famfs_dev *dev, int add)
{
	pthread_mutex_lock(&bdev_lock);
	for (int i = 0; i < MAX_BDEV_MAPS; i++) {
		if (add && !bdev_maps[i].base) {
			bdev_maps[i] = (struct bdev_map){ dev->base, dev->size,
							  dev->fd };
			__atomic_add_fetch(&nbdev_maps, 1, __ATOMIC_RELAXED);
			break;
		}
		if (!add && bdev_maps[i].base == dev->base) {
			bdev_maps[i].base = NULL;
			__atomic_sub_fetch(&nbdev_maps, 1, __ATOMIC_RELAXED);
			break;
		}
	}
	pthread_mutex_unlock(&bdev_lock);
}

/* Page-aligned range of a registered block-device mapping, or -1. */
static int bdev_find(const void *addr, size_t len, uint8_t **pg, size_t *plen,
		     off_t *off)
{
	uintptr_t a = (uintptr_t)addr & ~(uintptr_t)4095;
	uintptr_t e = ((uintptr_t)addr + len + 4095) & ~(uintptr_t)4095;
	int fd = -1;

	if (!__atomic_load_n(&nbdev_maps, __ATOMIC_RELAXED) || !len)
		return -1;
	pthread_mutex_lock(&bdev_lock);
	for (int i = 0; i < MAX_BDEV_MAPS && fd < 0; i++) {
		struct bdev_map *m = &bdev_maps[i];

		if (!m->base || a < (uintptr_t)m->base ||
		    e > (uintptr_t)m->base + m->size)
			continue;
		fd = m->fd;
		*off = (off_t)(a - (uintptr_t)m->base);
	}
	pthread_mutex_unlock(&bdev_lock);
	*pg = (uint8_t *)a;
	*plen = e - a;
	return fd;
}

/* Write back [addr, addr+len) to memory; the caller then publishes. */
void famfs_flush(const void *addr, size_t len)
{
	uint8_t *pg;
	size_t plen;
	off_t off;

	if (famfs_inco_flush(addr, len))	/* test build: the model */
		return;
	flush_lines(addr, len, 1);
	if (bdev_find(addr, len, &pg, &plen, &off) >= 0)
		msync(pg, plen, MS_SYNC);
}

/* Drop cached copies so the next load sees another host's stores. */
void famfs_invalidate(const void *addr, size_t len)
{
	uint8_t *pg;
	size_t plen;
	off_t off;
	int fd;

	if (famfs_inco_invalidate(addr, len))	/* test build: the model */
		return;
	fd = bdev_find(addr, len, &pg, &plen, &off);
	if (fd >= 0) {
		/* our own stores first, then unmap and drop the pages */
		msync(pg, plen, MS_SYNC);
		madvise(pg, plen, MADV_DONTNEED);
		posix_fadvise(fd, off, (off_t)plen, POSIX_FADV_DONTNEED);
	}
	flush_lines(addr, len, 0);
}

/*
 * Whether stores of one host reach another without flush and invalidate:
 * only for an image file, whose mapping is the page cache of this machine
 * (never in the incoherent test build, where an image file stands for
 * shared memory).
 */
int famfs_dev_coherent(const struct famfs_dev *dev)
{
	return dev->kind == FAMFS_DEV_FILE && !famfs_inco_enabled();
}

const char *famfs_dev_kind_name(enum famfs_dev_kind kind)
{
	switch (kind) {
	case FAMFS_DEV_FILE:
		return "image file";
	case FAMFS_DEV_PMEM:
		return "pmem block device";
	case FAMFS_DEV_DAX:
		return "device-dax";
	}
	return "unknown";
}

static int dax_size(dev_t rdev, uint64_t *size)
{
	char path[64];
	unsigned long long v;
	FILE *f;
	int n;

	snprintf(path, sizeof(path), "/sys/dev/char/%u:%u/size",
		 major(rdev), minor(rdev));
	f = fopen(path, "re");
	if (!f)
		return -errno;
	n = fscanf(f, "%llu", &v);
	fclose(f);
	if (n != 1)
		return -EIO;
	*size = v;
	return 0;
}

static int dev_size(struct famfs_dev *dev, const struct stat *st,
		    struct famfs_why *why)
{
	int rc = 0;

	if (S_ISREG(st->st_mode)) {
		dev->kind = FAMFS_DEV_FILE;
		dev->size = (uint64_t)st->st_size;
	} else if (S_ISBLK(st->st_mode)) {
		dev->kind = FAMFS_DEV_PMEM;
		if (ioctl(dev->fd, BLKGETSIZE64, &dev->size))
			rc = -errno;
	} else if (S_ISCHR(st->st_mode)) {
		dev->kind = FAMFS_DEV_DAX;
		rc = dax_size(st->st_rdev, &dev->size);
	} else {
		famfs_why_set(why, "not a memory image, pmem or dax device");
		return -ENODEV;
	}
	if (rc) {
		famfs_why_set(why, "cannot read the size of this %s: %s",
			      famfs_dev_kind_name(dev->kind), strerror(-rc));
		return rc;
	}
	if (dev->size == 0) {
		famfs_why_set(why, "device is empty (0 bytes)");
		return -ENOSPC;
	}
	return 0;
}

static int dev_lock(struct famfs_dev *dev, int flags, struct famfs_why *why)
{
	int op = (flags & FAMFS_DEV_EXCL) ? LOCK_EX : LOCK_SH;

	if (flock(dev->fd, op | LOCK_NB) == 0)
		return 0;
	if (errno != EWOULDBLOCK) {
		famfs_why_set(why, "cannot lock the device: %s", strerror(errno));
		return -errno;
	}
	/* a server whose mount is gone lets go in a moment */
	if (!famfs_lock_wait_server(dev->fd, op, dev->path,
				    FAMFS_SERVER_EXIT_MS))
		return 0;
	famfs_why_set(why, "device is in use (mounted or being formatted or checked)");
	return -EBUSY;
}

int famfs_dev_open(struct famfs_dev *dev, const char *path, int flags,
		   struct famfs_why *why)
{
	int rw = flags & FAMFS_DEV_RDWR;
	struct stat st;
	void *p;
	int rc;

	memset(dev, 0, sizeof(*dev));
	dev->fd = -1;
	dev->open = 1;
	dev->flags = flags;
	if (strlen(path) >= sizeof(dev->path)) {
		famfs_why_set(why, "path too long");
		return -ENAMETOOLONG;
	}
	memcpy(dev->path, path, strlen(path) + 1);
	dev->fd = open(path, (rw ? O_RDWR : O_RDONLY) | O_CLOEXEC);
	if (dev->fd < 0 || fstat(dev->fd, &st)) {
		rc = -errno;
		famfs_why_set(why, "%s", strerror(errno));
		goto fail;
	}
	rc = dev_size(dev, &st, why);
	if (!rc)
		rc = dev_lock(dev, flags, why);
	if (rc)
		goto fail;
	p = mmap(NULL, dev->size, PROT_READ | (rw ? PROT_WRITE : 0),
		 MAP_SHARED, dev->fd, 0);
	if (p == MAP_FAILED) {
		rc = -errno;
		famfs_why_set(why, "cannot map %" PRIu64 " bytes: %s",
			      dev->size, strerror(errno));
		goto fail;
	}
	dev->base = p;
	rc = famfs_inco_attach(dev);	/* test build: a private view */
	if (rc) {
		famfs_why_set(why, "cannot make a private view: %s",
			      strerror(-rc));
		goto fail;
	}
	if (dev->kind == FAMFS_DEV_PMEM)
		bdev_register(dev, 1);
	return 0;
fail:
	famfs_dev_close(dev);
	return rc;
}

/* Trade an exclusive lock for a shared one (after formatting). */
int famfs_dev_share(struct famfs_dev *dev)
{
	if (flock(dev->fd, LOCK_SH | LOCK_NB))
		return -errno;
	dev->flags &= ~FAMFS_DEV_EXCL;
	return 0;
}

/*
 * A device that is a caller's memory: a copy of a device (a mount's .meta
 * files placed as on the device, an image read or built in memory).  It
 * has no fd and no lock; famfs_dev_close() leaves the memory to the caller
 * and famfs_dev_sync() has nothing to do.  Readers (replay, fsck) work on
 * it; appends need the log lock and refuse it.
 */
int famfs_dev_open_mem(struct famfs_dev *dev, uint8_t *base, uint64_t size,
		       const char *name, struct famfs_why *why)
{
	size_t n = strlen(name);

	memset(dev, 0, sizeof(*dev));
	dev->fd = -1;
	dev->kind = FAMFS_DEV_FILE;
	if (n >= sizeof(dev->path)) {
		famfs_why_set(why, "name too long");
		return -ENAMETOOLONG;
	}
	memcpy(dev->path, name, n + 1);
	if (!base || !size) {
		famfs_why_set(why, "device is empty (0 bytes)");
		return -ENOSPC;
	}
	dev->size = size;
	dev->base = base;
	return 0;
}

/* Unmap and close what famfs_dev_open() made; anything else is left. */
void famfs_dev_close(struct famfs_dev *dev)
{
	if (!dev->open)
		return;
	if (dev->base && dev->kind == FAMFS_DEV_PMEM)
		bdev_register(dev, 0);
	famfs_inco_detach(dev);
	if (dev->base)
		munmap(dev->base, dev->size);
	if (dev->fd >= 0)
		close(dev->fd);
	dev->base = NULL;
	dev->fd = -1;
	dev->open = 0;
}

/* Make an image file's contents durable (metadata writes use famfs_flush). */
int famfs_dev_sync(struct famfs_dev *dev)
{
	if (dev->kind != FAMFS_DEV_FILE || !(dev->flags & FAMFS_DEV_RDWR) ||
	    dev->fd < 0)
		return 0;
	if (fsync(dev->fd))
		return -errno;
	return 0;
}
