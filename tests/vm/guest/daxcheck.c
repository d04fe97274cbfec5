// SPDX-License-Identifier: Apache-2.0
/*
 * daxcheck: the DAX proofs of KERNEL.md section 5 that busybox cannot do,
 * for the QEMU tests (tests/vm).  Built static with musl by mkinitramfs.sh
 * and run inside the guest as root.
 *
 *   daxcheck statx FILE
 *	Open FILE, statx() the open fd and print "dax=0|1 attributes=0x...".
 *	Exit 0 if STATX_ATTR_DAX is set, 1 if not.
 *
 *   daxcheck mmap FILE
 *	Map all of FILE shared, read and write back one byte of every page,
 *	then print "pages=N rss_kb=N pmem_pages=N other_pages=N vmflags=...":
 *	the mapping's Rss from /proc/self/smaps (0 for DAX: its PTEs are not
 *	page-cache pages) and, from /proc/self/pagemap, how many of the
 *	touched pages sit in a "Persistent Memory" range of /proc/iomem (or
 *	in one whose line holds $DAXCHECK_IOMEM).  Exit 0 unless something
 *	failed.
 *
 *   daxcheck mmap-ro FILE
 *	The same with a read-only open and mapping, only reading one byte of
 *	every page (for a famfs client, whose files are read-only).
 *
 *   daxcheck survive FILE PID [DEV OFFSET]
 *	Map all of FILE shared and read it, kill -9 PID (the famfs server)
 *	and wait until it is gone, then read the mapping again (must equal
 *	the first read, no SIGBUS), store a marker in every page, msync
 *	(its result is printed, not judged: FUSE may send FSYNC to the dead
 *	server) and read the markers back.  With DEV and OFFSET (the file's single
 *	extent on DEV), also read DEV with O_DIRECT at OFFSET and check that
 *	the markers are on the device.  Exit 0 if all of it worked.
 *
 *   daxcheck mmap-dev DEV
 *	Open DEV (a device-dax character device) read-write and map its
 *	first 2 MiB shared; print "mmap=ok" or "mmap_errno=N (message)".
 *	Exit 0 if the mapping worked, 1 if mmap failed.
 *
 *   daxcheck write-as UID FILE
 *	Become UID (and gid UID, no groups), write one byte at offset 0 of
 *	FILE, print "wrote=1".  Exit 0 if the write worked.
 *
 * Exit 2: usage or system error.  Output: one line of key=value pairs,
 * errors on stderr.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <grp.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* musl 1.2.3 has no statx(): the syscall and its (stable) ABI struct. */
#define X_STATX_BASIC_STATS	0x7ffU
#define X_STATX_ATTR_DAX	0x00200000ULL
#define X_AT_EMPTY_PATH		0x1000

struct x_statx_timestamp {
	int64_t tv_sec;
	uint32_t tv_nsec;
	int32_t reserved;
};

struct x_statx {
	uint32_t stx_mask, stx_blksize;
	uint64_t stx_attributes;
	uint32_t stx_nlink, stx_uid, stx_gid;
	uint16_t stx_mode, spare0;
	uint64_t stx_ino, stx_size, stx_blocks, stx_attributes_mask;
	struct x_statx_timestamp stx_atime, stx_btime, stx_ctime, stx_mtime;
	uint32_t stx_rdev_major, stx_rdev_minor, stx_dev_major, stx_dev_minor;
	uint64_t spare[14];
};

#define PAGE		4096UL
#define MARK_MAGIC	0x5841445653555256ULL	/* "VRUSVDAX" */

static sigjmp_buf fault_jmp;
static volatile sig_atomic_t fault_sig;

static void on_fault(int sig)
{
	fault_sig = sig;
	siglongjmp(fault_jmp, 1);
}

static void catch_faults(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_fault;
	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGSEGV, &sa, NULL);
}

static int usage(void)
{
	fprintf(stderr, "usage: daxcheck statx FILE\n"
		"       daxcheck mmap FILE\n"
		"       daxcheck mmap-ro FILE\n"
		"       daxcheck survive FILE PID [DEV OFFSET]\n"
		"       daxcheck mmap-dev DEV\n"
		"       daxcheck write-as UID FILE\n");
	return 2;
}

static int fail(const char *what, const char *arg)
{
	fprintf(stderr, "daxcheck: %s%s%s: %s\n", what, arg ? " " : "",
		arg ? arg : "", strerror(errno));
	return 2;
}

static int do_statx(int fd, struct x_statx *st)
{
	memset(st, 0, sizeof(*st));
	return (int)syscall(SYS_statx, fd, "", X_AT_EMPTY_PATH,
			    X_STATX_BASIC_STATS, st);
}

static int cmd_statx(const char *file)
{
	struct x_statx st;
	int fd = open(file, O_RDONLY);

	if (fd < 0)
		return fail("open", file);
	if (do_statx(fd, &st))
		return fail("statx", file);
	close(fd);
	printf("dax=%d attributes=0x%" PRIx64 " attributes_mask=0x%" PRIx64 "\n",
	       !!(st.stx_attributes & X_STATX_ATTR_DAX), st.stx_attributes,
	       st.stx_attributes_mask);
	return (st.stx_attributes & X_STATX_ATTR_DAX) ? 0 : 1;
}

/* Map FILE whole and shared (read-only if @ro); its size in *len. */
static uint8_t *map_file(const char *file, int ro, int *fdp, size_t *len)
{
	struct stat st;
	void *p;
	int fd = open(file, ro ? O_RDONLY : O_RDWR);

	if (fd < 0 || fstat(fd, &st)) {
		fail("open", file);
		return NULL;
	}
	if (st.st_size <= 0 || st.st_size % PAGE) {
		fprintf(stderr, "daxcheck: %s: size %lld is not a positive "
			"multiple of 4096\n", file, (long long)st.st_size);
		close(fd);
		return NULL;
	}
	p = mmap(NULL, (size_t)st.st_size,
		 ro ? PROT_READ : PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		fail("mmap", file);
		close(fd);
		return NULL;
	}
	*fdp = fd;
	*len = (size_t)st.st_size;
	return p;
}

/* Rss (kB) and VmFlags of the VMA starting at addr, from smaps. */
static int smaps_of(const void *addr, long *rss_kb, char *flags, size_t flen)
{
	char line[512];
	unsigned long start = (unsigned long)addr, a;
	int in = 0, found = 0;
	FILE *f = fopen("/proc/self/smaps", "re");

	if (!f)
		return -1;
	*rss_kb = -1;
	snprintf(flags, flen, "?");
	while (fgets(line, sizeof(line), f)) {
		size_t n = strspn(line, "0123456789abcdef");

		if (n > 0 && line[n] == '-') {	/* "start-end perms ..." */
			a = strtoul(line, NULL, 16);
			in = (a == start);
			found |= in;
			continue;
		}
		if (!in)
			continue;
		if (!strncmp(line, "Rss:", 4))
			*rss_kb = strtol(line + 4, NULL, 10);
		else if (!strncmp(line, "VmFlags:", 8)) {
			char *s = line + 8;

			s += strspn(s, " \t");
			s[strcspn(s, "\n")] = 0;
			for (size_t n = strlen(s); n && s[n - 1] == ' ';)
				s[--n] = 0;
			snprintf(flags, flen, "%s", s);
			for (char *c = flags; *c; c++)
				if (*c == ' ')
					*c = ',';
		}
	}
	fclose(f);
	return found ? 0 : -1;
}

#define MAX_RANGES 16
static uint64_t pm_start[MAX_RANGES], pm_end[MAX_RANGES];
static int pm_n;

/* Is @line of /proc/iomem ("start-end : NAME") the range called @name? */
static int iomem_named(const char *line, const char *name)
{
	const char *n = strstr(line, " : ");
	size_t len = strlen(name);

	return n && !strncmp(n + 3, name, len) &&
	       (n[3 + len] == '\n' || n[3 + len] == '\0' ||
		!strcmp(name, "Persistent Memory"));
}

/*
 * The device memory ranges of /proc/iomem (top level or nested): those
 * named "Persistent Memory...", or the one named $DAXCHECK_IOMEM
 * (a CXL region's name, say).
 */
static void load_pmem_ranges(void)
{
	const char *want = getenv("DAXCHECK_IOMEM");
	char line[256];
	FILE *f = fopen("/proc/iomem", "re");

	if (!f)
		return;
	while (fgets(line, sizeof(line), f) && pm_n < MAX_RANGES) {
		unsigned long long a, b;

		if (!iomem_named(line, want && *want ? want : "Persistent Memory"))
			continue;
		if (sscanf(line, " %llx-%llx", &a, &b) == 2 && b > a) {
			pm_start[pm_n] = a;
			pm_end[pm_n] = b;
			pm_n++;
		}
	}
	fclose(f);
}

static int in_pmem(uint64_t phys)
{
	for (int i = 0; i < pm_n; i++)
		if (phys >= pm_start[i] && phys <= pm_end[i])
			return 1;
	return 0;
}

/*
 * Read one byte of every page and, unless @ro, write it back; a caught
 * signal or 0.
 */
static int touch(volatile uint8_t *p, size_t pages, int ro)
{
	catch_faults();
	if (sigsetjmp(fault_jmp, 1))
		return (int)fault_sig;
	for (size_t i = 0; i < pages; i++) {
		uint8_t v = p[i * PAGE];

		if (!ro)
			p[i * PAGE] = v;	/* a write fault, same bytes */
	}
	return 0;
}

static int cmd_mmap(const char *file, int ro)
{
	size_t len, pages, pmem = 0, other = 0, absent = 0;
	long rss = -1;
	char flags[256];
	volatile uint8_t *p;
	int fd, pfd;

	p = map_file(file, ro, &fd, &len);
	if (!p)
		return 2;
	pages = len / PAGE;
	if (touch(p, pages, ro)) {
		fprintf(stderr, "daxcheck: signal %d touching %s\n",
			(int)fault_sig, file);
		return 2;
	}
	if (smaps_of((const void *)p, &rss, flags, sizeof(flags)))
		fprintf(stderr, "daxcheck: mapping not found in smaps\n");
	load_pmem_ranges();
	pfd = open("/proc/self/pagemap", O_RDONLY);
	for (size_t i = 0; pfd >= 0 && i < pages; i++) {
		uint64_t e, vpn = ((uintptr_t)p + i * PAGE) / PAGE;

		if (pread(pfd, &e, sizeof(e), (off_t)(vpn * 8)) != sizeof(e))
			break;
		if (!(e & (1ULL << 63)) || !(e & ((1ULL << 55) - 1)))
			absent++;	/* not present, or PFN hidden */
		else if (in_pmem((e & ((1ULL << 55) - 1)) * PAGE))
			pmem++;
		else
			other++;
	}
	if (pfd >= 0)
		close(pfd);
	printf("pages=%zu rss_kb=%ld pmem_pages=%zu other_pages=%zu "
	       "unknown_pages=%zu pmem_ranges=%d vmflags=%s\n", pages, rss, pmem,
	       other, absent, pm_n, flags);
	munmap((void *)p, len);
	close(fd);
	return 0;
}

static uint64_t sum_of(const volatile uint8_t *p, size_t len)
{
	uint64_t h = 1469598103934665603ULL;

	for (size_t i = 0; i < len; i += 8) {
		h ^= *(const volatile uint64_t *)(p + i);
		h *= 1099511628211ULL;
	}
	return h;
}

/* Gone or a zombie (our reaper is the guest's /init, a shell). */
static int dead(pid_t pid)
{
	char path[64], buf[256], *s;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return 1;
	s = fgets(buf, sizeof(buf), f);
	fclose(f);
	if (!s || !(s = strrchr(buf, ')')))
		return 1;
	return s[1] == ' ' && (s[2] == 'Z' || s[2] == 'X');
}

static int check_dev(const char *dev, uint64_t off, size_t len)
{
	size_t pages = len / PAGE, bad = 0;
	size_t chunk = 1 << 20;
	uint8_t *buf;
	int fd = open(dev, O_RDONLY | O_DIRECT);

	if (fd < 0)
		return fail("open O_DIRECT", dev);
	if (posix_memalign((void **)&buf, PAGE, chunk))
		return fail("posix_memalign", NULL);
	for (size_t done = 0; done < len; done += chunk) {
		size_t n = len - done < chunk ? len - done : chunk;
		ssize_t r = pread(fd, buf, n, (off_t)(off + done));

		if (r != (ssize_t)n)
			return fail("pread O_DIRECT", dev);
		for (size_t i = 0; i < n / PAGE; i++) {
			uint64_t v, want = MARK_MAGIC ^ (done / PAGE + i);

			memcpy(&v, buf + i * PAGE, 8);
			bad += v != want;
		}
	}
	free(buf);
	close(fd);
	printf("device_pages=%zu device_bad=%zu ", pages, bad);
	return bad ? 1 : 0;
}

static const char *strerrorname(int e)
{
	static char buf[64];

	switch (e) {
	case ENOTCONN: return "ENOTCONN";
	case EIO: return "EIO";
	case EINVAL: return "EINVAL";
	case ENOSYS: return "ENOSYS";
	}
	snprintf(buf, sizeof(buf), "errno%d", e);
	return buf;
}

static int cmd_survive(int argc, char **argv)
{
	const char *file = argv[0];
	pid_t pid = (pid_t)atoi(argv[1]);
	volatile uint8_t *p;
	uint64_t before, after;
	size_t len, pages, bad = 0;
	int fd, rc = 0, msync_err;

	if (pid <= 1)
		return usage();
	p = map_file(file, 0, &fd, &len);
	if (!p)
		return 2;
	pages = len / PAGE;
	catch_faults();
	if (sigsetjmp(fault_jmp, 1)) {
		printf("survive=fail signal=%d\n", (int)fault_sig);
		fprintf(stderr, "daxcheck: signal %d through the mapping of %s\n",
			(int)fault_sig, file);
		return 1;
	}
	before = sum_of(p, len);
	if (kill(pid, SIGKILL))
		return fail("kill", argv[1]);
	for (int i = 0; !dead(pid); i++) {
		struct timespec ts = { 0, 10 * 1000 * 1000 };

		if (i == 1000) {
			fprintf(stderr, "daxcheck: pid %d still alive\n", (int)pid);
			return 2;
		}
		nanosleep(&ts, NULL);
	}
	after = sum_of(p, len);
	for (size_t i = 0; i < pages; i++)
		*(volatile uint64_t *)(p + i * PAGE) = MARK_MAGIC ^ i;
	/*
	 * msync(MS_SYNC) ends in ->fsync, which FUSE may still send to the
	 * (dead) server: reported, not judged.  The device check below is
	 * what shows where the stores went.
	 */
	msync_err = msync((void *)p, len, MS_SYNC) ? errno : 0;
	for (size_t i = 0; i < pages; i++)
		bad += *(volatile uint64_t *)(p + i * PAGE) != (MARK_MAGIC ^ i);
	printf("server_killed=%d pages=%zu read_same=%d marks_bad=%zu msync=%s ",
	       (int)pid, pages, before == after, bad,
	       msync_err ? strerrorname(msync_err) : "ok");
	if (before != after || bad)
		rc = 1;
	if (argc >= 4 && check_dev(argv[2], strtoull(argv[3], NULL, 0), len))
		rc = 1;
	printf("survive=%s\n", rc ? "fail" : "ok");
	munmap((void *)p, len);
	close(fd);
	return rc;
}

static int cmd_write_as(const char *uid, const char *file)
{
	unsigned int id = (unsigned int)strtoul(uid, NULL, 10);
	int fd;

	if (setgroups(0, NULL) || setgid(id) || setuid(id)) {
		perror("daxcheck: cannot change identity");
		return 2;
	}
	fd = open(file, O_WRONLY);
	if (fd < 0 || pwrite(fd, "w", 1, 0) != 1) {
		perror(file);
		return 1;
	}
	close(fd);
	printf("wrote=1\n");
	return 0;
}

static int cmd_mmap_dev(const char *dev)
{
	int fd = open(dev, O_RDWR);
	void *p;

	if (fd < 0)
		return fail("open", dev);
	p = mmap(NULL, 2 << 20, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		printf("mmap_errno=%d (%s)\n", errno, strerror(errno));
		close(fd);
		return 1;
	}
	munmap(p, 2 << 20);
	close(fd);
	printf("mmap=ok\n");
	return 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 3 && !strcmp(argv[1], "statx"))
		return cmd_statx(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "mmap"))
		return cmd_mmap(argv[2], 0);
	if (argc == 3 && !strcmp(argv[1], "mmap-ro"))
		return cmd_mmap(argv[2], 1);
	if (argc == 3 && !strcmp(argv[1], "mmap-dev"))
		return cmd_mmap_dev(argv[2]);
	if (argc == 4 && !strcmp(argv[1], "write-as"))
		return cmd_write_as(argv[2], argv[3]);
	if ((argc == 4 || argc == 6) && !strcmp(argv[1], "survive"))
		return cmd_survive(argc - 2, argv + 2);
	return usage();
}
