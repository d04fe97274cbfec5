// SPDX-License-Identifier: Apache-2.0
/*
 * The metadata log (log.c): header and tail record images, the two tail
 * slots, scan, append, "log full", torn appends and zeroing.  The log lives
 * on an in-memory device formatted by famfs_mkfs_write().
 */
#include <inttypes.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>
#include <cmocka.h>

#include "famfs.h"
#include "famfs_log.h"
#include "famfs_mkfs.h"
#include "unit_util.h"

#define LOG_LEN		(2 * UT_MiB)
#define AU		(2 * UT_MiB)
#define ENTRIES		0x1000u
#define TAIL0		0x200u
#define TAIL1		0x240u

static uint32_t seed_of(uint8_t first)
{
	uint8_t u[16];

	ut_uuid(u, first);
	return ref_crc32c(0, u, 16);
}

static void assert_msg_nonempty(const struct famfs_why *why)
{
	assert_true(why->msg[0] != '\0');
}

/* ---- log header -------------------------------------------------------- */

static void hdr_by_hand(const struct famfs_log_info *li, uint8_t *b)
{
	memset(b, 0, 512);
	put_le64(b + 0x000, 0x474f4c53464d4146ull);
	put_le32(b + 0x008, 1);
	put_le32(b + 0x00c, li->entry_max);
	memcpy(b + 0x010, li->fs_uuid, 16);
	put_le64(b + 0x020, li->log_len);
	put_le64(b + 0x028, li->entries_off);
	put_le32(b + 0x1fc, ref_crc32c(0, b, 0x1fc));
}

/* The header mkfs writes for an 8 MiB log of the fs with UUID 0x10.. */
static void valid_li(struct famfs_log_info *li)
{
	memset(li, 0, sizeof(*li));
	ut_uuid(li->fs_uuid, 0x10);
	li->log_len = 8 * UT_MiB;
	li->entries_off = ENTRIES;
	li->entry_max = 4096;
}

static void valid_sbi(struct famfs_sb_info *s)
{
	memset(s, 0, sizeof(*s));
	s->version = 1;
	s->flags = FAMFS_SB_PRIMARY;
	ut_uuid(s->fs_uuid, 0x10);
	ut_uuid(s->dev_uuid, 0x20);
	s->dev_size = UT_GiB;
	s->alloc_unit = AU;
	s->log_offset = 2 * UT_MiB;
	s->log_len = 8 * UT_MiB;
	s->data_offset = 10 * UT_MiB;
}

static void test_hdr_golden(void **state)
{
	struct famfs_log_info li = {
		.log_len = 0x0102030405060708ull,
		.entries_off = 0x1112131415161718ull,
		.entry_max = 0x21222324,
		.seed = 0xdeadbeef,
	};
	uint8_t want[512], got[512];

	(void)state;
	ut_uuid(li.fs_uuid, 0x60);
	hdr_by_hand(&li, want);
	memset(got, 0x5a, sizeof(got));
	famfs_log_hdr_encode(&li, got);
	assert_memory_equal(got, want, sizeof(want));
	/* "FAMFSLOG" */
	assert_memory_equal(got, "FAMFSLOG", 8);

	valid_li(&li);
	hdr_by_hand(&li, want);
	famfs_log_hdr_encode(&li, got);
	assert_memory_equal(got, want, sizeof(want));
}

static void test_hdr_decode(void **state)
{
	struct famfs_log_info li, d;
	struct famfs_sb_info s;
	struct famfs_why why = { "" };
	uint8_t buf[512];

	(void)state;
	valid_li(&li);
	valid_sbi(&s);
	hdr_by_hand(&li, buf);
	memset(&d, 0xee, sizeof(d));
	assert_int_equal(famfs_log_hdr_decode(buf, &s, &d, &why), 0);
	assert_memory_equal(d.fs_uuid, li.fs_uuid, 16);
	assert_int_equal(d.log_len, 8 * UT_MiB);
	assert_int_equal(d.entries_off, ENTRIES);
	assert_int_equal(d.entry_max, 4096);
	assert_int_equal(d.seed, seed_of(0x10));
}

static void test_hdr_every_byte(void **state)
{
	static const uint8_t masks[] = { 0x01, 0x80, 0xff };
	struct famfs_log_info li, d;
	struct famfs_sb_info s;
	uint8_t good[512], buf[512];

	(void)state;
	valid_li(&li);
	valid_sbi(&s);
	famfs_log_hdr_encode(&li, good);
	assert_int_equal(famfs_log_hdr_decode(good, &s, &d, NULL), 0);
	for (int off = 0; off < 512; off++) {
		for (size_t m = 0; m < sizeof(masks); m++) {
			int rc;

			memcpy(buf, good, sizeof(buf));
			buf[off] ^= masks[m];
			rc = famfs_log_hdr_decode(buf, &s, &d, NULL);
			if (rc >= 0)
				fail_msg("header byte %#x ^ %#x accepted", off,
					 masks[m]);
		}
	}
}

static void test_hdr_other_fs(void **state)
{
	struct famfs_log_info li, d;
	struct famfs_sb_info s;
	struct famfs_why why = { "" };
	uint8_t buf[512];

	(void)state;
	valid_li(&li);
	valid_sbi(&s);
	li.fs_uuid[15] ^= 0x01;		/* a valid header of another fs */
	famfs_log_hdr_encode(&li, buf);
	assert_int_equal(famfs_log_hdr_decode(buf, &s, &d, &why), -ESTALE);
	assert_non_null(strstr(why.msg, "another filesystem"));
}

static void test_hdr_rules(void **state)
{
	struct famfs_log_info li, d;
	struct famfs_sb_info s;
	struct famfs_why why = { "" };
	uint8_t buf[512];

	(void)state;
	valid_sbi(&s);
	valid_li(&li);
	li.log_len = 4 * UT_MiB;	/* the superblock says 8 MiB */
	famfs_log_hdr_encode(&li, buf);
	assert_int_equal(famfs_log_hdr_decode(buf, &s, &d, NULL), -EUCLEAN);
	valid_li(&li);
	li.entries_off = 0x2000;
	famfs_log_hdr_encode(&li, buf);
	assert_int_equal(famfs_log_hdr_decode(buf, &s, &d, NULL), -EUCLEAN);
	valid_li(&li);
	li.entry_max = 8192;
	famfs_log_hdr_encode(&li, buf);
	assert_int_equal(famfs_log_hdr_decode(buf, &s, &d, NULL), -EUCLEAN);

	valid_li(&li);
	famfs_log_hdr_encode(&li, buf);
	buf[0] = 'f';
	put_le32(buf + 0x1fc, ref_crc32c(0, buf, 0x1fc));
	assert_int_equal(famfs_log_hdr_decode(buf, &s, &d, &why), -EUCLEAN);
	assert_non_null(strstr(why.msg, "magic"));

	famfs_log_hdr_encode(&li, buf);
	buf[0x100] = 1;			/* reserved, caught by the CRC */
	assert_int_equal(famfs_log_hdr_decode(buf, &s, &d, &why), -EBADMSG);
	assert_msg_nonempty(&why);
}

/* ---- tail record -------------------------------------------------------- */

static void tail_by_hand(uint64_t gen, uint64_t off, uint64_t seq,
			 uint32_t seed, uint8_t *b)
{
	memset(b, 0, 64);
	put_le64(b + 0x00, gen);
	put_le64(b + 0x08, off);
	put_le64(b + 0x10, seq);
	put_le32(b + 0x3c, ref_crc32c(seed, b, 0x3c));
}

/* log_info of a 2 MiB log, fs UUID 0x10.. */
static void small_li(struct famfs_log_info *li)
{
	memset(li, 0, sizeof(*li));
	ut_uuid(li->fs_uuid, 0x10);
	li->log_len = LOG_LEN;
	li->entries_off = ENTRIES;
	li->entry_max = 4096;
	li->seed = seed_of(0x10);
}

static void test_tail_golden(void **state)
{
	struct famfs_tail t = {
		.gen = 0x0102030405060708ull,
		.next_off = 0x1112131415161718ull,
		.next_seq = 0x2122232425262728ull,
	};
	uint8_t want[64], got[80];

	(void)state;
	tail_by_hand(t.gen, t.next_off, t.next_seq, seed_of(0x10), want);
	memset(got, 0x77, sizeof(got));
	famfs_tail_encode(&t, seed_of(0x10), got);
	assert_memory_equal(got, want, 64);
	for (int i = 64; i < 80; i++)
		assert_int_equal(got[i], 0x77);
	/* the seed is the fs seed, not 0 */
	tail_by_hand(t.gen, t.next_off, t.next_seq, 0, want);
	assert_memory_not_equal(got, want, 64);
}

static void test_tail_decode(void **state)
{
	struct famfs_log_info li;
	struct famfs_tail t;
	uint8_t buf[64];

	(void)state;
	small_li(&li);
	tail_by_hand(3, ENTRIES + 96, 2, li.seed, buf);
	memset(&t, 0, sizeof(t));
	assert_int_equal(famfs_tail_decode(buf, &li, &t), 0);
	assert_int_equal(t.gen, 3);
	assert_int_equal(t.next_off, ENTRIES + 96);
	assert_int_equal(t.next_seq, 2);
	/* a tail made with another filesystem's seed */
	tail_by_hand(3, ENTRIES + 96, 2, seed_of(0x11), buf);
	assert_int_equal(famfs_tail_decode(buf, &li, &t), -EBADMSG);
}

static void test_tail_every_byte(void **state)
{
	static const uint8_t masks[] = { 0x01, 0x80, 0xff, 0x04 };
	struct famfs_log_info li;
	struct famfs_tail t;
	uint8_t good[64], buf[64];

	(void)state;
	small_li(&li);
	tail_by_hand(7, ENTRIES + 48 * 5, 5, li.seed, good);
	assert_int_equal(famfs_tail_decode(good, &li, &t), 0);
	for (int off = 0; off < 64; off++) {
		for (size_t m = 0; m < sizeof(masks); m++) {
			memcpy(buf, good, sizeof(buf));
			buf[off] ^= masks[m];
			if (famfs_tail_decode(buf, &li, &t) >= 0)
				fail_msg("tail byte %#x ^ %#x accepted", off,
					 masks[m]);
		}
	}
}

static int tail_rc(uint64_t gen, uint64_t off, uint64_t seq)
{
	struct famfs_log_info li;
	struct famfs_tail t;
	uint8_t buf[64];

	small_li(&li);
	tail_by_hand(gen, off, seq, li.seed, buf);
	return famfs_tail_decode(buf, &li, &t);
}

static void test_tail_rules(void **state)
{
	(void)state;
	assert_int_equal(tail_rc(1, ENTRIES, 0), 0);
	assert_int_equal(tail_rc(0, ENTRIES, 0), -EUCLEAN);
	assert_int_equal(tail_rc(1, ENTRIES - 8, 0), -EUCLEAN);
	assert_int_equal(tail_rc(1, 0, 0), -EUCLEAN);
	assert_int_equal(tail_rc(1, LOG_LEN, 1), 0);
	assert_int_equal(tail_rc(1, LOG_LEN + 8, 1), -EUCLEAN);
	assert_int_equal(tail_rc(1, ENTRIES + 52, 1), -EUCLEAN);
	/* at most one entry per 24 bytes */
	assert_int_equal(tail_rc(1, ENTRIES + 48, 2), 0);
	assert_int_equal(tail_rc(1, ENTRIES + 48, 3), -EUCLEAN);
	/* no entries <=> no bytes */
	assert_int_equal(tail_rc(1, ENTRIES + 48, 0), -EUCLEAN);
	assert_int_equal(tail_rc(1, ENTRIES, 1), -EUCLEAN);
	assert_int_equal(tail_rc(UINT64_MAX, ENTRIES, 0), 0);
}

/* ---- a formatted in-memory device ------------------------------------- */

struct fx {
	struct famfs_dev dev;
	struct famfs_sb_info sbi;
	struct famfs_log log;
	struct famfs_entry e;
	uint8_t *copy;			/* LOG_LEN bytes */
	struct famfs_tail copy_tail;	/* the tail when copy was taken */
};

static int setup(void **state)
{
	struct famfs_mkfs_opts o = {
		.log_len = LOG_LEN, .alloc_unit = AU, .mkfs_time = 1700000000,
	};
	struct famfs_why why = { "" };
	struct fx *f = calloc(1, sizeof(*f));
	int rc;

	if (!f)
		return -1;
	f->copy = malloc(LOG_LEN);
	if (!f->copy ||
	    ut_mem_dev_init(&f->dev, famfs_min_dev_size(LOG_LEN, AU)))
		return -1;
	ut_uuid(o.fs_uuid, 0x10);
	ut_uuid(o.dev_uuid, 0x20);
	ut_uuid(o.master_uuid, 0x30);
	rc = famfs_mkfs_plan(&f->dev, &o, &f->sbi, &why);
	if (!rc)
		rc = famfs_mkfs_write(&f->dev, &f->sbi, &why);
	if (!rc)
		rc = famfs_sb_decode(f->dev.base, f->dev.size, &f->sbi, &why);
	if (!rc)
		rc = famfs_log_open(&f->log, &f->dev, &f->sbi, &why);
	if (!rc)
		rc = famfs_log_read_tail(&f->log, &why);
	if (rc) {
		print_error("setup: %d %s\n", rc, why.msg);
		return -1;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	ut_mem_dev_free(&f->dev);
	free(f->copy);
	free(f);
	return 0;
}

static uint8_t *log_base(struct fx *f)
{
	return f->dev.base + 2 * UT_MiB;
}

static void snapshot(struct fx *f)
{
	memcpy(f->copy, log_base(f), LOG_LEN);
	f->copy_tail = f->log.tail;
}

/* @len bytes of path: components of at most 100 bytes; @buf has len + 1. */
static void make_path(char *buf, size_t len, unsigned int tag)
{
	char t[16];
	size_t n = (size_t)snprintf(t, sizeof(t), "%u", tag);

	for (size_t i = 0; i < len; i++)
		buf[i] = (i % 100 == 99 && i != len - 1) ? '/' : 'p';
	if (n > len)
		n = len;
	memcpy(buf, t, n);	/* distinct names */
	buf[len] = '\0';
}

static void assert_unchanged(struct fx *f)
{
	if (memcmp(f->copy, log_base(f), LOG_LEN)) {
		size_t i = 0;

		while (f->copy[i] == log_base(f)[i])
			i++;
		fail_msg("a failed append changed the log at offset %#zx (tail %#" PRIx64 ")",
			 i, f->copy_tail.next_off);
	}
}

static void assert_clean_after_tail(struct fx *f)
{
	uint64_t d = famfs_log_first_dirty(&f->log, f->log.tail.next_off,
					   LOG_LEN);

	if (d != LOG_LEN)
		fail_msg("nonzero byte at %#" PRIx64 " after the tail at %#" PRIx64,
			 d, f->log.tail.next_off);
	/* and by a plain byte loop, independent of first_dirty */
	for (uint64_t i = f->log.tail.next_off; i < LOG_LEN; i++)
		if (log_base(f)[i])
			fail_msg("byte %#" PRIx64 " is nonzero", i);
}

static int append_mkdir(struct fx *f, const char *path)
{
	struct famfs_why why = { "" };

	memset(&f->e, 0, sizeof(f->e));
	f->e.seq = 12345;		/* append assigns the sequence */
	f->e.type = FAMFS_ENTRY_MKDIR;
	f->e.dir.mode = 0755;
	assert_int_equal(famfs_entry_set_path(&f->e, path), 0);
	return famfs_log_append(&f->log, &f->e, &why);
}

/* A FILE of @n extents (2 MiB each, all used) at @path. */
static int append_file(struct fx *f, const char *path, uint32_t n)
{
	struct famfs_why why = { "" };

	memset(&f->e, 0, sizeof(f->e));
	f->e.seq = 12345;
	f->e.type = FAMFS_ENTRY_FILE;
	f->e.file.mode = 0644;
	f->e.file.ext_type = FAMFS_EXT_SIMPLE;
	f->e.file.nextents = n;
	f->e.file.size = n * AU;
	for (uint32_t i = 0; i < n; i++)
		f->e.file.ext[i] = (struct famfs_extent){
			.dev = 0, .offset = f->sbi.data_offset + i * AU,
			.len = AU,
		};
	assert_int_equal(famfs_entry_set_path(&f->e, path), 0);
	return famfs_log_append(&f->log, &f->e, &why);
}

/* What a scan saw. */
#define MAXSEEN 64
struct seen {
	uint64_t n;
	uint64_t seq[MAXSEEN], off[MAXSEEN];
	uint32_t type[MAXSEEN], len[MAXSEEN];
	char path[MAXSEEN][32];
	uint64_t stop_at;		/* return 42 at this entry, if nonzero */
};

static int collect(void *arg, const struct famfs_entry *e, uint64_t off)
{
	struct seen *s = arg;

	if (s->stop_at && s->n == s->stop_at)
		return 42;
	if (s->n < MAXSEEN) {
		s->seq[s->n] = e->seq;
		s->off[s->n] = off;
		s->type[s->n] = e->type;
		s->len[s->n] = e->len;
		snprintf(s->path[s->n], sizeof(s->path[0]), "%.31s", e->path);
	}
	s->n++;
	return 0;
}

/* Scan the committed log; it must hold exactly the tail's entries. */
static void assert_scan_matches_tail(struct fx *f)
{
	struct famfs_scan res;
	int rc;

	rc = famfs_log_scan(&f->log, ENTRIES, 0, f->log.tail.next_off, NULL,
			    NULL, &res);
	assert_int_equal(rc, 0);
	if (res.err)
		fail_msg("scan stopped: %d %s", res.err, res.why.msg);
	assert_int_equal(res.entries, f->log.tail.next_seq);
	assert_int_equal(res.next_seq, f->log.tail.next_seq);
	assert_int_equal(res.end_off, f->log.tail.next_off);
}

/* The tail as it is in memory, read back like another host would. */
static void reread_tail(struct fx *f, struct famfs_tail *t)
{
	struct famfs_log l = f->log;

	assert_int_equal(famfs_log_read_tail(&l, NULL), 0);
	*t = l.tail;
}

static void test_mkfs_log(void **state)
{
	struct fx *f = *state;

	assert_int_equal(f->log.tail.gen, 2);
	assert_int_equal(f->log.tail.next_off, ENTRIES);
	assert_int_equal(f->log.tail.next_seq, 0);
	assert_int_equal(f->log.slot_err[0], 0);
	assert_int_equal(f->log.slot_err[1], 0);
	assert_int_equal(f->log.info.log_len, LOG_LEN);
	assert_int_equal(f->log.info.seed, seed_of(0x10));
	assert_ptr_equal(f->log.base, log_base(f));
	/* the header is at the log offset, generation 1 in slot 1 */
	assert_memory_equal(log_base(f), "FAMFSLOG", 8);
	assert_int_equal(get_le64(log_base(f) + TAIL1), 1);
	assert_int_equal(get_le64(log_base(f) + TAIL0), 2);
	assert_clean_after_tail(f);
	assert_scan_matches_tail(f);
}

static void test_log_open_rules(void **state)
{
	struct fx *f = *state;
	struct famfs_sb_info s = f->sbi;
	struct famfs_log l;
	struct famfs_why why = { "" };

	s.flags = 0;
	assert_int_equal(famfs_log_open(&l, &f->dev, &s, &why), -ENOTBLK);
	s = f->sbi;
	s.fs_uuid[0] ^= 0xff;
	assert_int_equal(famfs_log_open(&l, &f->dev, &s, &why), -ESTALE);
	s = f->sbi;
	assert_int_equal(famfs_log_open(&l, &f->dev, &s, &why), 0);
	assert_int_equal(l.tail.next_off, ENTRIES);
}

static void test_append_and_scan(void **state)
{
	static const char *const paths[] = {
		"d0", "d0/f0", "d1", "d1/f1", "d0/sub", "d0/sub/long-file-name",
		"d2",
	};
	struct fx *f = *state;
	struct seen s = { 0 };
	struct famfs_scan res;
	uint64_t off = ENTRIES;
	size_t n = sizeof(paths) / sizeof(paths[0]);

	for (size_t i = 0; i < n; i++) {
		struct famfs_tail t;
		int rc;

		rc = (i % 2) ? append_file(f, paths[i], (uint32_t)i)
			     : append_mkdir(f, paths[i]);
		assert_int_equal(rc, 0);
		assert_int_equal(f->e.seq, i);
		assert_int_equal(f->log.tail.next_seq, i + 1);
		assert_int_equal(f->log.tail.gen, 3 + i);
		off += (uint64_t)famfs_entry_size(&f->e);
		assert_int_equal(f->log.tail.next_off, off);
		assert_clean_after_tail(f);
		reread_tail(f, &t);
		assert_int_equal(t.gen, f->log.tail.gen);
		assert_int_equal(t.next_off, f->log.tail.next_off);
		assert_int_equal(t.next_seq, f->log.tail.next_seq);
	}
	assert_int_equal(famfs_log_scan(&f->log, ENTRIES, 0, f->log.tail.next_off,
					collect, &s, &res), 0);
	assert_int_equal(res.err, 0);
	assert_int_equal(s.n, n);
	off = ENTRIES;
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(s.seq[i], i);
		assert_int_equal(s.off[i], off);
		assert_int_equal(s.type[i], (i % 2) ? FAMFS_ENTRY_FILE
						    : FAMFS_ENTRY_MKDIR);
		assert_string_equal(s.path[i], paths[i]);
		off += s.len[i];
	}
	assert_int_equal(off, f->log.tail.next_off);
}

/* Scanning past the tail stops at zeroed memory, after every entry. */
static void test_scan_to_end(void **state)
{
	struct fx *f = *state;
	struct famfs_scan res;

	for (int i = 0; i < 5; i++) {
		char p[16];

		snprintf(p, sizeof(p), "x%d", i);
		assert_int_equal(append_mkdir(f, p), 0);
	}
	assert_int_equal(famfs_log_scan(&f->log, ENTRIES, 0, UINT64_MAX, NULL,
					NULL, &res), 0);
	assert_int_equal(res.entries, 5);
	assert_int_equal(res.err, -ENODATA);
	assert_int_equal(res.end_off, f->log.tail.next_off);
	/* starting the scan with the wrong sequence fails at once */
	assert_int_equal(famfs_log_scan(&f->log, ENTRIES, 1, LOG_LEN, NULL,
					NULL, &res), 0);
	assert_int_equal(res.entries, 0);
	assert_int_equal(res.err, -EUCLEAN);
	assert_int_equal(res.end_off, ENTRIES);
}

static void test_scan_callback_stops(void **state)
{
	struct fx *f = *state;
	struct seen s = { .stop_at = 2 };
	struct famfs_scan res;

	for (int i = 0; i < 4; i++)
		assert_int_equal(append_mkdir(f, i % 2 ? "bb" : "a"), 0);
	assert_int_equal(famfs_log_scan(&f->log, ENTRIES, 0, LOG_LEN, collect,
					&s, &res), 42);
	assert_int_equal(s.n, 2);
	assert_int_equal(res.next_seq, 2);
	assert_int_equal(res.end_off, s.off[1] + s.len[1]);
}

static void put_tail(struct fx *f, int slot, uint64_t gen, uint64_t off,
		     uint64_t seq)
{
	tail_by_hand(gen, off, seq, seed_of(0x10),
		     log_base(f) + (slot ? TAIL1 : TAIL0));
}

static void test_tail_newest_wins(void **state)
{
	struct fx *f = *state;
	struct famfs_why why = { "" };

	for (int i = 0; i < 3; i++)
		assert_int_equal(append_mkdir(f, "dd"), 0);
	/* three 48-byte entries */
	put_tail(f, 0, 10, ENTRIES + 96, 2);
	put_tail(f, 1, 9, ENTRIES + 48, 1);
	assert_int_equal(famfs_log_read_tail(&f->log, &why), 0);
	assert_int_equal(f->log.tail.gen, 10);
	assert_int_equal(f->log.tail.next_seq, 2);
	put_tail(f, 1, 11, ENTRIES + 144, 3);
	assert_int_equal(famfs_log_read_tail(&f->log, &why), 0);
	assert_int_equal(f->log.tail.gen, 11);
	assert_int_equal(f->log.tail.next_off, ENTRIES + 144);
	assert_int_equal(f->log.tail.next_seq, 3);
	assert_int_equal(f->log.slot_err[0], 0);
	assert_int_equal(f->log.slot_err[1], 0);
}

/* Generation g belongs in slot g & 1; a copy in the wrong slot is ignored. */
static void test_tail_wrong_slot(void **state)
{
	struct fx *f = *state;

	put_tail(f, 1, 8, ENTRIES, 0);		/* even gen in slot 1 */
	assert_int_equal(famfs_log_read_tail(&f->log, NULL), 0);
	assert_int_equal(f->log.tail.gen, 2);
	assert_int_equal(f->log.slot_err[1], -EUCLEAN);
	assert_int_equal(f->log.slot_err[0], 0);
}

static void test_tail_newest_corrupt(void **state)
{
	struct fx *f = *state;
	struct famfs_tail t;
	struct seen s = { 0 };
	struct famfs_scan res;
	uint64_t third;

	assert_int_equal(append_mkdir(f, "a"), 0);
	assert_int_equal(append_file(f, "a/f", 3), 0);
	third = f->log.tail.next_off;
	assert_int_equal(append_file(f, "a/g", 20), 0);	/* gen 5, slot 1 */
	assert_int_equal(f->log.tail.gen, 5);
	/* a torn write (or later damage) of generation 5 */
	log_base(f)[TAIL1 + 0x09] ^= 0x40;
	assert_int_equal(famfs_log_read_tail(&f->log, NULL), 0);
	assert_int_equal(f->log.slot_err[1], -EBADMSG);
	assert_int_equal(f->log.slot_err[0], 0);
	/* generation 4 is used, rolled forward over the complete entry 2 */
	assert_int_equal(f->log.tail.gen, 4);
	assert_int_equal(f->log.rolled, 1);
	assert_int_equal(f->log.tail.next_seq, 3);
	assert_int_not_equal(f->log.tail.next_off, third);
	assert_scan_matches_tail(f);
	assert_clean_after_tail(f);

	/* the next append heals the damaged slot (gen 5), goes after entry 2
	 * and publishes gen 6 */
	assert_int_equal(append_mkdir(f, "b"), 0);
	assert_int_equal(f->log.tail.gen, 6);
	assert_clean_after_tail(f);
	assert_int_equal(f->log.rolled, 0);
	reread_tail(f, &t);
	assert_int_equal(t.gen, 6);
	assert_int_equal(t.next_seq, 4);
	assert_int_equal(famfs_log_scan(&f->log, ENTRIES, 0, LOG_LEN, collect,
					&s, &res), 0);
	assert_int_equal(s.n, 4);
	assert_string_equal(s.path[2], "a/g");
	assert_string_equal(s.path[3], "b");
	assert_int_equal(res.err, -ENODATA);
}

/*
 * After a roll forward, a publish torn in its turn still keeps its entry:
 * the append healed the damaged slot first, so the older record is the
 * rolled tail and rolls forward to the new entry (not one entry short).
 */
static void test_torn_publish_after_roll(void **state)
{
	struct fx *f = *state;

	assert_int_equal(append_mkdir(f, "a"), 0);
	assert_int_equal(append_mkdir(f, "a/b"), 0);	/* gen 4, slot 0 */
	log_base(f)[TAIL0 + 0x11] ^= 0x02;		/* torn gen 4 */
	assert_int_equal(famfs_log_read_tail(&f->log, NULL), 0);
	assert_int_equal(f->log.rolled, 1);
	assert_int_equal(f->log.tail.next_seq, 2);
	assert_int_equal(append_mkdir(f, "c"), 0);	/* heals 4, publishes 5 */
	log_base(f)[TAIL1 + 0x05] ^= 0x10;		/* gen 5 torn */
	assert_int_equal(famfs_log_read_tail(&f->log, NULL), 0);
	assert_int_equal(f->log.tail.gen, 4);
	assert_int_equal(f->log.rolled, 1);
	assert_int_equal(f->log.tail.next_seq, 3);	/* "c" is there */
	assert_scan_matches_tail(f);
}

/*
 * An append interrupted before its tail write: both slots intact, the
 * entry after the tail stays uncommitted and is not rolled forward.
 */
static void test_tail_no_roll_when_slots_intact(void **state)
{
	struct fx *f = *state;
	uint64_t before;

	assert_int_equal(append_mkdir(f, "a"), 0);
	before = f->log.tail.next_off;
	assert_int_equal(f->log.tail.gen, 3);
	assert_int_equal(append_file(f, "a/f", 3), 0);
	/* as if the tail write of entry 1 never happened: slot 0 as mkfs left it */
	put_tail(f, 0, 2, ENTRIES, 0);
	assert_int_equal(famfs_log_read_tail(&f->log, NULL), 0);
	assert_int_equal(f->log.tail.gen, 3);
	assert_int_equal(f->log.slot_err[0], 0);
	assert_int_equal(f->log.slot_err[1], 0);
	assert_int_equal(f->log.rolled, 0);
	assert_int_equal(f->log.tail.next_seq, 1);
	assert_int_equal(f->log.tail.next_off, before);
	assert_int_equal(famfs_log_first_dirty(&f->log, before, LOG_LEN), before);
}

static void test_tail_older_corrupt(void **state)
{
	struct fx *f = *state;

	assert_int_equal(append_mkdir(f, "a"), 0);	/* gen 3, slot 1 */
	log_base(f)[TAIL0 + 0x3c] ^= 0x01;		/* gen 2's CRC */
	assert_int_equal(famfs_log_read_tail(&f->log, NULL), 0);
	assert_int_equal(f->log.tail.gen, 3);
	assert_int_equal(f->log.tail.next_seq, 1);
	assert_int_equal(f->log.slot_err[0], -EBADMSG);
	assert_int_equal(f->log.slot_err[1], 0);
}

static void test_tail_both_corrupt(void **state)
{
	struct fx *f = *state;
	struct famfs_why why = { "" };

	log_base(f)[TAIL0 + 0x00] ^= 0x01;
	log_base(f)[TAIL1 + 0x20] ^= 0x80;
	assert_int_equal(famfs_log_read_tail(&f->log, &why), -EBADMSG);
	assert_msg_nonempty(&why);
	/* zeroed slots are not valid either */
	memset(log_base(f) + TAIL0, 0, 0x80);
	assert_int_equal(famfs_log_read_tail(&f->log, NULL), -EBADMSG);
}

/* Append @path, but snapshot first when the log is nearly full. */
static int append_checked(struct fx *f, int big, unsigned int i)
{
	char path[FAMFS_PATH_MAX + 1];
	int rc;

	if (LOG_LEN - f->log.tail.next_off < FAMFS_ENTRY_MAX)
		snapshot(f);
	if (big) {
		/* 32 extents and a long path: about 1.8 KiB */
		make_path(path, 1000, i);
		rc = append_file(f, path, 32);
	} else {
		snprintf(path, sizeof(path), "s%u", i % 100000);
		rc = append_mkdir(f, path);
	}
	return rc;
}

static void check_full(struct fx *f, uint64_t n)
{
	struct famfs_tail before = f->copy_tail, t;

	assert_int_equal(f->log.tail.next_seq, n);
	assert_int_equal(f->log.tail.next_off, before.next_off);
	assert_unchanged(f);
	assert_int_equal(f->log.tail.gen, before.gen);
	reread_tail(f, &t);
	assert_int_equal(t.gen, before.gen);
	assert_int_equal(t.next_off, before.next_off);
	assert_int_equal(t.next_seq, n);
	assert_scan_matches_tail(f);
	assert_clean_after_tail(f);
}

static void test_log_full(void **state)
{
	struct fx *f = *state;
	struct famfs_why why = { "" };
	uint64_t n = 0;
	int rc;

	/* a mix of large and small entries until a large one does not fit */
	for (;;) {
		rc = append_checked(f, n % 3 != 2, (unsigned int)n);
		if (rc)
			break;
		n++;
	}
	assert_int_equal(rc, -ENOSPC);
	assert_true(n > 100);
	check_full(f, n);

	/* then the smallest entries until not even one fits */
	for (;;) {
		rc = append_checked(f, 0, (unsigned int)n);
		if (rc)
			break;
		n++;
	}
	assert_int_equal(rc, -ENOSPC);
	check_full(f, n);
	assert_true(LOG_LEN - f->log.tail.next_off < 48);
	/* the reason is given */
	rc = famfs_log_append(&f->log, &f->e, &why);
	assert_int_equal(rc, -ENOSPC);
	assert_non_null(strstr(why.msg, "full"));
}

/* Fill the log to its last byte: the tail may equal the log length. */
static void test_log_fill_exact(void **state)
{
	struct fx *f = *state;
	char path[FAMFS_PATH_MAX + 1];
	uint64_t n = 0, left;

	/* MKDIR entries are 48..1064 bytes in steps of 8 */
	while ((left = LOG_LEN - f->log.tail.next_off) > 0) {
		uint64_t len = left >= 1064 + 48 ? 1064 : left;

		if (len > 1064)
			len = left - 48;	/* leave one smallest entry */
		make_path(path, len - 41, (unsigned int)n); /* 24 + 16 + NUL */
		assert_int_equal(append_mkdir(f, path), 0);
		assert_int_equal(famfs_entry_size(&f->e), len);
		n++;
	}
	assert_int_equal(f->log.tail.next_off, LOG_LEN);
	snapshot(f);
	assert_int_equal(append_mkdir(f, "x"), -ENOSPC);
	check_full(f, n);
}

/* An append interrupted before its tail was published. */
static void test_torn_append(void **state)
{
	struct fx *f = *state;
	struct famfs_entry *e = calloc(1, sizeof(*e));
	struct seen s = { 0 };
	struct famfs_scan res;
	uint64_t tail;
	int len;

	assert_non_null(e);
	assert_int_equal(append_mkdir(f, "a"), 0);
	assert_int_equal(append_mkdir(f, "b"), 0);
	tail = f->log.tail.next_off;

	e->type = FAMFS_ENTRY_FILE;
	e->seq = f->log.tail.next_seq;
	e->file.size = 1;
	e->file.nextents = 10;
	for (int i = 0; i < 10; i++)
		e->file.ext[i] = (struct famfs_extent){ .offset = 0xa00000,
							.len = 4096 };
	assert_int_equal(famfs_entry_set_path(e, "a/torn-entry"), 0);
	len = famfs_entry_encode(e, f->log.info.seed, log_base(f) + tail,
				 LOG_LEN - tail);
	free(e);
	assert_true(len > 48);

	/* not committed: the scan up to the tail does not see it */
	assert_scan_matches_tail(f);
	assert_int_equal(f->log.tail.next_seq, 2);
	/* but it is there */
	assert_int_equal(famfs_log_first_dirty(&f->log, tail, LOG_LEN), tail);
	assert_int_equal(famfs_log_first_dirty(&f->log, tail + (uint64_t)len,
					       LOG_LEN), LOG_LEN);

	/* a shorter entry takes its place; the rest is zeroed */
	assert_int_equal(append_mkdir(f, "c"), 0);
	assert_int_equal(f->log.tail.next_off, tail + 48);
	assert_clean_after_tail(f);
	assert_int_equal(famfs_log_scan(&f->log, ENTRIES, 0, LOG_LEN, collect,
					&s, &res), 0);
	assert_int_equal(s.n, 3);
	assert_string_equal(s.path[2], "c");
	assert_int_equal(s.type[2], FAMFS_ENTRY_MKDIR);
}

/* Garbage anywhere in the window after the tail is cleared by an append. */
static void test_torn_garbage(void **state)
{
	struct fx *f = *state;
	uint64_t tail;

	assert_int_equal(append_mkdir(f, "a"), 0);
	tail = f->log.tail.next_off;
	log_base(f)[tail + 7] = 0x11;
	log_base(f)[tail + 1000] = 0x22;
	log_base(f)[tail + FAMFS_ENTRY_MAX - 1] = 0x33;
	assert_int_equal(famfs_log_first_dirty(&f->log, tail, LOG_LEN),
			 tail + 7);
	assert_int_equal(famfs_log_first_dirty(&f->log, tail + 8, LOG_LEN),
			 tail + 1000);
	assert_int_equal(append_mkdir(f, "b"), 0);
	assert_clean_after_tail(f);
	assert_scan_matches_tail(f);
}

/* An append the decoder refuses must leave the log as it was. */
static void test_refused_append_leaves_log(void **state)
{
	struct fx *f = *state;
	struct famfs_tail before;
	int rc;

	assert_int_equal(append_mkdir(f, "a"), 0);
	before = f->log.tail;
	snapshot(f);
	rc = append_mkdir(f, "a//b");
	assert_true(rc < 0);
	assert_int_equal(f->log.tail.gen, before.gen);
	assert_int_equal(f->log.tail.next_off, before.next_off);
	assert_int_equal(f->log.tail.next_seq, before.next_seq);
	assert_unchanged(f);
	assert_clean_after_tail(f);
}

static void test_first_dirty(void **state)
{
	static const uint64_t offs[] = {
		ENTRIES, ENTRIES + 1, ENTRIES + 7, ENTRIES + 8, ENTRIES + 63,
		ENTRIES + 64, ENTRIES + 513, 0x7ffff, LOG_LEN - 65,
		LOG_LEN - 8, LOG_LEN - 1,
	};
	struct fx *f = *state;

	assert_int_equal(famfs_log_first_dirty(&f->log, ENTRIES, LOG_LEN),
			 LOG_LEN);
	for (size_t i = 0; i < sizeof(offs) / sizeof(offs[0]); i++) {
		uint64_t o = offs[i];

		log_base(f)[o] = 0x80;
		assert_int_equal(famfs_log_first_dirty(&f->log, ENTRIES,
						       LOG_LEN), o);
		/* every start alignment before it */
		for (uint64_t from = o - 70; from <= o; from++)
			assert_int_equal(famfs_log_first_dirty(&f->log, from,
							       o + 1), o);
		assert_int_equal(famfs_log_first_dirty(&f->log, o + 1, LOG_LEN),
				 LOG_LEN);
		/* end bounds the search */
		assert_int_equal(famfs_log_first_dirty(&f->log, ENTRIES, o), o);
		assert_int_equal(famfs_log_first_dirty(&f->log, o - 64, o - 1),
				 o - 1);
		log_base(f)[o] = 0;
	}
}

/* ---- zero_range ---------------------------------------------------------- */

#define ZPAGES 64
#define PG 4096

static sigjmp_buf segv_jmp;

static void on_segv(int sig)
{
	(void)sig;
	siglongjmp(segv_jmp, 1);
}

static void test_zero_range_counts(void **state)
{
	struct famfs_log l = { 0 };
	uint8_t *m = calloc(ZPAGES, PG);
	uint64_t z, dirty = 0;

	(void)state;
	assert_non_null(m);
	l.base = m;
	l.info.log_len = ZPAGES * PG;
	assert_int_equal(famfs_log_zero_range(&l, 0, ZPAGES * PG), 0);
	/* scattered dirty bytes in blocks 3, 4 and 40 */
	m[3 * PG + 100] = 1;
	m[3 * PG + 2000] = 2;
	m[4 * PG + PG - 1] = 3;
	m[40 * PG + 17] = 4;
	for (size_t i = 0; i < ZPAGES * PG; i++)
		dirty += m[i] != 0;
	z = famfs_log_zero_range(&l, 0, ZPAGES * PG);
	for (size_t i = 0; i < ZPAGES * PG; i++)
		if (m[i])
			fail_msg("byte %#zx still nonzero", i);
	/* at least the dirty bytes, at most their three blocks */
	assert_true(z >= dirty);
	assert_true(z <= 3 * PG);
	assert_int_equal(famfs_log_zero_range(&l, 0, ZPAGES * PG), 0);

	/* only inside [off, end) */
	m[10 * PG] = 9;
	m[20 * PG] = 9;
	z = famfs_log_zero_range(&l, 10 * PG + 1, 20 * PG);
	assert_int_equal(z, 0);
	assert_int_equal(m[10 * PG], 9);
	assert_int_equal(m[20 * PG], 9);
	/* a dirty last byte: exactly that byte to write */
	z = famfs_log_zero_range(&l, 10 * PG, 10 * PG + 1);
	assert_int_equal(z, 1);
	assert_int_equal(m[10 * PG], 0);
	assert_int_equal(m[20 * PG], 9);
	free(m);
}

/* Clean pages are never written: they are read-only during the call. */
static void test_zero_range_skips_clean(void **state)
{
	struct sigaction sa = { 0 }, old;
	struct famfs_log l = { 0 };
	uint8_t *m;
	volatile uint64_t z = 0;
	volatile int faulted;

	(void)state;
	m = mmap(NULL, ZPAGES * PG, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(m != MAP_FAILED);
	l.base = m;
	l.info.log_len = ZPAGES * PG;
	m[5 * PG + 3] = 1;
	m[6 * PG + PG - 1] = 1;
	m[50 * PG] = 1;
	for (int p = 0; p < ZPAGES; p++)
		if (p != 5 && p != 6 && p != 50)
			assert_int_equal(mprotect(m + p * PG, PG, PROT_READ), 0);
	sa.sa_handler = on_segv;
	sigemptyset(&sa.sa_mask);
	assert_int_equal(sigaction(SIGSEGV, &sa, &old), 0);
	faulted = sigsetjmp(segv_jmp, 1);
	if (!faulted)
		z = famfs_log_zero_range(&l, 0, ZPAGES * PG);
	sigaction(SIGSEGV, &old, NULL);
	assert_int_equal(mprotect(m, ZPAGES * PG, PROT_READ | PROT_WRITE), 0);
	if (faulted) {
		munmap(m, ZPAGES * PG);
		fail_msg("zero_range wrote to a clean page");
	}
	assert_int_equal(m[5 * PG + 3], 0);
	assert_int_equal(m[6 * PG + PG - 1], 0);
	assert_int_equal(m[50 * PG], 0);
	assert_true(z >= 3 && z <= 3 * PG);
	munmap(m, ZPAGES * PG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hdr_golden),
		cmocka_unit_test(test_hdr_decode),
		cmocka_unit_test(test_hdr_every_byte),
		cmocka_unit_test(test_hdr_other_fs),
		cmocka_unit_test(test_hdr_rules),
		cmocka_unit_test(test_tail_golden),
		cmocka_unit_test(test_tail_decode),
		cmocka_unit_test(test_tail_every_byte),
		cmocka_unit_test(test_tail_rules),
		cmocka_unit_test_setup_teardown(test_mkfs_log, setup, teardown),
		cmocka_unit_test_setup_teardown(test_log_open_rules, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_append_and_scan, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_scan_to_end, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_scan_callback_stops, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_tail_newest_wins, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_tail_wrong_slot, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_tail_newest_corrupt, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_torn_publish_after_roll,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_tail_no_roll_when_slots_intact,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_tail_older_corrupt, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_tail_both_corrupt, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_log_full, setup, teardown),
		cmocka_unit_test_setup_teardown(test_log_fill_exact, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_torn_append, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_torn_garbage, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_refused_append_leaves_log,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_first_dirty, setup,
						teardown),
		cmocka_unit_test(test_zero_range_counts),
		cmocka_unit_test(test_zero_range_skips_clean),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
