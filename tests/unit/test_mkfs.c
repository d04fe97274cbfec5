// SPDX-License-Identifier: Apache-2.0
/*
 * mkfs over an old filesystem, cut while it writes the new superblock:
 * famfs_mkfs_write() zeroes the whole old superblock first, so no prefix
 * of the new one over what is left ever decodes - not even the prefixes
 * whose bytes equal the old superblock's (same magic, version, flags),
 * which with only the old magic killed completed the old superblock again
 * in front of the new log.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "famfs_mkfs.h"
#include "unit_util.h"

#define LOG_LEN	(2 * UT_MiB)
#define AU	4096u

static int format(struct famfs_dev *dev, int id, struct famfs_sb_info *sbi)
{
	struct famfs_mkfs_opts o = {
		.log_len = LOG_LEN, .alloc_unit = AU, .mkfs_time = 1700000000,
	};
	struct famfs_why why = { "" };
	int rc;

	ut_uuid(o.fs_uuid, (uint8_t)(0x10 + id));
	ut_uuid(o.dev_uuid, (uint8_t)(0x20 + id));
	ut_uuid(o.master_uuid, 0x30);
	rc = famfs_mkfs_plan(dev, &o, sbi, &why);
	return rc ? rc : famfs_mkfs_write(dev, sbi, &why);
}

static void test_torn_superblock_over_old(void **state)
{
	struct famfs_sb_info old, sbi, got;
	struct famfs_dev dev;
	uint8_t newsb[FAMFS_SB_SIZE];
	size_t same = 0;

	(void)state;
	assert_int_equal(ut_mem_dev_init(&dev, famfs_min_dev_size(LOG_LEN, AU)), 0);
	assert_int_equal(format(&dev, 0, &old), 0);
	assert_int_equal(format(&dev, 1, &sbi), 0);	/* the new one */
	memcpy(newsb, dev.base, sizeof(newsb));
	assert_int_equal(format(&dev, 0, &old), 0);	/* the old one again */
	while (same < sizeof(newsb) && newsb[same] == dev.base[same])
		same++;
	assert_true(same >= 8);		/* the magic at least is shared */
	assert_int_equal(famfs_kill_super(&dev, NULL), 0);
	for (size_t k = 0; k < sizeof(newsb); k++) {
		memcpy(dev.base, newsb, k);
		if (!famfs_sb_decode(dev.base, dev.size, &got, NULL))
			fail_msg("the first %zu bytes of the new superblock decode", k);
	}
	memcpy(dev.base, newsb, sizeof(newsb));
	assert_int_equal(famfs_sb_decode(dev.base, dev.size, &got, NULL), 0);
	assert_memory_equal(got.fs_uuid, sbi.fs_uuid, 16);
	ut_mem_dev_free(&dev);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_torn_superblock_over_old),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
