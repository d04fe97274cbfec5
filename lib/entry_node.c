// SPDX-License-Identifier: Apache-2.0
/*
 * The entries a root tree needs: INODE (any file type, with times), LINK
 * (a hard link), XATTR (one extended attribute) and ATTR (a change of mode,
 * owner or times).  Native <-> on-media, as entry.c does for the first
 * release's entries, with the same rule: decoding checks every field, so
 * replay and fsck only see self-consistent entries.
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "famfs_endian.h"
#include "entry_int.h"

#define NSEC_PER_SEC	1000000000u

static int is_symlink(const struct famfs_entry *e)
{
	return S_ISLNK(e->ino.mode);
}

int famfs_entry_node_size(const struct famfs_entry *e)
{
	switch (e->type) {
	case FAMFS_ENTRY_INODE:
		if (e->file.nextents > FAMFS_MAX_STRIPS ||
		    (e->file.nextents && !S_ISREG(e->ino.mode)) ||
		    e->target_len > FAMFS_SYMLINK_MAX)
			return -EINVAL;
		return (int)align8(HDR + sizeof(struct famfs_dinode) +
				   e->file.nextents * sizeof(struct famfs_dext) +
				   e->path_len + 1 +
				   (is_symlink(e) ? e->target_len + 1 : 0));
	case FAMFS_ENTRY_LINK:
		return (int)align8(HDR + sizeof(struct famfs_dlink) +
				   e->path_len + 1 + e->target_len + 1);
	case FAMFS_ENTRY_XATTR:
		if (e->xattr.name_len > FAMFS_XATTR_NAME_MAX ||
		    e->xattr.value_len > FAMFS_XATTR_VALUE_MAX)
			return -EINVAL;
		return (int)align8(HDR + sizeof(struct famfs_dxattr) +
				   e->path_len + 1 + e->xattr.name_len + 1 +
				   e->xattr.value_len);
	case FAMFS_ENTRY_ATTR:
		return (int)align8(HDR + sizeof(struct famfs_dattr) +
				   e->path_len + 1);
	}
	return -EINVAL;
}

/* Copy @n bytes and a NUL; returns the byte after the NUL. */
static uint8_t *put_str(uint8_t *p, const char *s, uint32_t n)
{
	memcpy(p, s, n);
	p[n] = 0;
	return p + n + 1;
}

static void encode_inode(const struct famfs_entry *e, uint8_t *p)
{
	struct famfs_dinode *d = (struct famfs_dinode *)p;
	struct famfs_dext *x = (struct famfs_dext *)(d + 1);
	const struct famfs_inode_info *i = &e->ino;
	uint8_t *q;

	d->i_size = le64_put(is_symlink(e) ? e->target_len : e->file.size);
	d->i_chunk_size = le64_put(e->file.chunk);
	d->i_mode = le32_put(i->mode);
	d->i_uid = le32_put(i->uid);
	d->i_gid = le32_put(i->gid);
	d->i_mtime_sec = le64_put((uint64_t)i->mtime.sec);
	d->i_ctime_sec = le64_put((uint64_t)i->ctime.sec);
	d->i_mtime_nsec = le32_put(i->mtime.nsec);
	d->i_ctime_nsec = le32_put(i->ctime.nsec);
	d->i_rdev_major = le32_put(i->rdev_major);
	d->i_rdev_minor = le32_put(i->rdev_minor);
	d->i_ext_type = le16_put((uint16_t)e->file.ext_type);
	d->i_nextents = le16_put((uint16_t)e->file.nextents);
	d->i_path_len = le16_put((uint16_t)e->path_len);
	d->i_target_len = le16_put((uint16_t)(is_symlink(e) ? e->target_len : 0));
	for (uint32_t k = 0; k < e->file.nextents; k++) {
		x[k].x_dev_index = le32_put(e->file.ext[k].dev);
		x[k].x_offset = le64_put(e->file.ext[k].offset);
		x[k].x_len = le64_put(e->file.ext[k].len);
	}
	q = put_str((uint8_t *)(x + e->file.nextents), e->path, e->path_len);
	if (is_symlink(e))
		put_str(q, e->target, e->target_len);
}

static void encode_attr(const struct famfs_entry *e, uint8_t *p)
{
	struct famfs_dattr *d = (struct famfs_dattr *)p;
	const struct famfs_attr_info *a = &e->attr;

	d->a_valid = le32_put(a->valid);
	if (a->valid & FAMFS_ATTR_MODE)
		d->a_mode = le32_put(a->mode);
	if (a->valid & FAMFS_ATTR_UID)
		d->a_uid = le32_put(a->uid);
	if (a->valid & FAMFS_ATTR_GID)
		d->a_gid = le32_put(a->gid);
	if (a->valid & FAMFS_ATTR_MTIME) {
		d->a_mtime_sec = le64_put((uint64_t)a->mtime.sec);
		d->a_mtime_nsec = le32_put(a->mtime.nsec);
	}
	if (a->valid & FAMFS_ATTR_CTIME) {
		d->a_ctime_sec = le64_put((uint64_t)a->ctime.sec);
		d->a_ctime_nsec = le32_put(a->ctime.nsec);
	}
	d->a_path_len = le16_put((uint16_t)e->path_len);
	put_str((uint8_t *)(d + 1), e->path, e->path_len);
}

/* @p is zeroed and famfs_entry_node_size(e) bytes long. */
void famfs_entry_node_encode(const struct famfs_entry *e, uint8_t *p)
{
	struct famfs_dlink *k = (struct famfs_dlink *)p;
	struct famfs_dxattr *x = (struct famfs_dxattr *)p;
	uint8_t *q;

	switch (e->type) {
	case FAMFS_ENTRY_INODE:
		encode_inode(e, p);
		break;
	case FAMFS_ENTRY_LINK:
		k->k_path_len = le16_put((uint16_t)e->path_len);
		k->k_target_len = le16_put((uint16_t)e->target_len);
		q = put_str((uint8_t *)(k + 1), e->path, e->path_len);
		put_str(q, e->target, e->target_len);
		break;
	case FAMFS_ENTRY_XATTR:
		x->x_path_len = le16_put((uint16_t)e->path_len);
		x->x_name_len = (uint8_t)e->xattr.name_len;
		x->x_flags = (uint8_t)e->xattr.flags;
		x->x_value_len = le32_put(e->xattr.value_len);
		q = put_str((uint8_t *)(x + 1), e->path, e->path_len);
		q = put_str(q, e->xattr.name, e->xattr.name_len);
		memcpy(q, e->xattr.value, e->xattr.value_len);
		break;
	case FAMFS_ENTRY_ATTR:
		encode_attr(e, p);
		break;
	}
}

/* A path of the entry: string rules, then the path rules. */
static const uint8_t *get_path2(const uint8_t *p, const uint8_t *end,
				uint32_t n, char *out, const char *what,
				struct famfs_why *why)
{
	p = get_str(p, end, n, FAMFS_PATH_MAX, out, what, why);
	if (p && famfs_path_check(out, n, why))
		return NULL;
	return p;
}

static int check_time(const struct famfs_time *t, struct famfs_why *why)
{
	if (t->nsec >= NSEC_PER_SEC)
		return bad(why, -EFSCORRUPTED, "a time has 10^9 nanoseconds or more");
	return 0;
}

/* The type and the fields that go with it (map, target, rdev). */
static int check_inode_kind(const struct famfs_entry *e, uint64_t size,
			    struct famfs_why *why)
{
	const struct famfs_file_info *f = &e->file;
	uint32_t fmt = e->ino.mode & S_IFMT;
	int dev = fmt == S_IFCHR || fmt == S_IFBLK;

	if (e->ino.mode & ~(uint32_t)(S_IFMT | 07777))
		return bad(why, -EFSCORRUPTED, "INODE entry has unknown mode bits");
	if (fmt != S_IFREG && fmt != S_IFDIR && fmt != S_IFLNK &&
	    fmt != S_IFIFO && fmt != S_IFSOCK && !dev)
		return bad(why, -EFSCORRUPTED, "INODE entry has an unknown file type");
	if (!dev && (e->ino.rdev_major || e->ino.rdev_minor))
		return bad(why, -EFSCORRUPTED, "INODE entry has a device number but is not a device node");
	if (fmt == S_IFLNK ? (!e->target_len || size != e->target_len)
			   : e->target_len != 0)
		return bad(why, -EFSCORRUPTED, "INODE entry's link target does not match its type or size");
	if (fmt != S_IFREG) {
		if (f->nextents || f->chunk || f->ext_type ||
		    (fmt != S_IFLNK && size))
			return bad(why, -EFSCORRUPTED, "INODE entry has a size or extents but is not a regular file");
		return 0;
	}
	if (f->ext_type > FAMFS_EXT_INTERLEAVE ||
	    f->nextents > (f->ext_type == FAMFS_EXT_SIMPLE ? FAMFS_MAX_EXTENTS
							   : FAMFS_MAX_STRIPS) ||
	    (f->ext_type == FAMFS_EXT_SIMPLE && f->chunk) ||
	    (size == 0) != (f->nextents == 0) ||
	    (size == 0 && (f->chunk || f->ext_type)))
		return bad(why, -EFSCORRUPTED, "INODE entry has a bad extent type or count for its size");
	return 0;
}

static void inode_fields(const struct famfs_dinode *d, struct famfs_entry *e)
{
	struct famfs_inode_info *i = &e->ino;

	i->mode = le32_get(d->i_mode);
	i->uid = le32_get(d->i_uid);
	i->gid = le32_get(d->i_gid);
	i->mtime.sec = (int64_t)le64_get(d->i_mtime_sec);
	i->ctime.sec = (int64_t)le64_get(d->i_ctime_sec);
	i->mtime.nsec = le32_get(d->i_mtime_nsec);
	i->ctime.nsec = le32_get(d->i_ctime_nsec);
	i->rdev_major = le32_get(d->i_rdev_major);
	i->rdev_minor = le32_get(d->i_rdev_minor);
	e->file.chunk = le64_get(d->i_chunk_size);
	e->file.ext_type = le16_get(d->i_ext_type);
	e->file.nextents = le16_get(d->i_nextents);
	e->file.mode = i->mode & 07777;
	e->file.uid = i->uid;
	e->file.gid = i->gid;
	e->target_len = le16_get(d->i_target_len);
	e->path_len = le16_get(d->i_path_len);
}

static int decode_inode(const uint8_t *p, const uint8_t *end,
			struct famfs_entry *e, struct famfs_why *why)
{
	const struct famfs_dinode *d = (const void *)p;
	const struct famfs_dext *x = (const void *)(d + 1);
	uint64_t size;
	int rc;

	if (p + sizeof(*d) > end)
		return bad(why, -EFSCORRUPTED, "INODE entry too short");
	inode_fields(d, e);
	size = le64_get(d->i_size);
	e->file.size = S_ISREG(e->ino.mode) ? size : 0;
	if (d->i_flags)
		return bad(why, -EFSCORRUPTED, "INODE entry has unknown flags");
	if (e->target_len > FAMFS_SYMLINK_MAX)	/* else a length mismatch */
		return bad(why, -EFSCORRUPTED, "INODE entry's symbolic link target is longer than 4095 bytes");
	if (e->file.nextents > FAMFS_MAX_STRIPS ||
	    e->len != (uint32_t)famfs_entry_node_size(e))
		return bad(why, -EFSCORRUPTED, "INODE entry length does not match its contents");
	rc = check_inode_kind(e, size, why);
	if (!rc)
		rc = check_time(&e->ino.mtime, why);
	if (!rc)
		rc = check_time(&e->ino.ctime, why);
	for (uint32_t k = 0; !rc && k < e->file.nextents; k++)
		rc = check_extent(&x[k], &e->file.ext[k], why);
	if (!rc && e->file.nextents)
		rc = check_coverage(&e->file, why);
	if (rc)
		return rc;
	p = get_path2((const uint8_t *)(x + e->file.nextents), end,
		      e->path_len, e->path, "path", why);
	if (p && e->target_len)
		p = get_str(p, end, e->target_len, FAMFS_SYMLINK_MAX, e->target,
			    "link target", why);
	return p ? check_pad(p, end, why) : -EFSCORRUPTED;
}

static int decode_link(const uint8_t *p, const uint8_t *end,
		       struct famfs_entry *e, struct famfs_why *why)
{
	const struct famfs_dlink *k = (const void *)p;

	if (p + sizeof(*k) > end)
		return bad(why, -EFSCORRUPTED, "LINK entry too short");
	e->path_len = le16_get(k->k_path_len);
	e->target_len = le16_get(k->k_target_len);
	if (k->k_reserved)
		return bad(why, -EFSCORRUPTED, "LINK entry has nonzero reserved fields");
	if (e->len != (uint32_t)famfs_entry_node_size(e))
		return bad(why, -EFSCORRUPTED, "LINK entry length does not match its names");
	p = get_path2((const uint8_t *)(k + 1), end, e->path_len, e->path,
		      "path", why);
	if (p)
		p = get_path2(p, end, e->target_len, e->target, "link target",
			      why);
	return p ? check_pad(p, end, why) : -EFSCORRUPTED;
}

/* Linux's namespaces; a name is a prefix and at least one more byte. */
static int xattr_name_ok(const char *n, uint32_t len)
{
	static const char *const ns[] = { "user.", "trusted.", "security.",
					   "system." };

	for (size_t i = 0; i < sizeof(ns) / sizeof(ns[0]); i++) {
		size_t l = strlen(ns[i]);

		if (len > l && !strncmp(n, ns[i], l))
			return 1;
	}
	return 0;
}

static int decode_xattr(const uint8_t *p, const uint8_t *end,
			struct famfs_entry *e, struct famfs_why *why)
{
	const struct famfs_dxattr *x = (const void *)p;
	struct famfs_xattr_info *xi = &e->xattr;

	if (p + sizeof(*x) > end)
		return bad(why, -EFSCORRUPTED, "XATTR entry too short");
	e->path_len = le16_get(x->x_path_len);
	xi->name_len = x->x_name_len;
	xi->flags = x->x_flags;
	xi->value_len = le32_get(x->x_value_len);
	if (xi->flags & ~FAMFS_XATTR_REMOVE ||
	    ((xi->flags & FAMFS_XATTR_REMOVE) && xi->value_len))
		return bad(why, -EFSCORRUPTED, "XATTR entry has unknown flags or a value to remove");
	if (xi->value_len > FAMFS_XATTR_VALUE_MAX)
		return bad(why, -EFSCORRUPTED, "XATTR value longer than 8192 bytes");
	if (e->len != (uint32_t)famfs_entry_node_size(e))
		return bad(why, -EFSCORRUPTED, "XATTR entry length does not match its contents");
	p = get_path2((const uint8_t *)(x + 1), end, e->path_len, e->path,
		      "path", why);
	if (p)
		p = get_str(p, end, xi->name_len, FAMFS_XATTR_NAME_MAX,
			    xi->name, "attribute name", why);
	if (!p)
		return -EFSCORRUPTED;
	if (!xattr_name_ok(xi->name, xi->name_len))
		return bad(why, -EFSCORRUPTED, "XATTR name is not in the user, trusted, security or system namespace");
	memcpy(xi->value, p, xi->value_len);
	return check_pad(p + xi->value_len, end, why);
}

static int decode_attr(const uint8_t *p, const uint8_t *end,
		       struct famfs_entry *e, struct famfs_why *why)
{
	const struct famfs_dattr *d = (const void *)p;
	struct famfs_attr_info *a = &e->attr;
	int rc;

	if (p + sizeof(*d) > end)
		return bad(why, -EFSCORRUPTED, "ATTR entry too short");
	e->path_len = le16_get(d->a_path_len);
	a->valid = le32_get(d->a_valid);
	a->mode = le32_get(d->a_mode);
	a->uid = le32_get(d->a_uid);
	a->gid = le32_get(d->a_gid);
	a->mtime.sec = (int64_t)le64_get(d->a_mtime_sec);
	a->ctime.sec = (int64_t)le64_get(d->a_ctime_sec);
	a->mtime.nsec = le32_get(d->a_mtime_nsec);
	a->ctime.nsec = le32_get(d->a_ctime_nsec);
	if (!a->valid || (a->valid & ~FAMFS_ATTR_ALL) || (a->mode & ~07777u) ||
	    d->a_reserved1 || d->a_reserved2 ||
	    (!(a->valid & FAMFS_ATTR_MODE) && a->mode) ||
	    (!(a->valid & FAMFS_ATTR_UID) && a->uid) ||
	    (!(a->valid & FAMFS_ATTR_GID) && a->gid) ||
	    (!(a->valid & FAMFS_ATTR_MTIME) && (a->mtime.sec || a->mtime.nsec)) ||
	    (!(a->valid & FAMFS_ATTR_CTIME) && (a->ctime.sec || a->ctime.nsec)))
		return bad(why, -EFSCORRUPTED, "ATTR entry has unknown bits or fields it does not name");
	if (e->len != (uint32_t)famfs_entry_node_size(e))
		return bad(why, -EFSCORRUPTED, "ATTR entry length does not match its path");
	rc = check_time(&a->mtime, why);
	if (!rc)
		rc = check_time(&a->ctime, why);
	if (rc)
		return rc;
	p = get_path2((const uint8_t *)(d + 1), end, e->path_len, e->path,
		      "path", why);
	return p ? check_pad(p, end, why) : -EFSCORRUPTED;
}

int famfs_entry_node_decode(const uint8_t *p, const uint8_t *end,
			    struct famfs_entry *e, struct famfs_why *why)
{
	e->target_len = 0;
	e->target[0] = 0;
	switch (e->type) {
	case FAMFS_ENTRY_INODE:
		return decode_inode(p, end, e, why);
	case FAMFS_ENTRY_LINK:
		return decode_link(p, end, e, why);
	case FAMFS_ENTRY_XATTR:
		return decode_xattr(p, end, e, why);
	case FAMFS_ENTRY_ATTR:
		return decode_attr(p, end, e, why);
	}
	return bad(why, -EFSCORRUPTED, "unknown entry type");
}

/* The incompat features a filesystem needs before it may hold @e. */
uint32_t famfs_entry_features(const struct famfs_entry *e)
{
	uint32_t fmt = e->ino.mode & S_IFMT;

	switch (e->type) {
	case FAMFS_ENTRY_INODE:
		if (fmt == S_IFLNK)
			return FAMFS_FEATURE_INODE | FAMFS_FEATURE_SYMLINK;
		if (fmt == S_IFREG && !e->file.size)
			return FAMFS_FEATURE_INODE | FAMFS_FEATURE_EMPTY;
		if (fmt == S_IFREG || fmt == S_IFDIR)
			return FAMFS_FEATURE_INODE;
		return FAMFS_FEATURE_INODE | FAMFS_FEATURE_SPECIAL;
	case FAMFS_ENTRY_LINK:
		return FAMFS_FEATURE_HARDLINK;
	case FAMFS_ENTRY_XATTR:
		return FAMFS_FEATURE_XATTR;
	case FAMFS_ENTRY_ATTR:
		return FAMFS_FEATURE_SETATTR;
	}
	return 0;
}

const char *famfs_feature_name(uint32_t bit)
{
	switch (bit) {
	case FAMFS_FEATURE_INODE:	return "inode";
	case FAMFS_FEATURE_EMPTY:	return "empty_file";
	case FAMFS_FEATURE_SYMLINK:	return "symlink";
	case FAMFS_FEATURE_HARDLINK:	return "hard_link";
	case FAMFS_FEATURE_SPECIAL:	return "special_file";
	case FAMFS_FEATURE_XATTR:	return "xattr";
	case FAMFS_FEATURE_SETATTR:	return "setattr";
	case FAMFS_FEATURE_LARGE_ENTRY:	return "large_entry";
	case FAMFS_FEATURE_PACKED:	return "packed";
	}
	return NULL;
}

/* "symlink,xattr" for a mask of known incompat bits; others as "bitN". */
int famfs_features_str(uint32_t mask, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = 0;
	for (uint32_t bit = 1; bit && used < len; bit <<= 1) {
		const char *name = famfs_feature_name(bit);
		int n;

		if (!(mask & bit))
			continue;
		n = name ? snprintf(buf + used, len - used, "%s%s",
				    used ? "," : "", name)
			 : snprintf(buf + used, len - used, "%sbit%d",
				    used ? "," : "", __builtin_ctz(bit));
		if (n < 0)
			return -EINVAL;
		used += (size_t)n;
	}
	return used < len ? 0 : -ENOSPC;
}
