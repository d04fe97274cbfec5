// SPDX-License-Identifier: Apache-2.0
/*
 * membench: memory-bandwidth figures for the QEMU benchmark
 * (tests/vm/guest/bench.sh, bench/vm.sh).  Built static with musl by
 * mkinitramfs.sh and run inside the guest.
 *
 *   membench FILE|anon SIZE MODE [OPS]
 *
 * FILE must exist and be at least SIZE bytes (K/M/G suffixes allowed); it
 * is opened O_RDWR and never truncated.  "anon" uses a private anonymous
 * mapping of SIZE bytes, touched in full before the clock starts (the
 * limit: no file system at all).
 *
 * MODE:
 *   mmap-seq-read    one pass over a shared mapping, 64-bit loads
 *   mmap-seq-write   one pass over a shared mapping, memset per 1 MiB,
 *                    then msync(MS_SYNC) (timed)
 *   mmap-rand-read   OPS random 4 KiB pages, 64-bit loads of each
 *   mmap-rand-write  OPS random 4 KiB pages, memset of each, then msync
 *   rw-seq-read      read(2) of 1 MiB blocks, one pass
 *   rw-seq-write     write(2) of 1 MiB blocks, one pass, then fsync
 *   rw-rand-read     OPS pread(2) of 4 KiB at random 4 KiB offsets
 *   rw-rand-write    OPS pwrite(2) of 4 KiB at random offsets, then fsync
 *   mmap-touch-read  one 64-bit load per 2 MiB of a shared mapping: the
 *                    page faults alone (one 2 MiB fault each where the
 *                    mapping has PMD faults)
 *   mmap-touch-write one 64-bit store per 2 MiB, then msync
 * For "anon" the rw-* modes copy between the mapping and a buffer with
 * memcpy (what read/write would have to do at best).
 *
 * FILE may be a device-dax character device (/dev/daxN.M bound to
 * device_dax, the physical limit of the device-dax benchmark): mmap modes
 * only (device_dax has no read or write), SIZE is not checked against
 * st_size (0 for a character device), and the write modes end without
 * msync (device_dax has no fsync, so msync(MS_SYNC) would fail with
 * EINVAL; nothing is flushed).  MEMBENCH_OFFSET (bytes, a multiple of the
 * device's alignment: 2 MiB) places the mapping in FILE, so that the raw
 * device can be measured over the same memory as a famfs file's extent.
 *
 * OPS (random modes) defaults to 32768.  Random offsets come from a
 * xorshift64 generator with a fixed seed, so every target sees the same
 * offsets.  Every mode is bounded: one pass or OPS operations, and also
 * stops after MEMBENCH_MAX_SECS seconds (default 30); "capped=1" then says
 * the figure is from the part that was done.  The mapping is made (and for
 * a file, the file opened) before the clock starts; page faults are timed.
 *
 * Output, one line: "mode=M bytes=N secs=S mbps=X capped=0|1 sync=W
 * sync_secs=T faults=F", MB = 10^6 bytes; W is how the write modes ended
 * (msync, fsync, none), T the part of S that call took (0 when none), F
 * the page faults taken in the timed part (getrusage: minor + major; a
 * 2 MiB PMD fault counts one).  Exit 0, or 2 on a usage or system error (message on stderr).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define BLK (1UL << 20)
#define PG 4096UL
#define TOUCH (2UL << 20)

static volatile uint64_t sink;

static void fail(const char *what)
{
	fprintf(stderr, "membench: %s: %s\n", what, strerror(errno));
	exit(2);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Page faults of this process so far (minor + major). */
static long faults(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru) < 0)
		fail("getrusage");
	return ru.ru_minflt + ru.ru_majflt;
}

static uint64_t parse_size(const char *s)
{
	char *end;
	uint64_t v = strtoull(s, &end, 0);

	switch (*end) {
	case 'G': case 'g': v <<= 30; break;
	case 'M': case 'm': v <<= 20; break;
	case 'K': case 'k': v <<= 10; break;
	case 0: break;
	default:
		fprintf(stderr, "membench: bad size '%s'\n", s);
		exit(2);
	}
	return v;
}

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint64_t next_page(uint64_t pages)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng % pages;
}

static uint64_t sum_words(const void *p, size_t len)
{
	const uint64_t *w = p;
	uint64_t a = 0, b = 0, c = 0, d = 0;
	size_t i, n = len / 8;

	for (i = 0; i + 4 <= n; i += 4) {
		a += w[i];
		b += w[i + 1];
		c += w[i + 2];
		d += w[i + 3];
	}
	return a + b + c + d;
}

/* mmap-touch-*: one 64-bit load or store per TOUCH bytes; bytes covered. */
static uint64_t touch(char *map, uint64_t size, int is_write)
{
	uint64_t i;

	for (i = 0; i < size; i += TOUCH) {
		volatile uint64_t *w = (volatile uint64_t *)(map + i);

		if (is_write)
			*w = i;
		else
			sink += *w;
	}
	return size;
}

/* One run: what was asked, and the state the timed part works on. */
struct bench {
	const char *path, *mode, *sync_how;
	uint64_t size, ops, pages, moff, done;
	double max_secs, t0;
	int anon, fd, is_mmap, is_seq, is_write, is_touch, is_chr, capped;
	char *map, *buf;
};

/* FILE|anon SIZE MODE [OPS] and the environment; 0, or 2 after a message. */
static int parse_args(struct bench *b, int argc, char **argv)
{
	const char *e = getenv("MEMBENCH_MAX_SECS");
	const char *o = getenv("MEMBENCH_OFFSET");
	const char *mode;

	if (argc < 4 || argc > 5) {
		fprintf(stderr, "usage: membench FILE|anon SIZE MODE [OPS]\n");
		return 2;
	}
	b->path = argv[1];
	b->size = parse_size(argv[2]) & ~(BLK - 1);
	b->mode = mode = argv[3];
	if (argc == 5)
		b->ops = parse_size(argv[4]);
	if (e && atof(e) > 0)
		b->max_secs = atof(e);
	if (o)
		b->moff = parse_size(o);
	if (b->size < BLK) {
		fprintf(stderr, "membench: SIZE must be at least 1 MiB\n");
		return 2;
	}
	b->pages = b->size / PG;
	b->anon = strcmp(b->path, "anon") == 0;
	b->is_mmap = strncmp(mode, "mmap-", 5) == 0;
	b->is_seq = strstr(mode, "-seq-") != NULL;
	b->is_write = strstr(mode, "-write") != NULL;
	b->is_touch = strstr(mode, "-touch-") != NULL;
	if ((!b->is_mmap && strncmp(mode, "rw-", 3) != 0) ||
	    (b->is_touch && (!b->is_mmap || b->anon)) ||
	    (!b->is_seq && !b->is_touch && !strstr(mode, "-rand-")) ||
	    (!b->is_write && !strstr(mode, "-read"))) {
		fprintf(stderr, "membench: unknown mode '%s'\n", mode);
		return 2;
	}
	return 0;
}

/* Open and map FILE (or the anonymous mapping), untimed; 0 or 2. */
static int open_target(struct bench *b)
{
	struct stat st;

	if (b->anon) {
		b->map = mmap(NULL, b->size, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (b->map == MAP_FAILED)
			fail("mmap anon");
		memset(b->map, 1, b->size);
		return 0;
	}
	b->fd = open(b->path, O_RDWR);
	if (b->fd < 0)
		fail(b->path);
	if (fstat(b->fd, &st) < 0)
		fail("fstat");
	b->is_chr = S_ISCHR(st.st_mode);
	if (b->is_chr && !b->is_mmap) {
		fprintf(stderr, "membench: %s is a character device: mmap modes only\n",
			b->path);
		return 2;
	}
	if (!b->is_chr && (uint64_t)st.st_size < b->moff + b->size) {
		fprintf(stderr, "membench: %s has %lld bytes, less than %llu\n",
			b->path, (long long)st.st_size,
			(unsigned long long)(b->moff + b->size));
		return 2;
	}
	if (b->is_mmap) {
		b->map = mmap(NULL, b->size, PROT_READ | PROT_WRITE, MAP_SHARED,
			      b->fd, (off_t)b->moff);
		if (b->map == MAP_FAILED)
			fail("mmap");
	}
	return 0;
}

/*
 * Operation @i: @len bytes at @off, through the mapping, memcpy (anon) or
 * the file: read(2)/write(2) in a sequential mode, pread/pwrite otherwise.
 */
static void one_op(struct bench *b, uint64_t off, size_t len, uint64_t i)
{
	char *p = b->map ? b->map + off : NULL;
	ssize_t n;

	if (b->is_mmap) {
		if (b->is_write)
			memset(p, (int)(i & 0xff), len);
		else
			sink += sum_words(p, len);
		return;
	}
	if (b->anon) {
		if (b->is_write)
			memcpy(p, b->buf, len);
		else
			memcpy(b->buf, p, len);
		return;
	}
	if (b->is_seq)
		n = b->is_write ? write(b->fd, b->buf, len) : read(b->fd, b->buf, len);
	else
		n = b->is_write ? pwrite(b->fd, b->buf, len, (off_t)off) :
			pread(b->fd, b->buf, len, (off_t)off);
	if (n != (ssize_t)len)
		fail(b->is_seq ? (b->is_write ? "write" : "read") :
		     (b->is_write ? "pwrite" : "pread"));
}

/* The timed loop: one pass of BLK blocks, or OPS random pages. */
static void run_ops(struct bench *b)
{
	uint64_t i;

	if (b->is_touch) {
		b->done = touch(b->map, b->size, b->is_write);
		return;
	}
	if (b->is_seq) {
		for (i = 0; i < b->size / BLK; i++) {
			one_op(b, i * BLK, BLK, i);
			b->done += BLK;
			if (now() - b->t0 > b->max_secs) {
				b->capped = 1;
				return;
			}
		}
		return;
	}
	for (i = 0; i < b->ops; i++) {
		one_op(b, next_page(b->pages) * PG, PG, i);
		b->done += PG;
		if ((i & 255) == 255 && now() - b->t0 > b->max_secs) {
			b->capped = 1;
			return;
		}
	}
}

/* A write mode of a file ends with msync or fsync (timed). */
static void sync_writes(struct bench *b)
{
	if (!b->is_write || b->anon || b->is_chr)
		return;
	b->sync_how = b->is_mmap ? "msync" : "fsync";
	if (b->is_mmap) {
		if (msync(b->map, b->size, MS_SYNC) < 0)
			fail("msync");
	} else if (fsync(b->fd) < 0) {
		fail("fsync");
	}
}

int main(int argc, char **argv)
{
	struct bench b = { .ops = 32768, .max_secs = 30, .fd = -1,
			   .sync_how = "none" };
	double t1, ts;
	long f0;
	int rc;

	rc = parse_args(&b, argc, argv);
	if (rc)
		return rc;
	b.buf = aligned_alloc(PG, BLK);
	if (!b.buf)
		fail("aligned_alloc");
	memset(b.buf, 0x5a, BLK);
	rc = open_target(&b);
	if (rc)
		return rc;

	f0 = faults();
	b.t0 = now();
	run_ops(&b);
	ts = now();
	sync_writes(&b);
	t1 = now();
	sink += (uint64_t)b.buf[7];

	printf("mode=%s bytes=%llu secs=%.3f mbps=%.1f capped=%d sync=%s sync_secs=%.3f faults=%ld\n",
	       b.mode, (unsigned long long)b.done, t1 - b.t0,
	       b.done / (t1 - b.t0) / 1e6, b.capped, b.sync_how, t1 - ts,
	       faults() - f0);
	return 0;
}
