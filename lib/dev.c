// SPDX-License-Identifier: Apache-2.0
/*
 * Memory devices: open, size, map, and keep CPU caches honest.
 *
 * A device is an image file, a /dev/pmemN fs-dax block device or a
 * /dev/daxN.M device-dax character device.  It is accessed through a
 * shared mapping of the whole device, except a device-dax device bound to
 * fsdev_dax (famfs mode), which has no mmap: pread/pwrite behind a private
 * copy at dev->base (see dev_maps below).  Hosts that share memory may not be
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
#include "famfs_daxmode.h"
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
 * Two kinds of device are not reached through a direct mapping of the
 * memory; their mappings are registered here, and flush/invalidate on them
 * do more than the CPU cache instructions:
 *
 * - A pmem block device: mmap() of /dev/pmemN goes through the block
 *   device's page cache, which another host's stores never reach.  Flush
 *   and invalidate also write the pages back (msync) and drop them from
 *   the page cache, so the next load faults the page in from the memory.
 * - A device-dax device bound to fsdev_dax (famfs mode): the kernel keeps
 *   it for fs-dax and its char device has no mmap, only pread, pwrite and
 *   fsync (writes reach memory, reads invalidate the CPU cache first).
 *   base is then a private anonymous copy standing where the mapping
 *   would, and "clean" a second one holding each line as it was last read
 *   from or written to the device.  Flush writes back the lines whose copy
 *   differs from clean (the dirty lines, as a CPU cache does); invalidate
 *   does the same and then reloads the range from the device.  Callers
 *   keep the one contract: store, flush; invalidate, load.
 */
#define MAX_DEV_MAPS ((int)FAMFS_MAX_DEVICES + 8)	/* every device of a fs, and probes */
#define RW_CHUNK ((size_t)1 << 20)	/* reload bounce buffer */

static struct dev_map {
	uint8_t *base;
	uint8_t *clean;			/* rwio: last known device bytes */
	uint64_t size;
	int fd;
	int err;			/* rwio: first I/O error, for sync */
} dev_maps[MAX_DEV_MAPS];
static pthread_mutex_t map_lock = PTHREAD_MUTEX_INITIALIZER;
static int ndev_maps;			/* read without the lock: a hint */

static void map_register(struct famfs_dev *dev, uint8_t *clean, int add)
{
	pthread_mutex_lock(&map_lock);
	for (int i = 0; i < MAX_DEV_MAPS; i++) {
		if (add && !dev_maps[i].base) {
			dev_maps[i] = (struct dev_map){ dev->base, clean,
							dev->size, dev->fd, 0 };
			__atomic_add_fetch(&ndev_maps, 1, __ATOMIC_RELAXED);
			break;
		}
		if (!add && dev_maps[i].base == dev->base) {
			dev_maps[i].base = NULL;
			__atomic_sub_fetch(&ndev_maps, 1, __ATOMIC_RELAXED);
			break;
		}
	}
	pthread_mutex_unlock(&map_lock);
}

/*
 * The registered map holding [addr, addr+len), locked (the caller
 * unlocks map_lock), or NULL.  *off: addr's offset in the device.
 */
static struct dev_map *map_find(const void *addr, size_t len, uint64_t *off)
{
	uintptr_t a = (uintptr_t)addr;

	if (!__atomic_load_n(&ndev_maps, __ATOMIC_RELAXED) || !len)
		return NULL;
	pthread_mutex_lock(&map_lock);
	for (int i = 0; i < MAX_DEV_MAPS; i++) {
		struct dev_map *m = &dev_maps[i];

		if (!m->base || a < (uintptr_t)m->base ||
		    a + len > (uintptr_t)m->base + m->size)
			continue;
		*off = a - (uintptr_t)m->base;
		return m;
	}
	pthread_mutex_unlock(&map_lock);
	return NULL;
}

/* pmem: write back, or write back and drop, the pages of the range. */
static void bdev_sync(struct dev_map *m, uint64_t off, size_t len, int drop)
{
	uint64_t a = off & ~(uint64_t)4095;
	uint64_t e = (off + len + 4095) & ~(uint64_t)4095;

	if (e > m->size)
		e = m->size;
	msync(m->base + a, e - a, MS_SYNC);	/* our own stores first */
	if (!drop)
		return;
	madvise(m->base + a, e - a, MADV_DONTNEED);
	posix_fadvise(m->fd, (off_t)a, (off_t)(e - a), POSIX_FADV_DONTNEED);
}

/* All of @len bytes at device offset @off, read or written. */
static int rw_all(int fd, uint8_t *buf, size_t len, uint64_t off, int wr)
{
	while (len) {
		ssize_t n = wr ? pwrite(fd, buf, len, (off_t)off) :
				 pread(fd, buf, len, (off_t)off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		buf += n;
		len -= (size_t)n;
		off += (uint64_t)n;
	}
	return 0;
}

static int line_dirty(const struct dev_map *m, uint64_t o, uint64_t e)
{
	size_t n = e - o < CACHELINE ? (size_t)(e - o) : CACHELINE;

	return memcmp(m->base + o, m->clean + o, n) != 0;
}

/* rwio: write back the dirty lines of [o, e), in runs. */
static void rw_writeback(struct dev_map *m, uint64_t o, uint64_t e)
{
	while (o < e) {
		uint64_t s;
		int rc;

		while (o < e && !line_dirty(m, o, e))
			o += CACHELINE;
		for (s = o; o < e && line_dirty(m, o, e); o += CACHELINE)
			;
		if (o > e)
			o = e;
		if (o == s)
			continue;
		rc = rw_all(m->fd, m->base + s, (size_t)(o - s), s, 1);
		if (rc && !m->err)
			m->err = rc;
		if (!rc)
			memcpy(m->clean + s, m->base + s, (size_t)(o - s));
	}
}

/*
 * rwio: reload [o, e) from the device.  A line stored to meanwhile (the
 * copy differs from clean again) keeps the newer bytes, as a CPU's would.
 */
static void rw_reload(struct dev_map *m, uint64_t o, uint64_t e)
{
	size_t room = e - o < RW_CHUNK ? (size_t)(e - o) : RW_CHUNK;
	uint8_t *buf = malloc(room);

	if (!buf) {
		m->err = m->err ? m->err : -ENOMEM;
		return;
	}
	while (o < e) {
		size_t n = e - o < room ? (size_t)(e - o) : room;
		int rc = rw_all(m->fd, buf, n, o, 0);

		if (rc) {
			m->err = m->err ? m->err : rc;
			break;
		}
		for (size_t i = 0; i < n; i += CACHELINE) {
			size_t l = n - i < CACHELINE ? n - i : CACHELINE;

			if (memcmp(m->base + o + i, m->clean + o + i, l))
				continue;
			memcpy(m->base + o + i, buf + i, l);
			memcpy(m->clean + o + i, buf + i, l);
		}
		o += n;
	}
	free(buf);
}

/* rwio: the lines of [off, off+len), write back and maybe reload. */
static void rw_sync(struct dev_map *m, uint64_t off, size_t len, int reload)
{
	uint64_t o = off & ~(uint64_t)(CACHELINE - 1);
	uint64_t e = (off + len + CACHELINE - 1) & ~(uint64_t)(CACHELINE - 1);

	if (e > m->size)
		e = m->size;
	rw_writeback(m, o, e);
	if (reload)
		rw_reload(m, o, e);
}

/*
 * The registered map of [addr, addr+len), if any: rwio maps come back
 * locked (1: the caller syncs, then unlocks map_lock); a pmem map is
 * copied to @pm and unlocked (0), so its msync runs unlocked.  -1: none.
 */
static int map_get(const void *addr, size_t len, struct dev_map **m,
		   struct dev_map *pm, uint64_t *off)
{
	*m = map_find(addr, len, off);
	if (!*m)
		return -1;
	if ((*m)->clean)
		return 1;
	*pm = **m;
	pthread_mutex_unlock(&map_lock);
	*m = pm;
	return 0;
}

/* Write back [addr, addr+len) to memory; the caller then publishes. */
void famfs_flush(const void *addr, size_t len)
{
	struct dev_map *m, pm;
	uint64_t off;
	int kind;

	if (famfs_inco_flush(addr, len))	/* test build: the model */
		return;
	kind = map_get(addr, len, &m, &pm, &off);
	if (kind == 1) {
		rw_sync(m, off, len, 0);
		pthread_mutex_unlock(&map_lock);
		return;
	}
	flush_lines(addr, len, 1);
	if (kind == 0)
		bdev_sync(m, off, len, 0);
}

/* Drop cached copies so the next load sees another host's stores. */
void famfs_invalidate(const void *addr, size_t len)
{
	struct dev_map *m, pm;
	uint64_t off;
	int kind;

	if (famfs_inco_invalidate(addr, len))	/* test build: the model */
		return;
	kind = map_get(addr, len, &m, &pm, &off);
	if (kind == 1) {
		rw_sync(m, off, len, 1);
		pthread_mutex_unlock(&map_lock);
		return;
	}
	if (kind == 0)
		bdev_sync(m, off, len, 1);
	flush_lines(addr, len, 0);
}

/* The first I/O error of an rwio device since it was opened, or 0. */
static int map_error(const struct famfs_dev *dev)
{
	int err = 0;

	pthread_mutex_lock(&map_lock);
	for (int i = 0; i < MAX_DEV_MAPS; i++)
		if (dev_maps[i].base == dev->base)
			err = dev_maps[i].err;
	pthread_mutex_unlock(&map_lock);
	return err;
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

/* How the device is reached, for messages and famfs status. */
const char *famfs_dev_access_name(const struct famfs_dev *dev)
{
	if (dev->rwio)
		return "pread/pwrite (fsdev_dax)";
	if (dev->kind == FAMFS_DEV_DAX)
		return "mmap (device_dax)";
	return dev->kind == FAMFS_DEV_PMEM ? "mmap (page cache)" : "mmap";
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

/*
 * A device-dax device: its size, and how it is reached (dev->rwio when it
 * is bound to fsdev_dax).  kmem mode, no driver and an align below 2 MiB
 * are refused (famfs_dax_usable).
 */
static int dax_probe(struct famfs_dev *dev, dev_t rdev, struct famfs_why *why)
{
	char name[FAMFS_DAX_NAME_LEN];
	struct famfs_dax_info info;
	int rc;

	rc = famfs_dax_name(FAMFS_SYSFS, major(rdev), minor(rdev), name,
			    sizeof(name), why);
	if (!rc)
		rc = famfs_dax_info(FAMFS_SYSFS, name, &info, why);
	if (!rc)
		rc = famfs_dax_usable(&info, why);
	if (rc)
		return rc;
	dev->size = info.size;
	dev->rwio = info.mode == FAMFS_DAX_FSDEV;
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
		return dax_probe(dev, st->st_rdev, why);
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

/* The shared mapping of an image file, pmem or device_dax device. */
static int dev_map(struct famfs_dev *dev, int rw, struct famfs_why *why)
{
	void *p = mmap(NULL, dev->size, PROT_READ | (rw ? PROT_WRITE : 0),
		       MAP_SHARED, dev->fd, 0);
	int rc;

	if (p == MAP_FAILED) {
		famfs_why_set(why, "cannot map %" PRIu64 " bytes: %s",
			      dev->size, strerror(errno));
		return -errno;
	}
	dev->base = p;
	rc = famfs_inco_attach(dev);	/* test build: a private view */
	if (rc) {
		famfs_why_set(why, "cannot make a private view: %s",
			      strerror(-rc));
		return rc;
	}
	if (dev->kind == FAMFS_DEV_PMEM)
		map_register(dev, NULL, 1);
	return 0;
}

/* fsdev_dax: the private copy and its clean twin (see dev_map above). */
static int rwio_map(struct famfs_dev *dev, struct famfs_why *why)
{
	const int prot = PROT_READ | PROT_WRITE;
	const int fl = MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE;
	void *p = mmap(NULL, 2 * dev->size, prot, fl, -1, 0);

	if (p == MAP_FAILED) {
		famfs_why_set(why, "cannot reserve 2 x %" PRIu64 " bytes for the copy of this fsdev_dax device: %s",
			      dev->size, strerror(errno));
		return -errno;
	}
	dev->base = p;
	map_register(dev, dev->base + dev->size, 1);
	return 0;
}

int famfs_dev_open(struct famfs_dev *dev, const char *path, int flags,
		   struct famfs_why *why)
{
	int rw = flags & FAMFS_DEV_RDWR;
	struct stat st;
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
	rc = dev->rwio ? rwio_map(dev, why) : dev_map(dev, rw, why);
	if (rc)
		goto fail;
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
	if (dev->base && (dev->kind == FAMFS_DEV_PMEM || dev->rwio))
		map_register(dev, NULL, 0);
	famfs_inco_detach(dev);
	if (dev->base)
		munmap(dev->base, dev->rwio ? 2 * dev->size : dev->size);
	if (dev->fd >= 0)
		close(dev->fd);
	dev->base = NULL;
	dev->fd = -1;
	dev->open = 0;
}

/* Make an image file's contents durable (metadata writes use famfs_flush). */
int famfs_dev_sync(struct famfs_dev *dev)
{
	if (dev->rwio && dev->fd >= 0 && (dev->flags & FAMFS_DEV_RDWR)) {
		int err = map_error(dev);

		if (!err && fsync(dev->fd))
			err = -errno;
		return err;
	}
	if (dev->kind != FAMFS_DEV_FILE || !(dev->flags & FAMFS_DEV_RDWR) ||
	    dev->fd < 0)
		return 0;
	if (fsync(dev->fd))
		return -errno;
	return 0;
}
