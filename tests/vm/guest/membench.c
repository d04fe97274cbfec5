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

int main(int argc, char **argv)
{
	const char *path, *mode;
	uint64_t size, ops = 32768, pages, done = 0, i, moff = 0;
	double max_secs = 30, t0, t1, ts;
	long f0;
	int anon, fd = -1, capped = 0, is_mmap, is_seq, is_write, is_chr = 0;
	int is_touch;
	char *map = NULL, *buf;
	const char *e = getenv("MEMBENCH_MAX_SECS");
	const char *o = getenv("MEMBENCH_OFFSET");
	const char *sync_how = "none";

	if (argc < 4 || argc > 5) {
		fprintf(stderr, "usage: membench FILE|anon SIZE MODE [OPS]\n");
		return 2;
	}
	path = argv[1];
	size = parse_size(argv[2]) & ~(BLK - 1);
	mode = argv[3];
	if (argc == 5)
		ops = parse_size(argv[4]);
	if (e && atof(e) > 0)
		max_secs = atof(e);
	if (o)
		moff = parse_size(o);
	if (size < BLK) {
		fprintf(stderr, "membench: SIZE must be at least 1 MiB\n");
		return 2;
	}
	pages = size / PG;
	anon = strcmp(path, "anon") == 0;
	is_mmap = strncmp(mode, "mmap-", 5) == 0;
	is_seq = strstr(mode, "-seq-") != NULL;
	is_write = strstr(mode, "-write") != NULL;
	is_touch = strstr(mode, "-touch-") != NULL;
	if ((!is_mmap && strncmp(mode, "rw-", 3) != 0) ||
	    (is_touch && (!is_mmap || anon)) ||
	    (!is_seq && !is_touch && !strstr(mode, "-rand-")) ||
	    (!is_write && !strstr(mode, "-read"))) {
		fprintf(stderr, "membench: unknown mode '%s'\n", mode);
		return 2;
	}

	buf = aligned_alloc(PG, BLK);
	if (!buf)
		fail("aligned_alloc");
	memset(buf, 0x5a, BLK);

	if (anon) {
		map = mmap(NULL, size, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (map == MAP_FAILED)
			fail("mmap anon");
		memset(map, 1, size);
	} else {
		struct stat st;

		fd = open(path, O_RDWR);
		if (fd < 0)
			fail(path);
		if (fstat(fd, &st) < 0)
			fail("fstat");
		is_chr = S_ISCHR(st.st_mode);
		if (is_chr && !is_mmap) {
			fprintf(stderr, "membench: %s is a character device: mmap modes only\n",
				path);
			return 2;
		}
		if (!is_chr && (uint64_t)st.st_size < moff + size) {
			fprintf(stderr, "membench: %s has %lld bytes, less than %llu\n",
				path, (long long)st.st_size,
				(unsigned long long)(moff + size));
			return 2;
		}
		if (is_mmap) {
			map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED,
				   fd, (off_t)moff);
			if (map == MAP_FAILED)
				fail("mmap");
		}
	}

	f0 = faults();
	t0 = now();
	if (is_touch) {
		done = touch(map, size, is_write);
	} else if (is_seq) {
		for (i = 0; i < size / BLK; i++) {
			char *p = map ? map + i * BLK : NULL;

			if (is_mmap) {
				if (is_write)
					memset(p, (int)(i & 0xff), BLK);
				else
					sink += sum_words(p, BLK);
			} else if (anon) {
				if (is_write)
					memcpy(p, buf, BLK);
				else
					memcpy(buf, p, BLK);
			} else {
				ssize_t n = is_write ? write(fd, buf, BLK) : read(fd, buf, BLK);

				if (n != (ssize_t)BLK)
					fail(is_write ? "write" : "read");
			}
			done += BLK;
			if (now() - t0 > max_secs) {
				capped = 1;
				break;
			}
		}
	} else {
		for (i = 0; i < ops; i++) {
			uint64_t off = next_page(pages) * PG;

			if (is_mmap) {
				if (is_write)
					memset(map + off, (int)(i & 0xff), PG);
				else
					sink += sum_words(map + off, PG);
			} else if (anon) {
				if (is_write)
					memcpy(map + off, buf, PG);
				else
					memcpy(buf, map + off, PG);
			} else {
				ssize_t n = is_write ? pwrite(fd, buf, PG, off) :
					pread(fd, buf, PG, off);

				if (n != (ssize_t)PG)
					fail(is_write ? "pwrite" : "pread");
			}
			done += PG;
			if ((i & 255) == 255 && now() - t0 > max_secs) {
				capped = 1;
				break;
			}
		}
	}
	ts = now();
	if (is_write && !anon && !is_chr) {
		sync_how = is_mmap ? "msync" : "fsync";
		if (is_mmap) {
			if (msync(map, size, MS_SYNC) < 0)
				fail("msync");
		} else if (fsync(fd) < 0) {
			fail("fsync");
		}
	}
	t1 = now();
	sink += (uint64_t)buf[7];

	printf("mode=%s bytes=%llu secs=%.3f mbps=%.1f capped=%d sync=%s sync_secs=%.3f faults=%ld\n",
	       mode, (unsigned long long)done, t1 - t0, done / (t1 - t0) / 1e6,
	       capped, sync_how, t1 - ts, faults() - f0);
	return 0;
}
