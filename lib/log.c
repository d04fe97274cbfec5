// SPDX-License-Identifier: Apache-2.0
/*
 * The metadata log: header, tail record, scan (replay pass 1) and append.
 *
 * Invariant kept by mkfs, append and fsck --repair: every byte of the log
 * after the committed tail is zero.  An interrupted append can only leave
 * bytes in [tail, tail + entry_max); the next append rewrites or zeroes
 * that window before it publishes, and fsck reports it as a torn tail.
 */
#include <fcntl.h>
#include <inttypes.h>
#include <string.h>

#include "famfs.h"
#include "famfs_log.h"
#include "famfs_endian.h"
#include "omf.h"
#include "famfs_fault.h"

/* The entry size limit and terminator window of a log. */
uint32_t famfs_log_entry_max(uint32_t incompat)
{
	return incompat & FAMFS_FEATURE_LARGE_ENTRY ? FAMFS_ENTRY_MAX_LARGE
						    : FAMFS_ENTRY_MAX_V1;
}

void famfs_log_hdr_encode(const struct famfs_log_info *li, void *buf)
{
	struct famfs_dlog *d = buf;

	memset(d, 0, sizeof(*d));
	d->l_magic = le64_put(FAMFS_LOG_MAGIC);
	d->l_version = le32_put(FAMFS_FORMAT_VERSION);
	d->l_entry_max = le32_put(li->entry_max);
	memcpy(d->l_fs_uuid, li->fs_uuid, 16);
	d->l_log_len = le64_put(li->log_len);
	d->l_entries_off = le64_put(li->entries_off);
	d->l_crc = le32_put(famfs_crc32c(0, d, offsetof(struct famfs_dlog, l_crc)));
}

int famfs_log_hdr_decode(const void *buf, const struct famfs_sb_info *sbi,
			 struct famfs_log_info *li, struct famfs_why *why)
{
	const struct famfs_dlog *d = buf;
	uint32_t crc;

	if (le64_get(d->l_magic) != FAMFS_LOG_MAGIC) {
		famfs_why_set(why, "no log header at offset %#" PRIx64 " (bad magic)",
			      sbi->log_offset);
		return -EFSCORRUPTED;
	}
	memcpy(li->fs_uuid, d->l_fs_uuid, 16);
	li->log_len = le64_get(d->l_log_len);
	li->entries_off = le64_get(d->l_entries_off);
	li->entry_max = le32_get(d->l_entry_max);
	li->seed = famfs_fs_seed(li->fs_uuid);
	if (li->log_len != sbi->log_len || li->entries_off != FAMFS_LOG_ENTRIES ||
	    li->entry_max != famfs_log_entry_max(sbi->incompat)) {
		famfs_why_set(why, "log header geometry disagrees with the superblock");
		return -EFSCORRUPTED;
	}
	crc = famfs_crc32c(0, d, offsetof(struct famfs_dlog, l_crc));
	if (crc != le32_get(d->l_crc)) {
		famfs_why_set(why, "log header checksum mismatch (stored %#x, computed %#x)",
			      le32_get(d->l_crc), crc);
		return -EFSBADCRC;
	}
	/* an intact header naming another filesystem: re-created under us */
	if (memcmp(li->fs_uuid, sbi->fs_uuid, 16)) {
		famfs_why_set(why, "log belongs to another filesystem (UUID differs from the superblock's)");
		return -ESTALE;
	}
	return 0;
}

void famfs_tail_encode(const struct famfs_tail *t, uint32_t seed, void *buf)
{
	struct famfs_dtail *d = buf;
	struct famfs_dtail tmp;

	memset(&tmp, 0, sizeof(tmp));
	tmp.t_gen = le64_put(t->gen);
	tmp.t_next_off = le64_put(t->next_off);
	tmp.t_next_seq = le64_put(t->next_seq);
	tmp.t_crc = le32_put(famfs_crc32c(seed, &tmp,
					  offsetof(struct famfs_dtail, t_crc)));
	memcpy(d, &tmp, sizeof(tmp));
}

int famfs_tail_decode(const void *buf, const struct famfs_log_info *li,
		      struct famfs_tail *t)
{
	const struct famfs_dtail *d = buf;
	uint64_t room;

	if (famfs_crc32c(li->seed, d, offsetof(struct famfs_dtail, t_crc)) !=
	    le32_get(d->t_crc))
		return -EFSBADCRC;
	t->gen = le64_get(d->t_gen);
	t->next_off = le64_get(d->t_next_off);
	t->next_seq = le64_get(d->t_next_seq);
	if (t->gen == 0 || t->next_off < li->entries_off ||
	    t->next_off > li->log_len || t->next_off % FAMFS_ENTRY_ALIGN)
		return -EFSCORRUPTED;
	room = t->next_off - li->entries_off;
	if (t->next_seq > room / sizeof(struct famfs_dentry) ||
	    (t->next_seq == 0) != (room == 0))
		return -EFSCORRUPTED;
	return 0;
}

static uint8_t *slot_addr(struct famfs_log *log, int slot)
{
	return log->base + (slot ? FAMFS_LOG_TAIL1 : FAMFS_LOG_TAIL0);
}

/*
 * The newer tail slot is damaged and the older one is in use.  A publish
 * that was torn and a record damaged after it was published look the same,
 * but in both the entries after the older tail were flushed before the
 * record was written: every one that validates with the next sequence
 * number is kept.  One append or one group commit (famfs_log_commit)
 * publishes its entries with one record, and zeroes the window after the
 * last of them first, so the roll stops where that publish ended.  An
 * append interrupted before its tail write leaves both slots intact, and
 * its entries stay uncommitted.
 */
static void roll_forward(struct famfs_log *log)
{
	static __thread struct famfs_entry e;
	uint64_t off = log->tail.next_off, len = log->info.log_len;

	while (off < len) {
		uint64_t room = len - off < log->info.entry_max ?
				len - off : log->info.entry_max;

		famfs_invalidate(log->base + off, room);
		if (famfs_entry_decode(log->base + off, room,
				       log->tail.next_seq, log->info.seed, &e,
				       NULL))
			return;
		off += e.len;
		log->tail.next_off = off;
		log->tail.next_seq++;
		log->rolled = 1;
	}
}

/* Read both tail slots and take the newest that validates. */
int famfs_log_read_tail(struct famfs_log *log, struct famfs_why *why)
{
	struct famfs_tail t[2];
	int best = -1;

	famfs_invalidate(log->base + FAMFS_LOG_TAIL0,
			 FAMFS_LOG_TAIL1 + sizeof(struct famfs_dtail) -
			 FAMFS_LOG_TAIL0);
	for (int s = 0; s < 2; s++) {
		log->slot_err[s] = famfs_tail_decode(slot_addr(log, s),
						     &log->info, &t[s]);
		if (!log->slot_err[s] && (t[s].gen & 1) != (uint64_t)s)
			log->slot_err[s] = -EFSCORRUPTED;
		if (log->slot_err[s])
			continue;
		if (best < 0 || t[s].gen > t[best].gen)
			best = s;
	}
	if (best < 0) {
		famfs_why_set(why, "both log tail records are damaged");
		return -EFSBADCRC;
	}
	log->tail = t[best];
	log->rolled = 0;
	if (log->slot_err[!best])
		roll_forward(log);
	return 0;
}

int famfs_log_open(struct famfs_log *log, struct famfs_dev *dev,
		   const struct famfs_sb_info *sbi, struct famfs_why *why)
{
	int rc;

	memset(log, 0, sizeof(*log));
	if (!famfs_sb_is_primary(sbi)) {
		famfs_why_set(why, "device is a secondary famfs device (no log)");
		return -ENOTBLK;
	}
	log->dev = dev;
	log->base = dev->base + sbi->log_offset;
	famfs_invalidate(log->base, FAMFS_LOG_HDR_SIZE);
	rc = famfs_log_hdr_decode(log->base, sbi, &log->info, why);
	if (rc)
		return rc;
	log->tail.next_off = log->info.entries_off;
	return 0;
}

/* Write generation gen+1 of the tail into its slot, flushed. */
static void publish(struct famfs_log *log, uint64_t next_off,
		    uint64_t next_seq, const char *what)
{
	struct famfs_tail t = {
		.gen = log->tail.gen + 1,
		.next_off = next_off,
		.next_seq = next_seq,
	};
	uint8_t *slot = slot_addr(log, (int)(t.gen & 1));
	struct famfs_dtail d;

	famfs_tail_encode(&t, log->info.seed, &d);
	famfs_meta_store(slot, &d, sizeof(d), what);
	famfs_flush(slot, sizeof(struct famfs_dtail));
	log->tail = t;
	log->rolled = 0;
	log->slot_err[t.gen & 1] = 0;
}

int famfs_log_publish(struct famfs_log *log, uint64_t next_off,
		      uint64_t next_seq)
{
	publish(log, next_off, next_seq, "tail");
	return 0;
}

/*
 * Pass 1 over [off, end): decode each entry, expecting sequence @seq first,
 * and hand it to @fn.  Stops at the first entry that does not validate and
 * records where and why in @res; the entries before it are the valid prefix.
 * A nonzero return from @fn stops the scan and is returned.
 */
int famfs_log_scan(struct famfs_log *log, uint64_t off, uint64_t seq,
		   uint64_t end, famfs_entry_fn fn, void *arg,
		   struct famfs_scan *res)
{
	static __thread struct famfs_entry e;
	int rc;

	memset(res, 0, sizeof(*res));
	if (end > log->info.log_len)
		end = log->info.log_len;
	famfs_invalidate(log->base + off, end > off ? end - off : 0);
	while (off < end) {
		uint64_t room = end - off;

		if (room > log->info.entry_max)	/* no entry is longer */
			room = log->info.entry_max;
		rc = famfs_entry_decode(log->base + off, room, seq,
					log->info.seed, &e, &res->why);
		if (rc) {
			res->err = rc;
			break;
		}
		if (fn) {
			rc = fn(arg, &e, off);
			if (rc) {
				res->end_off = off;
				res->next_seq = seq;
				return rc;
			}
		}
		off += e.len;
		seq++;
		res->entries++;
	}
	res->end_off = off;
	res->next_seq = seq;
	return 0;
}

/* First nonzero byte of [off, end) as loaded now, or @end. */
static uint64_t first_nonzero(const uint8_t *base, uint64_t off, uint64_t end)
{
	static const uint64_t zero[64];

	while (off < end && (off & 7)) {
		if (base[off])
			return off;
		off++;
	}
	while (off + sizeof(zero) <= end) {
		if (memcmp(base + off, zero, sizeof(zero)))
			break;
		off += sizeof(zero);
	}
	for (; off < end; off++)
		if (base[off])
			return off;
	return end;
}

/*
 * First nonzero byte in the log at or after @off, or the log length when
 * there is none.  Reads only; used by fsck and before an append.  The
 * range is invalidated a window at a time, up to the first dirty byte
 * only: on a device read with pread (fsdev_dax) an invalidate is a read.
 */
uint64_t famfs_log_first_dirty(struct famfs_log *log, uint64_t off,
			       uint64_t end)
{
	const uint64_t win = 64 * 1024;

	while (off < end) {
		uint64_t stop = (off / win + 1) * win, d;

		if (stop > end)
			stop = end;
		famfs_invalidate(log->base + off, stop - off);
		d = first_nonzero(log->base, off, stop);
		if (d < stop)
			return d;
		off = stop;
	}
	return end;
}

/* Zero every nonzero byte of [off, end) without writing clean memory. */
uint64_t famfs_log_zero_range(struct famfs_log *log, uint64_t off,
			      uint64_t end)
{
	const uint64_t blk = 4096;
	uint64_t zeroed = 0;

	while (off < end) {
		uint64_t d = famfs_log_first_dirty(log, off, end);
		uint64_t stop = (d / blk + 1) * blk;

		if (d >= end)
			break;
		if (stop > end)
			stop = end;
		famfs_meta_zero(log->base + d, stop - d, "zero");
		famfs_flush(log->base + d, stop - d);
		zeroed += stop - d;
		off = stop;
	}
	return zeroed;
}

/*
 * The length of @e if this log takes it, or -E2BIG for an entry longer
 * than the log's entry_max (a log made without LARGE_ENTRY), checked
 * before anything is written.
 */
int famfs_log_entry_fits(const struct famfs_log *log,
			 const struct famfs_entry *e, struct famfs_why *why)
{
	int len = famfs_entry_size(e);

	if (len < 0) {
		famfs_why_set(why, "entry cannot be encoded");
		return len;
	}
	if ((uint32_t)len > log->info.entry_max) {
		famfs_why_set(why, "entry for '%s' is %d bytes; this filesystem's log takes entries up to %u bytes (it was made without the large_entry feature)",
			      e->path, len, log->info.entry_max);
		return -E2BIG;
	}
	return len;
}

/* Where the next entry goes: after the staged ones, else at the tail. */
uint64_t famfs_log_next_off(const struct famfs_log *log)
{
	return log->npend ? log->pend_off : log->tail.next_off;
}

uint64_t famfs_log_next_seq(const struct famfs_log *log)
{
	return log->npend ? log->pend_seq : log->tail.next_seq;
}

/*
 * Write @e (type and body filled in; seq is assigned here) after the tail
 * the caller has read under the log lock and the entries it staged since,
 * without publishing it: famfs_log_commit() does, for all of them at once.
 * Nothing a reader trusts changes here: a crash before the commit leaves
 * every staged entry uncommitted, bytes after the tail.
 */
int famfs_log_stage(struct famfs_log *log, struct famfs_entry *e,
		    struct famfs_why *why)
{
	static __thread uint8_t buf[FAMFS_ENTRY_MAX];
	struct famfs_why refused = { "" };
	uint64_t off = famfs_log_next_off(log);
	int len;

	e->seq = famfs_log_next_seq(log);
	len = famfs_log_entry_fits(log, e, why);
	if (len < 0)
		return len;
	if (off + (uint64_t)len > log->info.log_len) {
		famfs_why_set(why, "log is full (%" PRIu64 " entries in %" PRIu64 " bytes)",
			      e->seq, log->info.log_len);
		return -ENOSPC;
	}
	len = famfs_entry_encode(e, log->info.seed, buf, sizeof(buf),
				 &refused);
	if (len < 0) {
		famfs_why_set(why, "entry for '%s' does not validate: %s",
			      e->path, refused.msg);
		return len;
	}
	/*
	 * A damaged slot (the tail was rolled forward over it) is rewritten
	 * with the current tail first: the publish of the commit then
	 * overwrites an intact older record, and if it is torn, that record
	 * still rolls forward over the staged entries.
	 */
	if (!log->npend && (log->slot_err[0] || log->slot_err[1]))
		publish(log, log->tail.next_off, log->tail.next_seq, "heal");
	if (!log->npend)
		log->pend_start = off;
	famfs_meta_store(log->base + off, buf, (size_t)len, "entry");
	log->pend_off = off + (uint64_t)len;
	log->pend_seq = e->seq + 1;
	log->npend++;
	return 0;
}

/*
 * Group commit: the window after the last staged entry zeroed, every
 * staged entry flushed, then one tail record publishes them all.  A crash
 * before the record lands leaves none of them; once it has, all of them.
 * Returns the number of entries committed.
 */
uint32_t famfs_log_commit(struct famfs_log *log)
{
	uint64_t end = log->pend_off, win = end + log->info.entry_max;
	uint32_t n = log->npend;

	if (!n)
		return 0;
	if (win > log->info.log_len)
		win = log->info.log_len;
	famfs_log_zero_range(log, end, win);
	famfs_flush(log->base + log->pend_start, end - log->pend_start);
	publish(log, end, log->pend_seq, "tail");
	log->npend = 0;
	return n;
}

/*
 * Append one entry: staged and committed alone.  Order: a damaged tail
 * slot healed, entry (encoded and checked in a staging buffer, then
 * stored), zeroed window, flush, then the new tail, flush.  A crash before
 * the tail lands leaves the entry uncommitted and invisible.
 */
int famfs_log_append(struct famfs_log *log, struct famfs_entry *e,
		     struct famfs_why *why)
{
	int rc = log->npend ? -EBUSY : famfs_log_stage(log, e, why);

	if (rc == -EBUSY)
		famfs_why_set(why, "entries are staged: commit them first");
	if (!rc)
		famfs_log_commit(log);
	return rc;
}

/*
 * The log lock: an open-file-description lock on the first byte of the log
 * region of the device, so concurrent writers on this host (CLI processes,
 * the server) append one at a time.  Other hosts never append: only the
 * master does.
 */
static int log_lock_op(struct famfs_log *log, short type)
{
	struct flock fl = {
		.l_type = type,
		.l_whence = SEEK_SET,
		.l_start = (off_t)(log->base - log->dev->base),
		.l_len = 1,
	};

	while (fcntl(log->dev->fd, F_OFD_SETLKW, &fl) < 0) {
		if (errno != EINTR)
			return -errno;
	}
	return 0;
}

int famfs_log_lock(struct famfs_log *log)
{
	return log_lock_op(log, F_WRLCK);
}

void famfs_log_unlock(struct famfs_log *log)
{
	log_lock_op(log, F_UNLCK);
}
