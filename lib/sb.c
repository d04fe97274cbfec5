// SPDX-License-Identifier: Apache-2.0
/*
 * Superblock: encode, and decode + validate at the boundary.
 *
 * Checks run in a fixed order: magic, incompat features, geometry against
 * the device, then the CRC.  The first failure is returned with one message.
 */
#include <inttypes.h>
#include <string.h>

#include "famfs.h"
#include "famfs_endian.h"
#include "omf.h"

#define MiB ((uint64_t)1 << 20)

static int is_pow2(uint64_t v)
{
	return v && !(v & (v - 1));
}

static uint64_t round_up(uint64_t v, uint64_t align)
{
	return (v + align - 1) & ~(align - 1);
}

static int uuid_is_zero(const uint8_t u[16])
{
	static const uint8_t zero[16];

	return !memcmp(u, zero, 16);
}

uint64_t famfs_data_offset(uint64_t log_offset, uint64_t log_len,
			   uint64_t alloc_unit)
{
	return round_up(log_offset + log_len, alloc_unit);
}

/* The smallest device: metadata plus 32 MiB (at least one unit) of data. */
uint64_t famfs_min_dev_size(uint64_t log_len, uint64_t alloc_unit)
{
	uint64_t data = alloc_unit > 32 * MiB ? alloc_unit : 32 * MiB;

	return famfs_data_offset(FAMFS_LOG_OFFSET, log_len, alloc_unit) + data;
}

/* The rules for an allocation unit and a log length, in one place. */
int famfs_check_alloc_unit(uint64_t au, struct famfs_why *why)
{
	if (is_pow2(au) && au >= FAMFS_ALLOC_UNIT_MIN &&
	    au <= FAMFS_ALLOC_UNIT_MAX)
		return 0;
	famfs_why_set(why, "allocation unit %" PRIu64 " is not a power of two from 4 KiB to 1 GiB",
		      au);
	return -EINVAL;
}

int famfs_check_log_len(uint64_t log_len, struct famfs_why *why)
{
	if (log_len >= FAMFS_LOG_LEN_ALIGN && log_len <= FAMFS_LOG_LEN_MAX &&
	    log_len % FAMFS_LOG_LEN_ALIGN == 0)
		return 0;
	famfs_why_set(why, "log length %" PRIu64 " is not a multiple of 2 MiB from 2 MiB to 1 GiB",
		      log_len);
	return -EINVAL;
}

int famfs_check_geometry(uint64_t dev_size, uint64_t log_len,
			 uint64_t alloc_unit, struct famfs_why *why)
{
	uint64_t min;

	if (famfs_check_alloc_unit(alloc_unit, why) ||
	    famfs_check_log_len(log_len, why))
		return -EINVAL;
	if (dev_size / alloc_unit > FAMFS_DEV_UNITS_MAX) {
		famfs_why_set(why, "device of %" PRIu64 " bytes has more than 2^32 allocation units of %" PRIu64 " bytes: use a larger unit",
			      dev_size, alloc_unit);
		return -EFBIG;
	}
	min = famfs_min_dev_size(log_len, alloc_unit);
	if (dev_size < min) {
		famfs_why_set(why, "device is %" PRIu64 " bytes, the minimum for this log length and allocation unit is %" PRIu64 " bytes (%" PRIu64 " MiB)",
			      dev_size, min, min / MiB);
		return -ENOSPC;
	}
	return 0;
}

void famfs_sb_encode(const struct famfs_sb_info *sbi, void *buf)
{
	struct famfs_dsb *d = buf;

	memset(d, 0, sizeof(*d));
	d->s_magic = le64_put(FAMFS_SB_MAGIC);
	d->s_version = le32_put(sbi->version);
	d->s_flags = le32_put(sbi->flags);
	d->s_feature_compat = le32_put(sbi->compat);
	d->s_feature_incompat = le32_put(sbi->incompat);
	d->s_feature_ro_compat = le32_put(sbi->ro_compat);
	d->s_dev_index = le32_put(sbi->dev_index);
	memcpy(d->s_fs_uuid, sbi->fs_uuid, 16);
	memcpy(d->s_dev_uuid, sbi->dev_uuid, 16);
	memcpy(d->s_master_uuid, sbi->master_uuid, 16);
	memcpy(d->s_primary_uuid, sbi->primary_uuid, 16);
	d->s_dev_size = le64_put(sbi->dev_size);
	d->s_alloc_unit = le64_put(sbi->alloc_unit);
	d->s_log_offset = le64_put(sbi->log_offset);
	d->s_log_len = le64_put(sbi->log_len);
	d->s_data_offset = le64_put(sbi->data_offset);
	d->s_mkfs_time = le64_put(sbi->mkfs_time);
	d->s_crc = le32_put(famfs_crc32c(0, d, offsetof(struct famfs_dsb, s_crc)));
}

static void sb_unpack(const struct famfs_dsb *d, struct famfs_sb_info *s)
{
	s->version = le32_get(d->s_version);
	s->flags = le32_get(d->s_flags);
	s->compat = le32_get(d->s_feature_compat);
	s->incompat = le32_get(d->s_feature_incompat);
	s->ro_compat = le32_get(d->s_feature_ro_compat);
	s->dev_index = le32_get(d->s_dev_index);
	memcpy(s->fs_uuid, d->s_fs_uuid, 16);
	memcpy(s->dev_uuid, d->s_dev_uuid, 16);
	memcpy(s->master_uuid, d->s_master_uuid, 16);
	memcpy(s->primary_uuid, d->s_primary_uuid, 16);
	s->dev_size = le64_get(d->s_dev_size);
	s->alloc_unit = le64_get(d->s_alloc_unit);
	s->log_offset = le64_get(d->s_log_offset);
	s->log_len = le64_get(d->s_log_len);
	s->data_offset = le64_get(d->s_data_offset);
	s->mkfs_time = le64_get(d->s_mkfs_time);
}

static int sb_check_primary(const struct famfs_sb_info *s,
			    struct famfs_why *why)
{
	struct famfs_why g;

	if (s->dev_index != 0 || !uuid_is_zero(s->primary_uuid)) {
		famfs_why_set(why, "primary superblock names device index %u or a primary device",
			      s->dev_index);
		return -EFSCORRUPTED;
	}
	if (s->log_offset != FAMFS_LOG_OFFSET) {
		famfs_why_set(why, "log offset %#" PRIx64 " is not %#llx",
			      s->log_offset, FAMFS_LOG_OFFSET);
		return -EFSCORRUPTED;
	}
	if (famfs_check_geometry(s->dev_size, s->log_len, s->alloc_unit, &g)) {
		famfs_why_set(why, "superblock geometry: %s", g.msg);
		return -EFSCORRUPTED;
	}
	if (s->data_offset != famfs_data_offset(s->log_offset, s->log_len,
						s->alloc_unit)) {
		famfs_why_set(why, "data offset %#" PRIx64 " does not follow the log",
			      s->data_offset);
		return -EFSCORRUPTED;
	}
	if ((s->incompat & FAMFS_FEATURE_PACKED) &&
	    (s->alloc_unit <= FAMFS_PACK_GRANULE ||
	     s->dev_size / FAMFS_PACK_GRANULE > FAMFS_DEV_UNITS_MAX)) {
		famfs_why_set(why, "packed files with a %" PRIu64 "-byte allocation unit on %" PRIu64 " bytes",
			      s->alloc_unit, s->dev_size);
		return -EFSCORRUPTED;
	}
	return 0;
}

static int sb_check_secondary(const struct famfs_sb_info *s,
			      struct famfs_why *why)
{
	uint64_t au = s->alloc_unit;

	if (s->dev_index == 0 || s->dev_index >= FAMFS_MAX_DEVICES ||
	    uuid_is_zero(s->primary_uuid)) {
		famfs_why_set(why, "secondary superblock has device index %u and %s primary",
			      s->dev_index,
			      uuid_is_zero(s->primary_uuid) ? "no" : "a");
		return -EFSCORRUPTED;
	}
	if (s->log_offset || s->log_len) {
		famfs_why_set(why, "secondary superblock describes a log");
		return -EFSCORRUPTED;
	}
	if (!is_pow2(au) || au < FAMFS_ALLOC_UNIT_MIN ||
	    au > FAMFS_ALLOC_UNIT_MAX ||
	    s->data_offset != famfs_data_offset(0, FAMFS_SB_REGION, au) ||
	    s->dev_size < s->data_offset + au ||
	    s->dev_size / au > FAMFS_DEV_UNITS_MAX) {
		famfs_why_set(why, "secondary superblock geometry is invalid");
		return -EFSCORRUPTED;
	}
	return 0;
}

/*
 * A master that turns a feature on rewrites the primary superblock, where
 * only s_feature_incompat (line 0) and s_crc (the last line) change
 * (create.c).  A crash inside that store can leave one of the two new and
 * the other old; each is an aligned 4-byte word, which no store tears.
 * Such a superblock is whole but for the write in flight: its stored CRC
 * is that of the same bytes with the incompat mask differing in first-use
 * bits only.  Returns the bits in which the masks differ, or 0 if the CRC
 * matches no such superblock (127 candidates: a random damage matches one
 * with a chance of 3e-8).
 */
static uint32_t torn_feature_write(const struct famfs_dsb *d)
{
	const uint32_t first_use = FAMFS_FEATURE_INCOMPAT_SUPP &
				   ~FAMFS_FEATURE_MKFS_ONLY;
	uint32_t incompat = le32_get(d->s_feature_incompat);
	struct famfs_dsb t = *d;

	for (uint32_t x = 1; x <= first_use; x++) {
		if (x & ~first_use)
			continue;
		t.s_feature_incompat = le32_put(incompat ^ x);
		if (famfs_crc32c(0, &t, offsetof(struct famfs_dsb, s_crc)) ==
		    le32_get(d->s_crc))
			return x;
	}
	return 0;
}

int famfs_sb_decode(const void *buf, uint64_t dev_size,
		    struct famfs_sb_info *s, struct famfs_why *why)
{
	const struct famfs_dsb *d = buf;
	uint32_t crc;
	int rc;

	if (le64_get(d->s_magic) != FAMFS_SB_MAGIC) {
		famfs_why_set(why, "no famfs superblock (bad magic)");
		return -ENODATA;
	}
	sb_unpack(d, s);
	if (s->incompat & ~FAMFS_FEATURE_INCOMPAT_SUPP) {
		char names[128];

		famfs_features_str(s->incompat & ~FAMFS_FEATURE_INCOMPAT_SUPP,
				   names, sizeof(names));
		famfs_why_set(why, "filesystem uses incompatible features this famfs does not know (%s, mask %#x): upgrade famfs",
			      names, s->incompat & ~FAMFS_FEATURE_INCOMPAT_SUPP);
		return -EOPNOTSUPP;
	}
	if (s->flags & ~FAMFS_SB_FLAGS_ALL) {
		famfs_why_set(why, "unknown superblock flags %#x", s->flags);
		return -EFSCORRUPTED;
	}
	if (uuid_is_zero(s->fs_uuid) || uuid_is_zero(s->dev_uuid)) {
		famfs_why_set(why, "superblock has a null filesystem or device UUID");
		return -EFSCORRUPTED;
	}
	rc = famfs_sb_is_primary(s) ? sb_check_primary(s, why)
				    : sb_check_secondary(s, why);
	if (rc)
		return rc;
	if (dev_size && s->dev_size > dev_size) {
		famfs_why_set(why, "filesystem is %" PRIu64 " bytes but the device has only %" PRIu64,
			      s->dev_size, dev_size);
		return -EFSCORRUPTED;
	}
	crc = famfs_crc32c(0, d, offsetof(struct famfs_dsb, s_crc));
	s->torn_features = 0;
	if (crc != le32_get(d->s_crc) && famfs_sb_is_primary(s))
		s->torn_features = torn_feature_write(d);
	if (s->torn_features) {		/* both masks: either may be on media */
		s->incompat |= s->torn_features;
		return 0;
	}
	if (crc != le32_get(d->s_crc)) {
		famfs_why_set(why, "superblock checksum mismatch (stored %#x, computed %#x)",
			      le32_get(d->s_crc), crc);
		return -EFSBADCRC;
	}
	return 0;
}

int famfs_sb_is_primary(const struct famfs_sb_info *sbi)
{
	return !!(sbi->flags & FAMFS_SB_PRIMARY);
}

/*
 * The granule of extents and of the allocation bitmaps: 4 KiB on a
 * filesystem with packed small files, else the allocation unit.
 */
uint64_t famfs_sb_granule(const struct famfs_sb_info *sbi)
{
	return sbi->incompat & FAMFS_FEATURE_PACKED ? FAMFS_PACK_GRANULE
						    : sbi->alloc_unit;
}

/*
 * The default log length for a device of @dev_size bytes: 1/256 of it
 * (256 bytes, about one file entry, per 64 KiB of memory), rounded up to
 * 2 MiB, at least 8 MiB and at most 512 MiB.
 */
uint64_t famfs_auto_log_len(uint64_t dev_size)
{
	uint64_t len = round_up(dev_size >> FAMFS_LOG_AUTO_SHIFT,
				FAMFS_LOG_LEN_ALIGN);

	if (len < FAMFS_LOG_LEN_DEFAULT)
		return FAMFS_LOG_LEN_DEFAULT;
	return len > FAMFS_LOG_LEN_AUTO_MAX ? FAMFS_LOG_LEN_AUTO_MAX : len;
}

/* Nonzero when unknown ro_compat features forbid writing the log. */
int famfs_sb_ro_features(const struct famfs_sb_info *sbi)
{
	return !!(sbi->ro_compat & ~FAMFS_FEATURE_RO_COMPAT_SUPP);
}
