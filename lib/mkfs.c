// SPDX-License-Identifier: Apache-2.0
/*
 * Formatting a primary device.  famfs_mkfs_plan() computes and validates the
 * superblock without touching the device; famfs_mkfs_write() then writes,
 * in this order: the old superblock is zeroed (killed), the log region is
 * cleaned (only bytes that are not already zero are written), the log header
 * and both tail slots, and finally the superblock.  A crash at any point
 * leaves no valid superblock describing a half-written log.  File data is
 * never touched, so the time does not grow with the device size.
 */
#include <inttypes.h>
#include <string.h>
#include <uuid/uuid.h>

#include "famfs_fault.h"
#include "famfs_log.h"
#include "famfs_mkfs.h"
#include "omf.h"

static int uuid_zero(const uint8_t u[16])
{
	static const uint8_t z[16];

	return !memcmp(u, z, 16);
}

int famfs_mkfs_plan(const struct famfs_dev *dev,
		    const struct famfs_mkfs_opts *o, struct famfs_sb_info *sbi,
		    struct famfs_why *why)
{
	uint64_t log_len = o->log_len ? o->log_len
				      : famfs_auto_log_len(dev->size);
	uint64_t au = o->alloc_unit ? o->alloc_unit : FAMFS_ALLOC_UNIT_DEFAULT;
	int rc;

	rc = famfs_check_geometry(dev->size, log_len, au, why);
	if (rc)
		return rc;
	memset(sbi, 0, sizeof(*sbi));
	sbi->version = FAMFS_FORMAT_VERSION;
	sbi->flags = FAMFS_SB_PRIMARY;
	if (uuid_zero(o->fs_uuid))
		uuid_generate(sbi->fs_uuid);
	else
		memcpy(sbi->fs_uuid, o->fs_uuid, 16);
	if (uuid_zero(o->dev_uuid))
		uuid_generate(sbi->dev_uuid);
	else
		memcpy(sbi->dev_uuid, o->dev_uuid, 16);
	memcpy(sbi->master_uuid, o->master_uuid, 16);
	sbi->dev_size = dev->size;
	sbi->alloc_unit = au;
	sbi->log_offset = FAMFS_LOG_OFFSET;
	sbi->log_len = log_len;
	sbi->data_offset = famfs_data_offset(FAMFS_LOG_OFFSET, log_len, au);
	sbi->mkfs_time = o->mkfs_time;
	sbi->incompat = o->first_release ? 0 : FAMFS_FEATURE_INCOMPAT_MKFS;
	if (au <= FAMFS_PACK_GRANULE ||
	    dev->size / FAMFS_PACK_GRANULE > FAMFS_DEV_UNITS_MAX)
		sbi->incompat &= ~FAMFS_FEATURE_PACKED;	/* nothing to pack */
	return 0;
}

int famfs_kill_super(struct famfs_dev *dev, struct famfs_why *why)
{
	if (!(dev->flags & FAMFS_DEV_RDWR)) {
		famfs_why_set(why, "device is open read-only");
		return -EROFS;
	}
	/*
	 * The whole superblock, not only its magic: a later superblock write
	 * cut after the magic must not complete the old one again.
	 */
	famfs_meta_zero(dev->base, FAMFS_SB_SIZE, "kill");
	famfs_flush(dev->base, FAMFS_SB_SIZE);
	return famfs_dev_sync(dev);
}

/* The superblock, written last, flushed and synced. */
static int write_super(struct famfs_dev *dev, const struct famfs_sb_info *sbi,
		       struct famfs_why *why)
{
	uint8_t buf[FAMFS_SB_SIZE];
	int rc;

	famfs_sb_encode(sbi, buf);
	famfs_meta_store(dev->base, buf, FAMFS_SB_SIZE, "superblock");
	famfs_flush(dev->base, FAMFS_SB_SIZE);
	rc = famfs_dev_sync(dev);
	if (rc)
		famfs_why_set(why, "cannot sync the superblock: %s", strerror(-rc));
	return rc;
}

/* Tail generation @gen (empty log) into its slot. */
static void put_tail(struct famfs_log *log, uint64_t gen)
{
	struct famfs_tail t = { .gen = gen, .next_off = FAMFS_LOG_ENTRIES };
	struct famfs_dtail d;

	famfs_tail_encode(&t, log->info.seed, &d);
	famfs_meta_store(log->base + (gen & 1 ? FAMFS_LOG_TAIL1 : FAMFS_LOG_TAIL0),
			 &d, sizeof(d), "tail");
}

int famfs_mkfs_write(struct famfs_dev *dev, const struct famfs_sb_info *sbi,
		     struct famfs_why *why)
{
	struct famfs_log log = { .dev = dev };
	uint8_t buf[FAMFS_SB_SIZE];
	int rc;

	rc = famfs_kill_super(dev, why);
	if (rc)
		return rc;
	log.base = dev->base;
	log.info.log_len = sbi->log_offset + sbi->log_len;
	famfs_log_zero_range(&log, FAMFS_SB_SIZE, log.info.log_len);

	log.base = dev->base + sbi->log_offset;
	memcpy(log.info.fs_uuid, sbi->fs_uuid, 16);
	log.info.log_len = sbi->log_len;
	log.info.entries_off = FAMFS_LOG_ENTRIES;
	log.info.entry_max = famfs_log_entry_max(sbi->incompat);
	log.info.seed = famfs_fs_seed(sbi->fs_uuid);
	famfs_log_hdr_encode(&log.info, buf);
	famfs_meta_store(log.base, buf, FAMFS_LOG_HDR_SIZE, "log header");
	famfs_flush(log.base, FAMFS_LOG_HDR_SIZE);
	/* both slots valid from the start: generation 1 and 2, same tail */
	put_tail(&log, 1);
	put_tail(&log, 2);
	famfs_flush(log.base + FAMFS_LOG_TAIL0, 2 * sizeof(struct famfs_dtail));
	rc = famfs_dev_sync(dev);
	if (rc) {
		famfs_why_set(why, "cannot sync the log: %s", strerror(-rc));
		return rc;
	}
	return write_super(dev, sbi, why);
}

/*
 * The superblock of secondary device @index of the filesystem whose primary
 * superblock is @primary, on @dev; nothing is written.
 */
int famfs_mkfs_plan_secondary(const struct famfs_dev *dev,
			      const struct famfs_sb_info *primary,
			      uint32_t index, struct famfs_sb_info *sbi,
			      struct famfs_why *why)
{
	uint64_t au = primary->alloc_unit;
	uint64_t data = famfs_data_offset(0, FAMFS_SB_REGION, au);

	if (index == 0 || index >= FAMFS_MAX_DEVICES) {
		famfs_why_set(why, "a filesystem has at most %u devices",
			      FAMFS_MAX_DEVICES);
		return -E2BIG;
	}
	if (dev->size < data + au) {
		famfs_why_set(why, "device is %" PRIu64 " bytes, a secondary device needs at least %" PRIu64 " (superblock region and one allocation unit)",
			      dev->size, data + au);
		return -ENOSPC;
	}
	if (dev->size / au > FAMFS_DEV_UNITS_MAX) {
		famfs_why_set(why, "device is %" PRIu64 " bytes: more than %llu allocation units of %" PRIu64 " bytes (use a larger unit)",
			      dev->size, FAMFS_DEV_UNITS_MAX, au);
		return -EFBIG;
	}
	memset(sbi, 0, sizeof(*sbi));
	sbi->version = FAMFS_FORMAT_VERSION;
	sbi->dev_index = index;
	memcpy(sbi->fs_uuid, primary->fs_uuid, 16);
	uuid_generate(sbi->dev_uuid);
	memcpy(sbi->master_uuid, primary->master_uuid, 16);
	memcpy(sbi->primary_uuid, primary->dev_uuid, 16);
	sbi->dev_size = dev->size;
	sbi->alloc_unit = au;
	sbi->data_offset = data;
	sbi->mkfs_time = primary->mkfs_time;
	return 0;
}

/* Kill the old magic, then write the secondary superblock and sync. */
int famfs_mkfs_write_secondary(struct famfs_dev *dev,
			       const struct famfs_sb_info *sbi,
			       struct famfs_why *why)
{
	int rc = famfs_kill_super(dev, why);

	return rc ? rc : write_super(dev, sbi, why);
}
