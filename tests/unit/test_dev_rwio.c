// SPDX-License-Identifier: Apache-2.0
/*
 * The pread/pwrite access of dev.c, which a device-dax device bound to
 * fsdev_dax always gets (its char device has no mmap), run here on memfd
 * images opened with FAMFS_DEV_RWIO: stores reach the device only when
 * flushed, invalidate reloads and keeps (writes back) a line stored to
 * and not flushed, and mkfs, replay and log appends work through it with
 * the same bytes as through a mapping.
 */
#include "unit_fs.h"

#define IMG	(64 * UNIT_MiB)

static void test_rwio_flush(void **state)
{
	struct famfs_why why = { "" };
	struct famfs_dev dev;
	struct uimg im;
	uint8_t b[256];

	(void)state;
	uimg_create(&im, IMG);
	assert_int_equal(famfs_dev_open(&dev, im.path, FAMFS_DEV_RDWR |
					FAMFS_DEV_RWIO, &why), 0);
	assert_int_equal(dev.rwio, 1);
	assert_int_equal(dev.size, IMG);
	memset(dev.base + 1000, 0xab, 100);
	assert_int_equal(uimg_byte(&im, 1000), 0);	/* not flushed yet */
	famfs_flush(dev.base + 1000, 100);
	uimg_read(&im, 960, b, sizeof(b));
	for (int i = 0; i < (int)sizeof(b); i++)	/* exactly the bytes */
		assert_int_equal(b[i], i >= 40 && i < 140 ? 0xab : 0);
	/* a flush of a clean range writes nothing: the device keeps a
	 * store of another host that this copy has not seen */
	uimg_write(&im, 1200, "x", 1);
	famfs_flush(dev.base + 1000, 400);
	assert_int_equal(uimg_byte(&im, 1200), 'x');
	assert_int_equal(dev.base[1200], 0);
	assert_int_equal(famfs_dev_sync(&dev), 0);
	famfs_dev_close(&dev);
	uimg_destroy(&im);
}

static void test_rwio_invalidate(void **state)
{
	struct famfs_why why = { "" };
	struct famfs_dev dev;
	struct uimg im;

	(void)state;
	uimg_create(&im, IMG);
	assert_int_equal(famfs_dev_open(&dev, im.path, FAMFS_DEV_RDWR |
					FAMFS_DEV_RWIO, &why), 0);
	/* another host's store: seen after invalidate, not before */
	uimg_write(&im, 5 * UNIT_MiB, "other", 5);
	assert_int_equal(dev.base[5 * UNIT_MiB], 0);
	famfs_invalidate(dev.base + 5 * UNIT_MiB, 5);
	assert_memory_equal(dev.base + 5 * UNIT_MiB, "other", 5);
	/* our unflushed store survives an invalidate, and is written back */
	memcpy(dev.base + 4096, "mine", 4);
	uimg_write(&im, 4096 + 64, "next", 4);	/* the next line */
	famfs_invalidate(dev.base + 4096, 128);
	assert_memory_equal(dev.base + 4096, "mine", 4);
	assert_memory_equal(dev.base + 4096 + 64, "next", 4);
	assert_int_equal(uimg_byte(&im, 4096), 'm');
	/* the last bytes of the device */
	uimg_write(&im, IMG - 3, "end", 3);
	famfs_invalidate(dev.base + IMG - 3, 3);
	assert_memory_equal(dev.base + IMG - 3, "end", 3);
	famfs_dev_close(&dev);
	uimg_destroy(&im);
}

/* mkfs, appends and replay through pread/pwrite; read back mapped. */
static void test_rwio_filesystem(void **state)
{
	struct famfs_mkfs_opts o = { .mkfs_time = 1700000000 };
	struct famfs_why why = { "" };
	struct famfs_fs fs;
	struct famfs_dev dev;
	struct uimg im, ref;
	uint8_t *a, *b;

	(void)state;
	memset(o.fs_uuid, 0x11, 16);
	memset(o.dev_uuid, 0x22, 16);
	memset(o.master_uuid, 0x5a, 16);
	uimg_create(&im, IMG);
	uimg_create(&ref, IMG);
	assert_int_equal(famfs_dev_open(&dev, im.path, FAMFS_DEV_RDWR |
					FAMFS_DEV_EXCL | FAMFS_DEV_RWIO, &why), 0);
	assert_int_equal(famfs_mkfs_plan(&dev, &o, &im.sb, &why), 0);
	assert_int_equal(famfs_mkfs_write(&dev, &im.sb, &why), 0);
	famfs_dev_close(&dev);
	assert_int_equal(famfs_dev_open(&dev, ref.path, FAMFS_DEV_RDWR |
					FAMFS_DEV_EXCL, &why), 0);
	assert_int_equal(famfs_mkfs_plan(&dev, &o, &ref.sb, &why), 0);
	assert_int_equal(famfs_mkfs_write(&dev, &ref.sb, &why), 0);
	famfs_dev_close(&dev);

	assert_int_equal(ufs_open(&fs, &im, FAMFS_DEV_RDWR | FAMFS_DEV_RWIO), 0);
	ufs_mkdir(&fs, "d");
	ufs_mkfile(&fs, "d/f", 3 * UNIT_MiB);
	famfs_fs_close(&fs);
	assert_int_equal(ufs_open(&fs, &ref, FAMFS_DEV_RDWR), 0);
	ufs_mkdir(&fs, "d");
	ufs_mkfile(&fs, "d/f", 3 * UNIT_MiB);
	famfs_fs_close(&fs);

	/* superblock, log header and tails: the same bytes either way
	 * (the entries hold the time of the create) */
	a = uimg_snapshot(&im);
	b = uimg_snapshot(&ref);
	assert_memory_equal(a, b, ref.sb.log_offset + FAMFS_LOG_ENTRIES);
	free(a);
	free(b);
	assert_int_equal(ufs_open(&fs, &im, 0), 2);	/* mapped, two entries */
	assert_non_null(ufs_lookup(&fs, "d/f"));
	famfs_fs_close(&fs);
	assert_int_equal(ufs_open(&fs, &im, FAMFS_DEV_RWIO), 2);
	assert_non_null(ufs_lookup(&fs, "d/f"));
	famfs_fs_close(&fs);
	uimg_destroy(&im);
	uimg_destroy(&ref);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rwio_flush),
		cmocka_unit_test(test_rwio_invalidate),
		cmocka_unit_test(test_rwio_filesystem),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
