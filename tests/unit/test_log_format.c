// SPDX-License-Identifier: Apache-2.0
/*
 * The metadata log (log.c), its images: the log header and the tail record
 * (golden bytes, decode, every byte changed, the rules), and zeroing a range
 * (famfs_log_zero_range touches only what is dirty).  Appends, scans and
 * the two tail slots on a formatted device are in test_log.c.
 */
#include "log_util.h"

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

/* what the log header decoder refuses with */
static const int hdr_errs[] = { EFSCORRUPTED, EFSBADCRC, 0 };
/* and the tail record's */
static const int tail_errs[] = { EFSCORRUPTED, EFSBADCRC, 0 };

static void test_hdr_every_byte(void **state)
{
	static const uint8_t masks[] = { 0x01, 0x80, 0xff };
	struct famfs_log_info li, d;
	struct famfs_sb_info s;
	uint8_t good[512], buf[512];
	unsigned int bad = 0;

	(void)state;
	valid_li(&li);
	valid_sbi(&s);
	famfs_log_hdr_encode(&li, good);
	assert_int_equal(famfs_log_hdr_decode(good, &s, &d, NULL), 0);
	for (int off = 0; off < 512; off++) {
		for (size_t m = 0; m < sizeof(masks); m++) {
			struct famfs_why why = { "" };
			int rc;

			memcpy(buf, good, sizeof(buf));
			buf[off] ^= masks[m];
			rc = famfs_log_hdr_decode(buf, &s, &d, &why);
			ut_refused(rc, hdr_errs, why.msg, &bad,
				   "header byte %#x ^ %#x", off, masks[m]);
		}
	}
	assert_int_equal(bad, 0);
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
	unsigned int bad = 0;

	(void)state;
	small_li(&li);
	tail_by_hand(7, ENTRIES + 48 * 5, 5, li.seed, good);
	assert_int_equal(famfs_tail_decode(good, &li, &t), 0);
	for (int off = 0; off < 64; off++) {
		for (size_t m = 0; m < sizeof(masks); m++) {
			memcpy(buf, good, sizeof(buf));
			buf[off] ^= masks[m];
			/* no reason to give: a reader falls back to the
			 * other slot */
			ut_refused(famfs_tail_decode(buf, &li, &t), tail_errs,
				   NULL, &bad, "tail byte %#x ^ %#x", off,
				   masks[m]);
		}
	}
	assert_int_equal(bad, 0);
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
		cmocka_unit_test(test_zero_range_counts),
		cmocka_unit_test(test_zero_range_skips_clean),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
