// SPDX-License-Identifier: Apache-2.0
/*
 * The part of famfs fsck's report that upstream famfs's scripts read:
 * its key lines, in its words ("Famfs Superblock:", "Log stats:",
 * "Capacity:", "Device capacity:", "Famfs log:" ...), after our own lines.
 * -h/--human prints the sizes as upstream does with it (GiB, "%.2fG").
 * -B N adds the free space of each of N equal buckets of the primary.
 */
#include <inttypes.h>

#include "cmd.h"
#include "famfs_fsck.h"
#include "famfs_mkfs.h"

static unsigned int count_code(const struct famfs_fsck *ck,
			       enum famfs_problem code)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < ck->nitems; i++)
		n += ck->items[i].code == code;
	return n;
}

static void size_line(const char *label, uint64_t v, int human)
{
	if (human)
		printf("  %-23s %.2fG\n", label, (double)v / (1024.0 * 1024 * 1024));
	else
		printf("  %-23s %" PRIu64 "\n", label, v);
}

/* Entries the log holds: those in it and room for one-extent files. */
static uint64_t log_slots(const struct famfs_fsck_stats *st)
{
	struct famfs_entry sample = {
		.type = FAMFS_ENTRY_FILE, .file.nextents = 1, .path_len = 40,
	};
	uint64_t room = st->log_len > st->log_used ? st->log_len - st->log_used : 0;

	return st->entries + room / (uint64_t)famfs_entry_size(&sample);
}

static void superblock_lines(const struct famfs_fsck_stats *st,
			     const char *role)
{
	char u[37];

	printf("Famfs Superblock:\n");
	famfs_uuid_str(st->fs_uuid, u);
	printf("  Filesystem UUID:   %s\n", u);
	famfs_uuid_str(st->dev[0].uuid, u);
	printf("  Device UUID:       %s\n", u);
	famfs_uuid_str(st->master_uuid, u);
	printf("  System UUID:       %s\n", u);
	printf("  role of this node: %s\n", role);
	printf("  alloc_unit:        0x%" PRIx64 "\n", st->alloc_unit);
	printf("  log size (bytes):  %" PRIu64 "\n", st->log_len);
}

static void capacity_lines(const struct famfs_fsck_stats *st, int human)
{
	uint64_t cap = st->capacity, used = st->used;

	printf("Capacity:\n");
	size_line("Device capacity:", st->dev_size, human);
	size_line("Bitmap capacity:", cap, human);
	size_line("Sum of file sizes:", st->file_bytes, human);
	size_line(human ? "Allocated space:" : "Allocated bytes:", used, human);
	size_line("Free space:", cap - used, human);
	printf("  Space amplification:     %0.2f\n", st->file_bytes ?
	       (double)used / (double)st->file_bytes : 0.0);
	printf("  Percent used:            %.1f%%\n\n",
	       cap ? 100.0 * (double)used / (double)cap : 0.0);
}

/* -B N: the primary's data space in N buckets, the free space of each. */
static void bucket_lines(const struct famfs_fsck *ck, unsigned int n,
			 int human)
{
	const struct famfs_bitmap *b = &ck->fs.bmap[0];
	uint64_t per = n ? b->nbits / n : 0;
	uint64_t au = famfs_sb_granule(&ck->fs.sb);	/* bytes a bit */

	if (!per) {
		printf("Buckets: the data space is too small for %u buckets\n\n", n);
		return;
	}
	printf("Free space per bucket (%u buckets of %" PRIu64 " allocation units):\n",
	       n, per);
	for (unsigned int i = 0; i < n; i++) {
		uint64_t nfree = 0;
		char label[32];

		for (uint64_t bit = i * per; bit < (i + 1) * per; bit++)
			nfree += !famfs_bitmap_test(b, bit);
		snprintf(label, sizeof(label), "bucket %u:", i);
		size_line(label, nfree * au, human);
	}
	if (b->nbits % n)
		printf("  overhang: %" PRIu64 " allocation units in no bucket\n",
		       b->nbits % n);
	printf("\n");
}

void famfs_fsck_upstream_report(const struct famfs_fsck *ck, const char *role,
				int human, unsigned int nbuckets)
{
	const struct famfs_fsck_stats *st = &ck->st;
	unsigned int cross = count_code(ck, FAMFS_PR_CROSSLINK);

	printf("\n");
	superblock_lines(st, role);
	printf("\nLog stats:\n");
	printf("  # of log entries in use: %" PRIu64 " of %" PRIu64 "\n",
	       st->entries, log_slots(st));
	printf("  Log size in use:          %" PRIu64 "\n", st->log_used);
	printf("  Log size (total bytes)    %" PRIu64 "\n", st->log_len);
	if (cross) {
		printf("ERROR: %u ALLOCATION COLLISIONS FOUND\n\n", cross);
	} else {
		printf("  No allocation errors found\n\n");
		capacity_lines(st, human);
	}
	if (nbuckets && ck->fs.bmap[0].nbits)
		bucket_lines(ck, nbuckets, human);
	printf("Famfs log:\n");
	printf("  %" PRIu64 " of %" PRIu64 " entries used\n", st->entries,
	       log_slots(st));
	printf("  %u bad log entries detected\n",
	       count_code(ck, FAMFS_PR_ENTRY_BAD));
	printf("  %" PRIu64 " files\n", st->files);
	printf("  %" PRIu64 " directories\n\n", st->dirs);
}
