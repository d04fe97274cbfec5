// SPDX-License-Identifier: GPL-2.0
/*
 * famfs_kcheck FILE: kernel-side checks of one famfs file on a kernel with
 * the kernel/patches series, run as root inside the guest (kernel/smoke).
 * FILE must be a famfs file of at least 4 MiB whose size is a multiple of
 * 2 MiB, with 2 MiB aligned extents; its content is preserved.
 * Prints "ok - what" or "not ok - what" per check; exits 1 if any failed.
 *
 * famfs_kcheck -x CMD [ARG...]: run CMD without CAP_SYS_RAWIO (dropped
 * from every capability set), to check that such a server is not offered
 * FUSE_DAX_FMAP.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <linux/capability.h>
#include <unistd.h>

#ifndef STATX_ATTR_DAX
#define STATX_ATTR_DAX 0x00200000
#endif

static int failed;

static void check(int cond, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	printf("%s - ", cond ? "ok" : "not ok");
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
	if (!cond)
		failed = 1;
}

static sigjmp_buf jb;

static void on_sigbus(int sig)
{
	(void)sig;
	siglongjmp(jb, 1);
}

/* Rss and VmFlags of the smaps entry that starts at @addr */
static void smaps_of(void *addr, long *rss_kb, char *flags, size_t room)
{
	char line[512];
	unsigned long lo, hi;
	int in = 0;
	FILE *f = fopen("/proc/self/smaps", "r");

	*rss_kb = -1;
	flags[0] = 0;
	while (f && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2) {
			in = lo == (unsigned long)addr;
			continue;
		}
		if (in && !strncmp(line, "Rss:", 4))
			*rss_kb = strtol(line + 4, NULL, 10);
		if (in && !strncmp(line, "VmFlags:", 8))
			snprintf(flags, room, "%.200s", line + 8);
	}
	if (f)
		fclose(f);
}

/* Is physical address @pa inside a "Persistent Memory" range? */
static int in_pmem(uint64_t pa)
{
	char line[256];
	uint64_t lo, hi;
	int ok = 0;
	FILE *f = fopen("/proc/iomem", "r");

	while (f && fgets(line, sizeof(line), f))
		if (strstr(line, "Persistent Memory") &&
		    sscanf(line, " %" SCNx64 "-%" SCNx64, &lo, &hi) == 2 &&
		    pa >= lo && pa <= hi)
			ok = 1;
	if (f)
		fclose(f);
	return ok;
}

static uint64_t pfn_of(void *addr)
{
	uint64_t ent = 0;
	int fd = open("/proc/self/pagemap", O_RDONLY);

	if (fd < 0)
		return 0;
	if (pread(fd, &ent, 8, (off_t)((uintptr_t)addr / 4096) * 8) != 8)
		ent = 0;
	close(fd);
	return ent & ((1ULL << 55) - 1);
}

/* exec @argv without CAP_SYS_RAWIO in any set (bounding set included) */
static int exec_without_rawio(char **argv)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2];

	if (prctl(PR_CAPBSET_DROP, CAP_SYS_RAWIO, 0, 0, 0) ||
	    syscall(SYS_capget, &hdr, data))
		return perror("drop CAP_SYS_RAWIO"), 1;
	data[0].effective &= ~(1u << CAP_SYS_RAWIO);
	data[0].permitted &= ~(1u << CAP_SYS_RAWIO);
	data[0].inheritable &= ~(1u << CAP_SYS_RAWIO);
	if (syscall(SYS_capset, &hdr, data))
		return perror("capset"), 1;
	execvp(argv[0], argv);
	perror(argv[0]);
	return 127;
}

/* Touch (store into) every page of a fresh shared mapping of @fd */
static void check_faults(int fd, off_t size, long pg)
{
	struct rusage r0, r1;
	long minflt, majflt, pmds = size >> 21;
	char *map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);

	if (map == MAP_FAILED) {
		check(0, "mmap for fault counting");
		return;
	}
	getrusage(RUSAGE_SELF, &r0);
	for (off_t o = 0; o < size; o += pg)
		((volatile char *)map)[o] = map[o] + 1;
	for (off_t o = 0; o < size; o += pg)
		((volatile char *)map)[o] = map[o] - 1;
	getrusage(RUSAGE_SELF, &r1);
	minflt = r1.ru_minflt - r0.ru_minflt;
	majflt = r1.ru_majflt - r0.ru_majflt;
	check(majflt == 0, "write faults are not counted as major (%ld)",
	      majflt);
	/* a read fault, then a write fault, per PMD; PTEs would need 2/page */
	check(minflt <= 2 * pmds + 4, "PMD faults: %ld faults for %ld pages",
	      minflt, (long)(size / pg));
	munmap(map, size);
}

int main(int argc, char **argv)
{
	const char *path = argv[1];
	struct statx stx;
	char *save, *buf, *map, flags[256];
	long pg = sysconf(_SC_PAGESIZE), rss;
	off_t size;
	ssize_t n;
	int fd, fd2, rc, e;
	void *dbuf;

	if (argc >= 3 && !strcmp(argv[1], "-x"))
		return exec_without_rawio(argv + 2);
	if (argc != 2) {
		fprintf(stderr, "usage: %s FILE | -x CMD [ARG...]\n", argv[0]);
		return 2;
	}
	fd = open(path, O_RDWR);
	if (fd < 0) {
		perror(path);
		return 1;
	}
	size = lseek(fd, 0, SEEK_END);
	check(size >= 4 << 20 && size % pg == 0, "size %lld usable", (long long)size);
	check(lseek(fd, 0, SEEK_HOLE) == size, "SEEK_HOLE is EOF");

	check(!statx(fd, "", AT_EMPTY_PATH, STATX_BASIC_STATS, &stx) &&
	      (stx.stx_attributes & STATX_ATTR_DAX), "statx reports DAX");

	save = malloc(size);
	buf = malloc(size);
	n = pread(fd, save, size, 0);
	check(n == size, "read the whole file (%zd)", n);

	memset(buf, 0x5a, 3 * pg);
	check(pwrite(fd, buf, 3 * pg, pg / 2) == 3 * pg, "write inside the file");
	check(pread(fd, buf + 3 * pg, 3 * pg, pg / 2) == 3 * pg &&
	      !memcmp(buf, buf + 3 * pg, 3 * pg), "read back what was written");

	n = pwrite(fd, buf, 10, size);
	e = errno;
	check(n == -1 && e == ENOSPC, "write at EOF fails with ENOSPC (%zd, %s)",
	      n, strerror(e));
	check(pwrite(fd, buf, 100, size - 10) == 10, "write across EOF is short");
	check(fsync(fd) == 0, "fsync");

	rc = ftruncate(fd, size + pg);
	e = errno;
	check(rc == -1 && e == EPERM,
	      "truncate to another size fails with EPERM (%s)", strerror(e));
	rc = ftruncate(fd, size);
	e = errno;
	check(rc == 0, "truncate to the same size is a no-op (%s)",
	      rc ? strerror(e) : "0");
	rc = fallocate(fd, 0, 0, pg);
	e = errno;
	check(rc == -1 && e == EOPNOTSUPP,
	      "fallocate fails with EOPNOTSUPP (%s)", strerror(e));
	fd2 = open(path, O_RDWR | O_TRUNC);
	e = errno;
	check(fd2 < 0 && e == EPERM, "O_TRUNC open fails with EPERM (%s)",
	      strerror(e));
	if (fd2 >= 0)
		close(fd2);

	fd2 = open(path, O_RDWR | O_DIRECT);
	check(fd2 >= 0, "O_DIRECT open works");
	if (fd2 >= 0 && !posix_memalign(&dbuf, pg, pg)) {
		check(pread(fd2, dbuf, pg, pg) == pg &&
		      !memcmp((char *)dbuf + pg / 2, buf, pg / 2),
		      "O_DIRECT read");
		free(dbuf);
	}
	if (fd2 >= 0)
		close(fd2);

	map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	check(map != MAP_FAILED, "mmap MAP_SHARED");
	if (map != MAP_FAILED) {
		volatile char sum = 0;
		uint64_t pfn;

		for (off_t o = 0; o < size; o += pg)
			sum += map[o];
		(void)sum;
		map[7] = 0x11;
		check(pread(fd, buf, 8, 0) == 8 && buf[7] == 0x11,
		      "a store through mmap is seen by read");
		check(msync(map, size, MS_SYNC) == 0, "msync");
		smaps_of(map, &rss, flags, sizeof(flags));
		check(rss == 0, "smaps Rss of the fully touched mapping is 0 kB (%ld)",
		      rss);
		check(strstr(flags, " hg") != NULL, "VmFlags has hg (%s)", flags);
		pfn = pfn_of(map + pg);
		check(pfn && in_pmem(pfn * 4096),
		      "pagemap PFN 0x%" PRIx64 " is in persistent memory", pfn);
		check(((uintptr_t)map & ((2 << 20) - 1)) == 0,
		      "mapping is 2 MiB aligned");
		munmap(map, size);
	}

	check_faults(fd, size, pg);

	map = mmap(NULL, size + pg, PROT_READ, MAP_SHARED, fd, 0);
	if (map != MAP_FAILED) {
		volatile char c;

		signal(SIGBUS, on_sigbus);
		if (!sigsetjmp(jb, 1)) {
			c = map[size];
			(void)c;
			check(0, "access past EOF raises SIGBUS");
		} else {
			check(1, "access past EOF raises SIGBUS");
		}
		munmap(map, size + pg);
	}

	check(pwrite(fd, save, size, 0) == size, "content restored");
	close(fd);
	printf("%s\n", failed ? "KCHECK FAILED" : "KCHECK PASSED");
	return failed;
}
