// SPDX-License-Identifier: Apache-2.0
/*
 * Log entries: native struct famfs_entry <-> on-media bytes.
 *
 * famfs_entry_decode() is the boundary: it checks length, checksum,
 * sequence, type and every field of the body, including the path rules, so
 * that replay and fsck only ever see a self-consistent entry.  Placement
 * against devices and the allocation unit is checked by replay, which knows
 * the device table.
 */
#include <inttypes.h>
#include <string.h>

#include "famfs.h"
#include "famfs_endian.h"
#include "omf.h"
#include "entry_int.h"

static uint32_t file_size(uint32_t n, uint32_t path_len)
{
	return align8(HDR + sizeof(struct famfs_dfile) +
		      n * sizeof(struct famfs_dext) + path_len + 1);
}

static uint32_t dir_size(uint32_t path_len)
{
	return align8(HDR + sizeof(struct famfs_dmkdir) + path_len + 1);
}

int famfs_entry_size(const struct famfs_entry *e)
{
	switch (e->type) {
	case FAMFS_ENTRY_FILE:
		if (e->file.nextents > FAMFS_MAX_STRIPS)
			return -EINVAL;
		return file_size(e->file.nextents, e->path_len);
	case FAMFS_ENTRY_MKDIR:
		return dir_size(e->path_len);
	case FAMFS_ENTRY_ADD_DAXDEV:
		return align8(HDR + sizeof(struct famfs_ddaxdev));
	}
	return famfs_entry_node_size(e);
}

int famfs_entry_set_path(struct famfs_entry *e, const char *path)
{
	size_t n = strlen(path);

	if (n > FAMFS_PATH_MAX)
		return -ENAMETOOLONG;
	memcpy(e->path, path, n + 1);
	e->path_len = (uint32_t)n;
	return 0;
}

static void put_path(uint8_t *p, const struct famfs_entry *e)
{
	memcpy(p, e->path, e->path_len);
}

int famfs_entry_set_target(struct famfs_entry *e, const char *target)
{
	size_t n = strlen(target);

	if (n > FAMFS_SYMLINK_MAX)
		return -ENAMETOOLONG;
	memcpy(e->target, target, n + 1);
	e->target_len = (uint32_t)n;
	return 0;
}

static void encode_file(const struct famfs_entry *e, uint8_t *p)
{
	struct famfs_dfile *f = (struct famfs_dfile *)p;
	struct famfs_dext *x = (struct famfs_dext *)(f + 1);

	f->f_size = le64_put(e->file.size);
	f->f_chunk_size = le64_put(e->file.chunk);
	f->f_mode = le32_put(e->file.mode);
	f->f_uid = le32_put(e->file.uid);
	f->f_gid = le32_put(e->file.gid);
	f->f_ext_type = le16_put((uint16_t)e->file.ext_type);
	f->f_nextents = le16_put((uint16_t)e->file.nextents);
	f->f_path_len = le16_put((uint16_t)e->path_len);
	for (uint32_t i = 0; i < e->file.nextents; i++) {
		x[i].x_dev_index = le32_put(e->file.ext[i].dev);
		x[i].x_offset = le64_put(e->file.ext[i].offset);
		x[i].x_len = le64_put(e->file.ext[i].len);
	}
	put_path((uint8_t *)(x + e->file.nextents), e);
}

static void encode_body(const struct famfs_entry *e, uint8_t *p)
{
	struct famfs_dmkdir *d = (struct famfs_dmkdir *)p;
	struct famfs_ddaxdev *a = (struct famfs_ddaxdev *)p;

	switch (e->type) {
	case FAMFS_ENTRY_FILE:
		encode_file(e, p);
		break;
	case FAMFS_ENTRY_MKDIR:
		d->d_mode = le32_put(e->dir.mode);
		d->d_uid = le32_put(e->dir.uid);
		d->d_gid = le32_put(e->dir.gid);
		d->d_path_len = le16_put((uint16_t)e->path_len);
		put_path((uint8_t *)(d + 1), e);
		break;
	case FAMFS_ENTRY_ADD_DAXDEV:
		memcpy(a->a_dev_uuid, e->dev.uuid, 16);
		a->a_dev_size = le64_put(e->dev.size);
		a->a_dev_index = le32_put(e->dev.index);
		break;
	default:
		famfs_entry_node_encode(e, p);
	}
}

int bad(struct famfs_why *why, int err, const char *msg)
{
	famfs_why_set(why, "%s", msg);
	return err;
}

/*
 * Encode @e (its seq, type and body) into @buf.  The entry is built in a
 * scratch buffer and checked by decoding it there; only an entry a replayer
 * would accept is copied to @buf, so a refused entry writes nothing.
 * Returns the entry length or a negative errno (why says what a replayer
 * would refuse).
 */
int famfs_entry_encode(const struct famfs_entry *e, uint32_t seed,
		       void *buf, size_t room, struct famfs_why *why)
{
	static __thread uint64_t tmp[FAMFS_ENTRY_MAX / sizeof(uint64_t)];
	static __thread struct famfs_entry check;
	struct famfs_dentry *h = (struct famfs_dentry *)tmp;
	int len = famfs_entry_size(e);
	int rc;

	if (len < 0)
		return bad(why, len, "unknown entry type or too many extents");
	if ((size_t)len > sizeof(tmp))
		return bad(why, -EINVAL, "entry larger than the largest entry");
	if ((size_t)len > room)
		return bad(why, -ENOSPC, "no room for the entry");
	memset(tmp, 0, (size_t)len);
	h->e_len = le32_put((uint32_t)len);
	h->e_seq = le64_put(e->seq);
	h->e_type = le16_put((uint16_t)e->type);
	encode_body(e, (uint8_t *)(h + 1));
	h->e_crc = le32_put(famfs_crc32c(seed, (uint8_t *)tmp + 4,
					 (size_t)len - 4));
	rc = famfs_entry_decode(tmp, (size_t)len, e->seq, seed, &check, why);
	if (rc)
		return rc;
	memcpy(buf, tmp, (size_t)len);
	return len;
}

/*
 * The @n bytes at @p and the NUL after them, inside [p, end) and without
 * a NUL of their own, copied to @out.  Returns the byte after the NUL, or
 * NULL (why says which string of the entry, @what, is wrong).
 */
const uint8_t *get_str(const uint8_t *p, const uint8_t *end, uint32_t n,
		       uint32_t max, char *out, const char *what,
		       struct famfs_why *why)
{
	if (n > max) {
		famfs_why_set(why, "%s longer than %u bytes", what, max);
		return NULL;
	}
	if (p + n + 1 > end || p + n + 1 < p) {
		famfs_why_set(why, "%s runs past the entry", what);
		return NULL;
	}
	if (p[n] != 0 || memchr(p, 0, n)) {
		famfs_why_set(why, "%s is not one NUL-terminated string", what);
		return NULL;
	}
	memcpy(out, p, n + 1);
	return p + n + 1;
}

/* Bytes from @p to the end of the entry are zero. */
int check_pad(const uint8_t *p, const uint8_t *end, struct famfs_why *why)
{
	for (; p < end; p++)
		if (*p)
			return bad(why, -EFSCORRUPTED, "nonzero padding at the end of the entry");
	return 0;
}

/* The path at @p, last in the entry but for padding. */
static int get_path(const uint8_t *p, const uint8_t *end, uint32_t n,
		    struct famfs_entry *e, struct famfs_why *why)
{
	p = get_str(p, end, n, FAMFS_PATH_MAX, e->path, "path", why);
	if (!p)
		return -EFSCORRUPTED;
	e->path_len = n;
	if (famfs_path_check(e->path, n, why))
		return -EFSCORRUPTED;
	return check_pad(p, end, why);
}

int check_extent(const struct famfs_dext *x, struct famfs_extent *o,
			struct famfs_why *why)
{
	o->dev = le32_get(x->x_dev_index);
	o->offset = le64_get(x->x_offset);
	o->len = le64_get(x->x_len);
	if (x->x_reserved)
		return bad(why, -EFSCORRUPTED, "extent reserved field is nonzero");
	if (o->dev >= FAMFS_MAX_DEVICES)
		return bad(why, -EFSCORRUPTED, "extent names a device index above 63");
	if (o->len == 0 || o->offset + o->len < o->offset)
		return bad(why, -EFSCORRUPTED, "extent length is zero or overflows");
	return 0;
}

/* Mapped bytes must cover the size; for interleave, every strip must. */
int check_coverage(const struct famfs_file_info *f,
			  struct famfs_why *why)
{
	uint64_t total = 0, chunks, per_strip;

	if (f->ext_type == FAMFS_EXT_SIMPLE) {
		for (uint32_t i = 0; i < f->nextents; i++) {
			if (total + f->ext[i].len < total)
				return bad(why, -EFSCORRUPTED, "extent lengths overflow");
			total += f->ext[i].len;
		}
		if (total < f->size)
			return bad(why, -EFSCORRUPTED, "extents are shorter than the file");
		return 0;
	}
	if (f->chunk == 0 || (f->chunk & (f->chunk - 1)))
		return bad(why, -EFSCORRUPTED, "interleave chunk is not a power of two");
	chunks = f->size / f->chunk + !!(f->size % f->chunk);
	if (__builtin_mul_overflow(chunks / f->nextents + !!(chunks % f->nextents),
				   f->chunk, &per_strip))
		return bad(why, -EFSCORRUPTED, "interleave geometry overflows");
	for (uint32_t i = 0; i < f->nextents; i++)
		if (f->ext[i].len < per_strip)
			return bad(why, -EFSCORRUPTED, "an interleave strip is shorter than the file needs");
	return 0;
}

static int decode_file(const uint8_t *p, const uint8_t *end,
		       struct famfs_entry *e, struct famfs_why *why)
{
	const struct famfs_dfile *f = (const void *)p;
	const struct famfs_dext *x = (const void *)(f + 1);
	struct famfs_file_info *fi = &e->file;
	uint32_t n, plen;
	int rc;

	if (p + sizeof(*f) > end)
		return bad(why, -EFSCORRUPTED, "FILE entry too short");
	n = le16_get(f->f_nextents);
	plen = le16_get(f->f_path_len);
	if (e->len != file_size(n, plen))
		return bad(why, -EFSCORRUPTED, "FILE entry length does not match its contents");
	fi->size = le64_get(f->f_size);
	fi->chunk = le64_get(f->f_chunk_size);
	fi->mode = le32_get(f->f_mode);
	fi->uid = le32_get(f->f_uid);
	fi->gid = le32_get(f->f_gid);
	fi->ext_type = le16_get(f->f_ext_type);
	fi->nextents = n;
	if (f->f_flags || f->f_reserved || (fi->mode & ~07777u))
		return bad(why, -EFSCORRUPTED, "FILE entry has unknown flags or mode bits");
	if (fi->size == 0)
		return bad(why, -EFSCORRUPTED, "FILE entry has size 0");
	if (fi->ext_type > FAMFS_EXT_INTERLEAVE || n == 0 ||
	    n > (fi->ext_type == FAMFS_EXT_SIMPLE ? FAMFS_MAX_EXTENTS
						  : FAMFS_MAX_STRIPS) ||
	    (fi->ext_type == FAMFS_EXT_SIMPLE && fi->chunk))
		return bad(why, -EFSCORRUPTED, "FILE entry has a bad extent type or count");
	for (uint32_t i = 0; i < n; i++) {
		rc = check_extent(&x[i], &fi->ext[i], why);
		if (rc)
			return rc;
	}
	rc = check_coverage(fi, why);
	if (rc)
		return rc;
	return get_path((const uint8_t *)(x + n), end, plen, e, why);
}

static int decode_dir(const uint8_t *p, const uint8_t *end,
		      struct famfs_entry *e, struct famfs_why *why)
{
	const struct famfs_dmkdir *d = (const void *)p;
	uint32_t plen;

	if (p + sizeof(*d) > end)
		return bad(why, -EFSCORRUPTED, "MKDIR entry too short");
	plen = le16_get(d->d_path_len);
	if (e->len != dir_size(plen))
		return bad(why, -EFSCORRUPTED, "MKDIR entry length does not match its path");
	e->dir.mode = le32_get(d->d_mode);
	e->dir.uid = le32_get(d->d_uid);
	e->dir.gid = le32_get(d->d_gid);
	if (d->d_reserved || (e->dir.mode & ~07777u))
		return bad(why, -EFSCORRUPTED, "MKDIR entry has unknown mode bits");
	return get_path((const uint8_t *)(d + 1), end, plen, e, why);
}

static int decode_daxdev(const uint8_t *p, struct famfs_entry *e,
			 struct famfs_why *why)
{
	static const uint8_t zero[16];
	const struct famfs_ddaxdev *a = (const void *)p;

	if (e->len != align8(HDR + sizeof(*a)))
		return bad(why, -EFSCORRUPTED, "ADD_DAXDEV entry has the wrong length");
	memcpy(e->dev.uuid, a->a_dev_uuid, 16);
	e->dev.size = le64_get(a->a_dev_size);
	e->dev.index = le32_get(a->a_dev_index);
	e->path_len = 0;
	e->path[0] = 0;
	if (a->a_reserved || !memcmp(e->dev.uuid, zero, 16) || !e->dev.size ||
	    e->dev.index == 0 || e->dev.index >= FAMFS_MAX_DEVICES)
		return bad(why, -EFSCORRUPTED, "ADD_DAXDEV entry has a bad UUID, size or index");
	return 0;
}

static int decode_header(const struct famfs_dentry *h, size_t room,
			 uint64_t seq, uint32_t seed, struct famfs_entry *e,
			 struct famfs_why *why)
{
	uint32_t crc;

	if (room < HDR)
		return bad(why, -EFSCORRUPTED, "entry header runs past the log");
	e->len = le32_get(h->e_len);
	if (e->len == 0 && h->e_crc == 0)
		return bad(why, -ENODATA, "no entry (zeroed memory)");
	if (e->len < HDR || e->len % FAMFS_ENTRY_ALIGN ||
	    e->len > FAMFS_ENTRY_MAX || e->len > room)
		return bad(why, -EFSCORRUPTED, "entry length is out of range");
	crc = famfs_crc32c(seed, (const uint8_t *)h + 4, e->len - 4);
	if (crc != le32_get(h->e_crc))
		return bad(why, -EFSBADCRC, "entry checksum mismatch");
	e->seq = le64_get(h->e_seq);
	e->type = le16_get(h->e_type);
	e->target_len = 0;
	e->target[0] = 0;
	if (e->seq != seq) {
		famfs_why_set(why, "entry has sequence %" PRIu64 ", expected %" PRIu64,
			      e->seq, seq);
		return -EFSCORRUPTED;
	}
	if (h->e_flags || h->e_reserved)
		return bad(why, -EFSCORRUPTED, "entry header has nonzero reserved fields");
	return 0;
}

int famfs_entry_decode(const void *buf, size_t room, uint64_t seq,
		       uint32_t seed, struct famfs_entry *e,
		       struct famfs_why *why)
{
	const uint8_t *p = buf;
	int rc = decode_header(buf, room, seq, seed, e, why);

	if (rc)
		return rc;
	switch (e->type) {
	case FAMFS_ENTRY_FILE:
		return decode_file(p + HDR, p + e->len, e, why);
	case FAMFS_ENTRY_MKDIR:
		return decode_dir(p + HDR, p + e->len, e, why);
	case FAMFS_ENTRY_ADD_DAXDEV:
		return decode_daxdev(p + HDR, e, why);
	case FAMFS_ENTRY_INODE:
	case FAMFS_ENTRY_LINK:
	case FAMFS_ENTRY_XATTR:
	case FAMFS_ENTRY_ATTR:
		return famfs_entry_node_decode(p + HDR, p + e->len, e, why);
	}
	famfs_why_set(why, "unknown entry type %u", e->type);
	return -EFSCORRUPTED;
}
