// SPDX-License-Identifier: Apache-2.0
/*
 * kdefect: the system calls the kernel-defect scenario (kdefects.sh) needs
 * and busybox cannot make.  Built static with musl by mkinitramfs.sh.
 *
 *   kdefect open FILE r|w|rw|trunc
 *	open(2) FILE read-only, write-only, read-write, or read-write with
 *	O_TRUNC, close it, print "open=ok" or "open=ERRNO".  Exit 0 if the
 *	open worked, 1 if not.
 *
 *   kdefect touch FILE
 *	Map all of FILE shared and store one byte into every page (what
 *	makes fs/dax.c associate each page with the file's mapping), then
 *	print "touched=PAGES".  Exit 0 unless something failed.
 *
 *   kdefect poison FILE OFFSET
 *	In a child: map FILE shared, read the page at OFFSET, and
 *	madvise(MADV_HWPOISON) it (a software memory failure of that page).
 *	Print "poison=killed signal=N" if the child died of a signal (the
 *	kernel kills what maps a failed page), "poison=survived" if it
 *	returned, or "poison=ERRNO" if madvise() refused.  Exit 0 when the
 *	child was killed by SIGBUS.
 *
 *   kdefect write-later UID FILE GO
 *	Become UID (gid UID, no groups), open FILE write-only and write one
 *	byte at offset 0, wait until the file GO exists (the caller changes
 *	FILE meanwhile), write again on the same descriptor, print
 *	"wrote=2".  Exit 0 if both writes worked.
 *
 *   kdefect statx-loop FILE STOP
 *	statx(2) FILE with AT_STATX_FORCE_SYNC (a GETATTR upcall every time)
 *	until the file STOP exists; print "statx=CALLS size=LAST" (the size
 *	the last call returned).  Exit 0 unless a call failed.
 *
 *   kdefect addpart DEV N START LEN
 *   kdefect delpart DEV N
 *	Add partition N of DEV at byte START, LEN bytes long, or delete it
 *	(BLKPG: no partition table is written).  Exit 0 if it worked.
 *
 * Exit 2: usage or system error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <grp.h>
#include <time.h>
#include <unistd.h>

#ifndef MADV_HWPOISON
#define MADV_HWPOISON 100
#endif

#define PAGE 4096

/* The BLKPG ioctl (linux/blkpg.h; musl ships no kernel headers) */
#define BLKPG			_IO(0x12, 105)
#define BLKPG_ADD_PARTITION	1
#define BLKPG_DEL_PARTITION	2
struct blkpg_ioctl_arg {
	int op;
	int flags;
	int datalen;
	void *data;
};
struct blkpg_partition {
	long long start;	/* bytes */
	long long length;	/* bytes */
	int pno;
	char devname[64];
	char volname[64];
};

static int usage(void)
{
	fprintf(stderr, "usage: kdefect open FILE r|w|rw|trunc\n"
			"       kdefect touch FILE\n"
			"       kdefect poison FILE OFFSET\n"
			"       kdefect write-later UID FILE GO\n"
			"       kdefect addpart DEV N START LEN\n"
			"       kdefect delpart DEV N\n");
	return 2;
}

static const char *errname(int e)
{
	static char buf[32];

	switch (e) {
	case EPERM: return "EPERM";
	case EACCES: return "EACCES";
	case EIO: return "EIO";
	case EROFS: return "EROFS";
	case EBUSY: return "EBUSY";
	case EINVAL: return "EINVAL";
	case ENXIO: return "ENXIO";
	case EHWPOISON: return "EHWPOISON";
	}
	snprintf(buf, sizeof(buf), "errno%d", e);
	return buf;
}

static int cmd_open(const char *file, const char *how)
{
	int flags, fd;

	if (!strcmp(how, "r"))
		flags = O_RDONLY;
	else if (!strcmp(how, "w"))
		flags = O_WRONLY;
	else if (!strcmp(how, "rw"))
		flags = O_RDWR;
	else if (!strcmp(how, "trunc"))
		flags = O_RDWR | O_TRUNC;
	else
		return usage();
	fd = open(file, flags);
	if (fd < 0) {
		printf("open=%s\n", errname(errno));
		return 1;
	}
	close(fd);
	printf("open=ok\n");
	return 0;
}

/* Map all of @file shared, read-write; NULL after a message */
static volatile uint8_t *map_all(const char *file, size_t *len)
{
	struct stat st;
	void *p;
	int fd;

	fd = open(file, O_RDWR);
	if (fd < 0 || fstat(fd, &st)) {
		fprintf(stderr, "kdefect: %s: %s\n", file, strerror(errno));
		return NULL;
	}
	*len = (size_t)st.st_size;
	p = mmap(NULL, *len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (p == MAP_FAILED) {
		fprintf(stderr, "kdefect: mmap %s: %s\n", file, strerror(errno));
		return NULL;
	}
	return p;
}

static int cmd_touch(const char *file)
{
	volatile uint8_t *p;
	size_t len, i;

	p = map_all(file, &len);
	if (!p)
		return 2;
	for (i = 0; i < len; i += PAGE)
		p[i] = p[i];
	munmap((void *)p, len);
	printf("touched=%zu\n", len / PAGE);
	return 0;
}

static int poison_child(const char *file, size_t off)
{
	volatile uint8_t *p;
	size_t len;

	p = map_all(file, &len);
	if (!p)
		_exit(2);
	if (off >= len) {
		fprintf(stderr, "kdefect: offset %zu is past the end of %s\n",
			off, file);
		_exit(2);
	}
	(void)p[off];
	if (madvise((void *)(p + off), PAGE, MADV_HWPOISON)) {
		printf("poison=%s\n", errname(errno));
		_exit(3);
	}
	/* the page is gone from the mapping: this must not read it */
	(void)p[off];
	printf("poison=survived\n");
	_exit(1);
}

static int cmd_poison(const char *file, const char *offset)
{
	size_t off = (size_t)strtoull(offset, NULL, 0) & ~(size_t)(PAGE - 1);
	pid_t pid;
	int st;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return 2;
	if (!pid)
		poison_child(file, off);
	if (waitpid(pid, &st, 0) != pid)
		return 2;
	if (WIFSIGNALED(st)) {
		printf("poison=killed signal=%d\n", WTERMSIG(st));
		return WTERMSIG(st) == SIGBUS ? 0 : 1;
	}
	return 1;
}

static int cmd_write_later(const char *uid, const char *file, const char *go)
{
	unsigned int id = (unsigned int)strtoul(uid, NULL, 10);
	struct timespec ts = { 0, 20 * 1000 * 1000 };
	int fd, i;

	if (setgroups(0, NULL) || setgid(id) || setuid(id)) {
		perror("kdefect: cannot change identity");
		return 2;
	}
	fd = open(file, O_WRONLY);
	if (fd < 0 || pwrite(fd, "1", 1, 0) != 1) {
		perror(file);
		return 1;
	}
	for (i = 0; access(go, F_OK); i++) {
		if (i == 3000) {
			fprintf(stderr, "kdefect: %s never appeared\n", go);
			return 2;
		}
		nanosleep(&ts, NULL);
	}
	if (pwrite(fd, "2", 1, 0) != 1) {
		perror(file);
		return 1;
	}
	close(fd);
	printf("wrote=2\n");
	return 0;
}

#ifndef AT_STATX_FORCE_SYNC
#define AT_STATX_FORCE_SYNC	0x2000
#endif
#define X_STATX_SIZE		0x200U	/* STATX_SIZE */
#define X_STATX_SIZE_OFF	40	/* offsetof(struct statx, stx_size) */

static int cmd_statx_loop(const char *file, const char *stop)
{
	unsigned char buf[256];
	unsigned long calls = 0;
	uint64_t size = 0;

	while (access(stop, F_OK)) {
		if (syscall(SYS_statx, AT_FDCWD, file, AT_STATX_FORCE_SYNC,
			    X_STATX_SIZE, buf)) {
			fprintf(stderr, "kdefect: statx %s: %s\n", file,
				strerror(errno));
			return 1;
		}
		memcpy(&size, buf + X_STATX_SIZE_OFF, sizeof(size));
		calls++;
	}
	printf("statx=%lu size=%llu\n", calls, (unsigned long long)size);
	return 0;
}

static int cmd_part(const char *dev, int op, char **a)
{
	struct blkpg_partition part = { .pno = atoi(a[0]) };
	struct blkpg_ioctl_arg arg = {
		.op = op, .datalen = sizeof(part), .data = &part,
	};
	int fd, rc;

	if (op == BLKPG_ADD_PARTITION) {
		part.start = strtoll(a[1], NULL, 0);
		part.length = strtoll(a[2], NULL, 0);
	}
	fd = open(dev, O_RDONLY);
	if (fd < 0) {
		perror(dev);
		return 2;
	}
	rc = ioctl(fd, BLKPG, &arg);
	if (rc)
		fprintf(stderr, "kdefect: BLKPG on %s: %s\n", dev, strerror(errno));
	close(fd);
	return rc ? 1 : 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 4 && !strcmp(argv[1], "open"))
		return cmd_open(argv[2], argv[3]);
	if (argc == 3 && !strcmp(argv[1], "touch"))
		return cmd_touch(argv[2]);
	if (argc == 5 && !strcmp(argv[1], "write-later"))
		return cmd_write_later(argv[2], argv[3], argv[4]);
	if (argc == 4 && !strcmp(argv[1], "statx-loop"))
		return cmd_statx_loop(argv[2], argv[3]);
	if (argc == 6 && !strcmp(argv[1], "addpart"))
		return cmd_part(argv[2], BLKPG_ADD_PARTITION, argv + 3);
	if (argc == 4 && !strcmp(argv[1], "delpart"))
		return cmd_part(argv[2], BLKPG_DEL_PARTITION, argv + 3);
	if (argc == 4 && !strcmp(argv[1], "poison"))
		return cmd_poison(argv[2], argv[3]);
	return usage();
}
