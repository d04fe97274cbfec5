// SPDX-License-Identifier: Apache-2.0
/*
 * The metadata log (log.c) on an in-memory device formatted by
 * famfs_mkfs_write(): the two tail slots, scan, append, "log full" and torn
 * appends.  The header and tail images and zeroing are in
 * test_log_format.c.
 */
#include "log_util.h"

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
				 LOG_LEN - tail, NULL);
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
	assert_int_equal(rc, -EFSCORRUPTED);
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

/* a test on a freshly formatted in-memory device */
#define FX(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		FX(test_mkfs_log),
		FX(test_log_open_rules),
		FX(test_append_and_scan),
		FX(test_scan_to_end),
		FX(test_scan_callback_stops),
		FX(test_tail_newest_wins),
		FX(test_tail_wrong_slot),
		FX(test_tail_newest_corrupt),
		FX(test_torn_publish_after_roll),
		FX(test_tail_no_roll_when_slots_intact),
		FX(test_tail_older_corrupt),
		FX(test_tail_both_corrupt),
		FX(test_log_full),
		FX(test_log_fill_exact),
		FX(test_torn_append),
		FX(test_torn_garbage),
		FX(test_refused_append_leaves_log),
		FX(test_first_dirty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
