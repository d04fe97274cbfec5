// SPDX-License-Identifier: Apache-2.0
/*
 * famstress: the file-level load of the debug-kernel scenarios (evict,
 * remove, fuzz) and of devdax-reopen that busybox cannot make: mappings
 * held across reclaim and device removal, and open/read/fault passes that
 * count what happened.
 * Built static with musl by tests/vm/mkinitramfs.sh; runs in the guest.
 *
 *   famstress hold SECONDS FILE...
 *	Open and map (shared, read-only) every FILE, checksum each through
 *	read(2) and through its mapping (they must agree), then keep reading
 *	every page of every mapping for SECONDS (or until SIGTERM), comparing
 *	with the first checksum.  Prints "files=N rounds=N mismatches=N
 *	sigbus=N" and exits 0 only if nothing mismatched and no SIGBUS came.
 *
 *   famstress cycle FILE...
 *	For each FILE: open, map, checksum the mapping and read(2), compare,
 *	unmap, close.  Prints "opens=N mismatches=N sigbus=N errors=N";
 *	exit 0 only if all of it worked.
 *
 *   famstress remove FILE...
 *	Open every FILE read-write (a character device too, for this mode
 *	only: its first 2 MiB, device-dax's default alignment), map it shared, rewrite one byte of every
 *	page with its own value (dirty DAX entries, same contents), print
 *	"ready files=N" and wait for SIGUSR1 (the device is being removed);
 *	on SIGUSR2 meanwhile, load every page again (so each mapping has its
 *	page-table entries right before the removal) and print "touched".
 *	Then load every page of every mapping (SIGBUS is caught) and print
 *	"loaded sigbus=N loads_ok=N"; then per file pread(2) the open fd,
 *	msync, fsync, munmap, close.  Prints
 *	"files=N sigbus=N loads_ok=N read_ok=N read_errno=NAME,... msync=...
 *	fsync=... close=..." and exits 0 (the caller judges).
 *
 *   famstress fuzzpass FILE...
 *	The fuzz scenario's pass, read-only (a mutated map may point
 *	anywhere on the device, so nothing is written): per FILE open
 *	O_RDONLY, read(2) the first 64 KiB and 4 KiB at the middle, map it
 *	read-only and load every page (SIGBUS caught), unmap, close.  Prints
 *	"opens=N open_ok=N open_errno=NAME:N,... reads=N read_err=N
 *	faults=N sigbus=N" and exits 0 unless a system call that cannot
 *	depend on the server failed.
 *
 * Exit 2: usage or system error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define PG 4096UL
#define DEV_MAP_LEN (2UL << 20)

static sigjmp_buf bus_jmp;
static volatile sig_atomic_t bus_armed;
static volatile sig_atomic_t got_usr1;
static volatile sig_atomic_t got_usr2;
static volatile sig_atomic_t got_term;

static void on_bus(int sig)
{
	(void)sig;
	if (bus_armed) {
		bus_armed = 0;
		siglongjmp(bus_jmp, 1);
	}
	_exit(3);
}

static void on_usr1(int sig)
{
	(void)sig;
	got_usr1 = 1;
}

static void on_usr2(int sig)
{
	(void)sig;
	got_usr2 = 1;
}

static void on_term(int sig)
{
	(void)sig;
	got_term = 1;
}

static void handlers(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_bus;
	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGSEGV, &sa, NULL);
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	sa.sa_handler = on_usr2;
	sigaction(SIGUSR2, &sa, NULL);
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
}

static uint64_t mix(uint64_t h, uint64_t v)
{
	h ^= v;
	h *= 0x100000001b3ULL;
	return h ^ (h >> 29);
}

/*
 * Checksum LEN bytes of a mapping, loading every byte; 0 and *sigbus set
 * if a load raised SIGBUS (or SIGSEGV).
 */
static uint64_t map_sum(const unsigned char *p, size_t len, int *sigbus)
{
	volatile uint64_t h = 0xcbf29ce484222325ULL;
	size_t i;

	*sigbus = 0;
	if (sigsetjmp(bus_jmp, 1)) {
		*sigbus = 1;
		return 0;
	}
	bus_armed = 1;
	for (i = 0; i + 8 <= len; i += 8) {
		uint64_t v;

		memcpy(&v, p + i, 8);
		h = mix(h, v);
	}
	for (; i < len; i++)
		h = mix(h, p[i]);
	bus_armed = 0;
	return h;
}

/* The same checksum through read(2); -1 in *err on a failed read. */
static uint64_t fd_sum(int fd, size_t len, int *err)
{
	static unsigned char buf[1 << 16];
	uint64_t h = 0xcbf29ce484222325ULL;
	size_t off = 0, i;
	ssize_t n;

	*err = 0;
	while (off < len) {
		size_t want = len - off < sizeof(buf) ? len - off : sizeof(buf);

		n = pread(fd, buf, want, (off_t)off);
		if (n <= 0) {
			*err = n < 0 ? errno : EIO;
			return 0;
		}
		/* chunks are multiples of 8 except the last one */
		for (i = 0; i + 8 <= (size_t)n; i += 8) {
			uint64_t v;

			memcpy(&v, buf + i, 8);
			h = mix(h, v);
		}
		for (; i < (size_t)n; i++)
			h = mix(h, buf[i]);
		off += (size_t)n;
	}
	return h;
}

static const char *ename(int e)
{
	switch (e) {
	case 0: return "0";
	case EIO: return "EIO";
	case ENXIO: return "ENXIO";
	case ENODEV: return "ENODEV";
	case ENOENT: return "ENOENT";
	case ENOTBLK: return "ENOTBLK";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	case EBUSY: return "EBUSY";
	case EINVAL: return "EINVAL";
	case ERANGE: return "ERANGE";
	case ENOMEM: return "ENOMEM";
	case EFAULT: return "EFAULT";
	case ENOTCONN: return "ENOTCONN";
	case EPERM: return "EPERM";
	case EACCES: return "EACCES";
	case EFBIG: return "EFBIG";
	case ENOSPC: return "ENOSPC";
	case EROFS: return "EROFS";
	case ESTALE: return "ESTALE";
	default: break;
	}
	return "other";
}

/* A small errno histogram printed as NAME:N,NAME:N. */
struct hist {
	int e[16];
	int n[16];
	int used;
};

static void hist_add(struct hist *h, int e)
{
	int i;

	for (i = 0; i < h->used; i++) {
		if (h->e[i] == e) {
			h->n[i]++;
			return;
		}
	}
	if (h->used < 16) {
		h->e[h->used] = e;
		h->n[h->used++] = 1;
	}
}

static void hist_print(const char *key, const struct hist *h)
{
	int i;

	printf(" %s=", key);
	if (!h->used)
		printf("-");
	for (i = 0; i < h->used; i++)
		printf("%s%s:%d", i ? "," : "", ename(h->e[i]), h->n[i]);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

struct mf {
	const char *path;
	int fd;
	size_t len;
	unsigned char *p;
	uint64_t sum;
};

static int open_map(struct mf *m, const char *path, int rw)
{
	struct stat st;

	m->path = path;
	m->fd = open(path, rw ? O_RDWR : O_RDONLY);
	if (m->fd < 0) {
		fprintf(stderr, "famstress: open %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (fstat(m->fd, &st)) {
		fprintf(stderr, "famstress: stat %s: %s\n", path, strerror(errno));
		return -1;
	}
	/* a device-dax character device has no size: one 2 MiB extent */
	m->len = S_ISCHR(st.st_mode) ? DEV_MAP_LEN : (size_t)st.st_size;
	if (!m->len) {
		fprintf(stderr, "famstress: %s: empty\n", path);
		return -1;
	}
	m->p = mmap(NULL, m->len, rw ? PROT_READ | PROT_WRITE : PROT_READ,
		    MAP_SHARED, m->fd, 0);
	if (m->p == MAP_FAILED) {
		fprintf(stderr, "famstress: mmap %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

static int do_hold(double secs, int n, char **files)
{
	struct mf *m = calloc((size_t)n, sizeof(*m));
	long rounds = 0, mism = 0, bus = 0;
	double end;
	int i, b, e;

	if (!m)
		return 2;
	for (i = 0; i < n; i++) {
		if (open_map(&m[i], files[i], 0))
			return 2;
		m[i].sum = fd_sum(m[i].fd, m[i].len, &e);
		if (e) {
			fprintf(stderr, "famstress: read %s: %s\n", files[i], strerror(e));
			return 2;
		}
		if (map_sum(m[i].p, m[i].len, &b) != m[i].sum || b) {
			fprintf(stderr, "famstress: %s: mapping and read(2) differ%s\n",
				files[i], b ? " (SIGBUS)" : "");
			return 1;
		}
	}
	printf("holding files=%d\n", n);
	fflush(stdout);
	end = now() + secs;
	while (!got_term && now() < end) {
		for (i = 0; i < n; i++) {
			uint64_t s = map_sum(m[i].p, m[i].len, &b);

			if (b)
				bus++;
			else if (s != m[i].sum)
				mism++;
		}
		rounds++;
		/* leave the (TCG: one) host CPU to the rest of the test */
		usleep(20000);
	}
	printf("files=%d rounds=%ld mismatches=%ld sigbus=%ld\n", n, rounds, mism, bus);
	return mism || bus ? 1 : 0;
}

static int do_cycle(int n, char **files)
{
	long opens = 0, mism = 0, bus = 0, errs = 0;
	struct mf m;
	int i, b, e;

	for (i = 0; i < n; i++) {
		uint64_t s;

		if (open_map(&m, files[i], 0)) {
			errs++;
			continue;
		}
		opens++;
		s = map_sum(m.p, m.len, &b);
		if (b)
			bus++;
		else if (s != fd_sum(m.fd, m.len, &e) || e)
			mism++;
		munmap(m.p, m.len);
		close(m.fd);
	}
	printf("opens=%ld mismatches=%ld sigbus=%ld errors=%ld\n", opens, mism, bus, errs);
	return mism || bus || errs ? 1 : 0;
}

static int do_remove(int n, char **files)
{
	struct mf *m = calloc((size_t)n, sizeof(*m));
	struct hist rd = { 0 }, ms = { 0 }, fs = { 0 }, cl = { 0 };
	long bus = 0, loads = 0, rok = 0;
	sigset_t set, old;
	size_t off;
	int i, b, e;

	if (!m)
		return 2;
	for (i = 0; i < n; i++) {
		if (open_map(&m[i], files[i], 1))
			return 2;
		for (off = 0; off < m[i].len; off += PG)
			m[i].p[off] = *(volatile unsigned char *)&m[i].p[off];
	}
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGUSR2);
	sigprocmask(SIG_BLOCK, &set, &old);
	printf("ready files=%d\n", n);
	fflush(stdout);
	while (!got_usr1 && !got_term) {
		sigsuspend(&old);
		if (!got_usr2)
			continue;
		/* map every page again, right before the removal */
		got_usr2 = 0;
		bus = 0;
		for (i = 0; i < n; i++) {
			map_sum(m[i].p, m[i].len, &b);
			bus += b;
		}
		printf("touched files=%d sigbus=%ld\n", n, bus);
		bus = 0;
		fflush(stdout);
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	/* the loads first: they need no server (the caller may stop it) */
	for (i = 0; i < n; i++) {
		map_sum(m[i].p, m[i].len, &b);
		if (b)
			bus++;
		else
			loads++;
	}
	printf("loaded sigbus=%ld loads_ok=%ld\n", bus, loads);
	fflush(stdout);
	for (i = 0; i < n; i++) {
		char c;

		if (pread(m[i].fd, &c, 1, 0) == 1)
			rok++;
		else
			hist_add(&rd, errno);
		hist_add(&ms, msync(m[i].p, m[i].len, MS_SYNC) ? errno : 0);
		hist_add(&fs, fsync(m[i].fd) ? errno : 0);
		munmap(m[i].p, m[i].len);
		hist_add(&cl, close(m[i].fd) ? errno : 0);
	}
	e = 0;
	printf("files=%d sigbus=%ld loads_ok=%ld read_ok=%ld", n, bus, loads, rok);
	hist_print("read_errno", &rd);
	hist_print("msync", &ms);
	hist_print("fsync", &fs);
	hist_print("close", &cl);
	printf("\n");
	return e;
}

static int do_fuzzpass(int n, char **files)
{
	static unsigned char buf[1 << 16];
	long opens = 0, ok = 0, reads = 0, rerr = 0, faults = 0, bus = 0;
	struct hist oe = { 0 };
	struct stat st;
	int i, fd, b;

	for (i = 0; i < n; i++) {
		unsigned char *p;
		size_t len;

		opens++;
		fd = open(files[i], O_RDONLY);
		if (fd < 0) {
			hist_add(&oe, errno);
			continue;
		}
		ok++;
		if (fstat(fd, &st)) {
			perror("famstress: fstat");
			return 2;
		}
		len = (size_t)st.st_size;
		reads += 2;
		if (pread(fd, buf, sizeof(buf), 0) < 0)
			rerr++;
		if (pread(fd, buf, PG, (off_t)(len / 2 & ~(PG - 1))) < 0)
			rerr++;
		if (len) {
			p = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, 0);
			if (p != MAP_FAILED) {
				faults += (long)((len + PG - 1) / PG);
				map_sum(p, len, &b);
				bus += b;
				munmap(p, len);
			}
		}
		close(fd);
	}
	printf("opens=%ld open_ok=%ld", opens, ok);
	hist_print("open_errno", &oe);
	printf(" reads=%ld read_err=%ld faults=%ld sigbus=%ld\n", reads, rerr, faults, bus);
	return 0;
}

static int usage(void)
{
	fprintf(stderr, "usage: famstress hold SECONDS FILE... | cycle FILE... | remove FILE... | fuzzpass FILE...\n");
	return 2;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	handlers();
	if (argc >= 4 && !strcmp(argv[1], "hold"))
		return do_hold(atof(argv[2]), argc - 3, argv + 3);
	if (argc >= 3 && !strcmp(argv[1], "cycle"))
		return do_cycle(argc - 2, argv + 2);
	if (argc >= 3 && !strcmp(argv[1], "remove"))
		return do_remove(argc - 2, argv + 2);
	if (argc >= 3 && !strcmp(argv[1], "fuzzpass"))
		return do_fuzzpass(argc - 2, argv + 2);
	return usage();
}
