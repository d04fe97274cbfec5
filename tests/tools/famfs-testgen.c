// SPDX-License-Identifier: Apache-2.0
/*
 * famfs-testgen: populate or damage an image through the library, for
 * integration tests, the fsck corpus and benchmarks.  Test-only: never
 * installed.
 *
 *   famfs-testgen IMG mkdir PATH...
 *   famfs-testgen IMG file PATH SIZE
 *   famfs-testgen IMG empty PATH...            empty regular files (INODE)
 *   famfs-testgen IMG files N PREFIX SIZE      PREFIX/f<i>, PREFIX created
 *   famfs-testgen IMG tree DIRS PER SIZE       d<i>/f<j>: DIRS directories of
 *                                              PER files, one flush and
 *                                              one tail publish in all
 *   famfs-testgen IMG ifile PATH SIZE N CHUNK  interleaved over N strips
 *   famfs-testgen IMG rawfile PATH SIZE DEV OFFSET LEN   any extent
 *   famfs-testgen IMG clone SRC DST            DST shares SRC's extents
 *   famfs-testgen IMG torn PATH SIZE           entry after the tail, unpublished
 *   famfs-testgen IMG badpath file|dir PATH    a committed entry with any path
 *   famfs-testgen IMG tail                     print next_off next_seq log_offset
 * Root-tree kinds, through the master API (a first-release filesystem
 * gets its feature bits on first use):
 *   famfs-testgen IMG symlink PATH TARGET
 *   famfs-testgen IMG link PATH EXISTING
 *   famfs-testgen IMG empty PATH               a regular file of size 0
 *   famfs-testgen IMG mknod PATH fifo|sock|chr|blk [MAJOR MINOR]
 *   famfs-testgen IMG xattr PATH NAME VALUE
 *   famfs-testgen IMG rmxattr PATH NAME
 *   famfs-testgen IMG attr PATH MODE [UID GID]  octal mode; times: now
 *   famfs-testgen IMG kinds PREFIX N           N of every kind under PREFIX
 *   famfs-testgen IMG dump                     every name, sorted: kind,
 *                                              mode, owner, size, links,
 *                                              inode (by first name),
 *                                              target, device, xattrs
 * Through a mounted filesystem's server (no image is opened):
 *   famfs-testgen FILE ctl-chmod MODE          FILE's mode, changed by a
 *                                              logged SETATTR request on
 *                                              the control file
 * Damage and formats:
 *   famfs-testgen IMG rawlink PATH EXISTING    a LINK entry, namespace unchecked
 *   famfs-testgen IMG rawxattr PATH NAME VALUE an XATTR entry, unchecked
 *   famfs-testgen IMG rawattr PATH MODE        an ATTR entry, unchecked
 *   famfs-testgen IMG longsymlink PATH LEN     a crafted INODE entry with a
 *                                              LEN-byte target (any LEN)
 *   famfs-testgen IMG bigxattr PATH NAME LEN   a crafted XATTR entry with a
 *                                              LEN-byte value (any LEN)
 *   famfs-testgen IMG tornsb MASK N            a superblock write turning the
 *                                              features MASK on, cut after
 *                                              its first N bytes
 *   famfs-testgen IMG features set|clear MASK  rewrite the superblock's
 *                                              incompat bits (and its CRC;
 *                                              LARGE_ENTRY: the log header)
 */
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "famfs_config.h"
#include "famfs_client.h"
#include "famfs_ctl.h"
#include "famfs_fs.h"

static struct famfs_fs fs;
static struct famfs_why why;

static int die(const char *what, int rc)
{
	fprintf(stderr, "famfs-testgen: %s: %s (%s)\n", what, why.msg,
		strerror(rc < 0 ? -rc : rc));
	return 1;
}

static uint64_t num(const char *s)
{
	uint64_t v;

	if (famfs_parse_size(s, &v)) {
		fprintf(stderr, "famfs-testgen: bad number '%s'\n", s);
		exit(2);
	}
	return v;
}

static void put_le32_at(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void put_le16_at(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put_le64_at(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static int append_raw(struct famfs_entry *e)
{
	int rc = famfs_log_append(&fs.log, e, &why);

	return rc ? die("append", rc) : 0;
}

static int cmd_rawfile(char **a)
{
	static struct famfs_entry e;

	e.type = FAMFS_ENTRY_FILE;
	famfs_entry_set_path(&e, a[0]);
	e.file = (struct famfs_file_info){
		.size = num(a[1]), .mode = 0644, .nextents = 1,
		.ext[0] = { (uint32_t)num(a[2]), num(a[3]), num(a[4]) },
	};
	return append_raw(&e);
}

static int cmd_clone(char **a)
{
	static struct famfs_entry e;
	struct famfs_node *src = famfs_ns_lookup(&fs.ns, a[0], strlen(a[0]));

	if (!src || !src->file) {
		fprintf(stderr, "famfs-testgen: no file '%s'\n", a[0]);
		return 1;
	}
	e.type = FAMFS_ENTRY_FILE;
	e.file.size = src->file->size;
	e.file.chunk = src->file->chunk;
	e.file.ext_type = src->file->ext_type;
	e.file.nextents = src->file->nextents;
	e.file.mode = src->mode;
	memcpy(e.file.ext, src->file->ext,
	       src->file->nextents * sizeof(e.file.ext[0]));
	famfs_entry_set_path(&e, a[1]);
	return append_raw(&e);
}

/* Encode an entry where the next append would go, but publish nothing. */
static int cmd_torn(char **a)
{
	static struct famfs_entry e;
	uint64_t off = fs.log.tail.next_off;
	int len;

	e.type = FAMFS_ENTRY_FILE;
	e.seq = fs.log.tail.next_seq;
	famfs_entry_set_path(&e, a[0]);
	e.file = (struct famfs_file_info){
		.size = num(a[1]), .mode = 0644, .nextents = 1,
		.ext[0] = { 0, fs.sb.data_offset, fs.sb.alloc_unit *
			    ((num(a[1]) + fs.sb.alloc_unit - 1) / fs.sb.alloc_unit) },
	};
	len = famfs_entry_encode(&e, fs.log.info.seed, fs.log.base + off,
				 fs.log.info.log_len - off, NULL);
	if (len < 0)
		return die("encode", len);
	famfs_flush(fs.log.base + off, (size_t)len);
	return 0;
}

/*
 * A committed entry whose path is @a[1] byte for byte ("../x", "/etc/x",
 * "a//b"...), as only a hostile or broken writer would log it: encoded with
 * a placeholder path of the same length, then the path bytes and the CRC
 * rewritten, then published.  A file gets one allocation unit at the start
 * of the data area.
 */
static int cmd_badpath(char **a)
{
	static struct famfs_entry e;
	uint64_t off = fs.log.tail.next_off;
	uint8_t *base = fs.log.base + off, *p;
	size_t n = strlen(a[1]);
	char ph[FAMFS_NAME_MAX + 1];
	int len;

	if (n == 0 || n > FAMFS_NAME_MAX) {
		fprintf(stderr, "famfs-testgen: badpath: 1..%u bytes\n",
			FAMFS_NAME_MAX);
		return 2;
	}
	memset(ph, 'x', n);
	ph[n] = 0;
	e.seq = fs.log.tail.next_seq;
	famfs_entry_set_path(&e, ph);
	if (!strcmp(a[0], "dir")) {
		e.type = FAMFS_ENTRY_MKDIR;
		e.dir.mode = 0755;
	} else {
		e.type = FAMFS_ENTRY_FILE;
		e.file = (struct famfs_file_info){
			.size = 4096, .mode = 0644, .nextents = 1,
			.ext[0] = { 0, fs.sb.data_offset, fs.sb.alloc_unit },
		};
	}
	len = famfs_entry_encode(&e, fs.log.info.seed, base,
				 fs.log.info.log_len - off, NULL);
	if (len < 0)
		return die("encode", len);
	for (p = base + len - n - 1; p > base; p--)	/* the path, NUL after */
		if (!memcmp(p, ph, n) && !p[n])
			break;
	memcpy(p, a[1], n);
	put_le32_at(base, famfs_crc32c(fs.log.info.seed, base + 4,
				       (size_t)len - 4));
	famfs_flush(base, (size_t)len);
	return famfs_log_publish(&fs.log, off + (uint64_t)len, e.seq + 1) ?
	       die("publish", -EIO) : 0;
}

/*
 * Publish @body (@blen bytes after the 24-byte entry header) as the next
 * entry of type @type, whatever it holds: docs/format.md 7.1's header,
 * zero padding to 8 bytes, the CRC over bytes [4, e_len).
 */
static int publish_crafted(uint16_t type, const uint8_t *body, size_t blen)
{
	uint64_t off = fs.log.tail.next_off, seq = fs.log.tail.next_seq;
	uint32_t len = (uint32_t)((24 + blen + 7) & ~(size_t)7);
	uint8_t *p = fs.log.base + off;

	if (off + len > fs.log.info.log_len) {
		fprintf(stderr, "famfs-testgen: log is full\n");
		return 1;
	}
	memset(p, 0, len);
	put_le32_at(p + 4, len);
	put_le64_at(p + 8, seq);
	put_le16_at(p + 16, type);
	memcpy(p + 24, body, blen);
	put_le32_at(p, famfs_crc32c(fs.log.info.seed, p + 4, len - 4));
	famfs_flush(p, len);
	return famfs_log_publish(&fs.log, off + len, seq + 1) ?
	       die("publish", -EIO) : 0;
}

/* An INODE entry of a symbolic link whose target has @a[1] bytes. */
static int cmd_longsymlink(char **a)
{
	size_t plen = strlen(a[0]), tlen = (size_t)num(a[1]);
	size_t blen = 72 + plen + 1 + tlen + 1;
	uint8_t *b = calloc(1, blen);
	int rc;

	if (!b || plen > FAMFS_PATH_MAX || tlen > 0xffff) {
		free(b);
		return 2;
	}
	put_le64_at(b + 0x00, tlen);			/* i_size */
	put_le32_at(b + 0x10, S_IFLNK | 0777);		/* i_mode */
	put_le16_at(b + 0x44, (uint16_t)plen);		/* i_path_len */
	put_le16_at(b + 0x46, (uint16_t)tlen);		/* i_target_len */
	memcpy(b + 72, a[0], plen);
	memset(b + 72 + plen + 1, 't', tlen);
	rc = publish_crafted(FAMFS_ENTRY_INODE, b, blen);
	free(b);
	return rc;
}

/* An XATTR entry of @a[0] setting @a[1] to a value of @a[2] bytes. */
static int cmd_bigxattr(char **a)
{
	size_t plen = strlen(a[0]), nlen = strlen(a[1]);
	size_t vlen = (size_t)num(a[2]);
	size_t blen = 8 + plen + 1 + nlen + 1 + vlen;
	uint8_t *b = calloc(1, blen);
	int rc;

	if (!b || plen > FAMFS_PATH_MAX || nlen > 255) {
		free(b);
		return 2;
	}
	put_le16_at(b + 0x00, (uint16_t)plen);		/* x_path_len */
	b[0x02] = (uint8_t)nlen;			/* x_name_len */
	put_le32_at(b + 0x04, (uint32_t)vlen);		/* x_value_len */
	memcpy(b + 8, a[0], plen);
	memcpy(b + 8 + plen + 1, a[1], nlen);
	memset(b + 8 + plen + 1 + nlen + 1, 'v', vlen);
	rc = publish_crafted(FAMFS_ENTRY_XATTR, b, blen);
	free(b);
	return rc;
}

/* Rewrite the superblock's incompat mask; LARGE_ENTRY moves l_entry_max. */
static int cmd_features(char **a)
{
	struct famfs_sb_info sb = fs.sb;
	struct famfs_log_info li = fs.log.info;
	uint8_t buf[FAMFS_LOG_HDR_SIZE > FAMFS_SB_SIZE ? FAMFS_LOG_HDR_SIZE
						       : FAMFS_SB_SIZE];
	uint32_t mask = (uint32_t)strtoul(a[1], NULL, 0);

	if (!strcmp(a[0], "set"))
		sb.incompat |= mask;
	else if (!strcmp(a[0], "clear"))
		sb.incompat &= ~mask;
	else
		return 2;
	memset(buf, 0, sizeof(buf));
	famfs_sb_encode(&sb, buf);
	memcpy(fs.dev.base, buf, FAMFS_SB_SIZE);
	famfs_flush(fs.dev.base, FAMFS_SB_SIZE);
	li.entry_max = famfs_log_entry_max(sb.incompat);
	if (li.entry_max != fs.log.info.entry_max) {
		memset(buf, 0, sizeof(buf));
		famfs_log_hdr_encode(&li, buf);
		memcpy(fs.log.base, buf, FAMFS_LOG_HDR_SIZE);
		famfs_flush(fs.log.base, FAMFS_LOG_HDR_SIZE);
	}
	return famfs_dev_sync(&fs.dev) ? die("sync", -EIO) : 0;
}

/* The first @a[1] bytes of the superblock with the features @a[0] on. */
static int cmd_tornsb(char **a)
{
	struct famfs_sb_info sb = fs.sb;
	uint8_t buf[FAMFS_SB_SIZE];
	uint64_t n = num(a[1]);

	sb.incompat |= (uint32_t)strtoul(a[0], NULL, 0);
	famfs_sb_encode(&sb, buf);
	memcpy(fs.dev.base, buf, n < sizeof(buf) ? n : sizeof(buf));
	famfs_flush(fs.dev.base, FAMFS_SB_SIZE);
	return famfs_dev_sync(&fs.dev) ? die("sync", -EIO) : 0;
}

static int cmd_mknod(char **a, int argc)
{
	static const struct { const char *n; uint32_t fmt; } t[] = {
		{ "fifo", S_IFIFO }, { "sock", S_IFSOCK },
		{ "chr", S_IFCHR }, { "blk", S_IFBLK },
	};
	struct famfs_inode_info ii = { .mtime = famfs_now() };
	int rc;

	ii.ctime = ii.mtime;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (!strcmp(a[1], t[i].n))
			ii.mode = t[i].fmt | 0644;
	if (!ii.mode)
		return 2;
	if (argc == 4) {
		ii.rdev_major = (uint32_t)num(a[2]);
		ii.rdev_minor = (uint32_t)num(a[3]);
	}
	rc = famfs_fs_mknode(&fs, a[0], &ii, 0, NULL, NULL, &why);
	return rc ? die(a[0], rc) : 0;
}

static int mknode(const char *path, uint32_t mode, const char *target)
{
	struct famfs_inode_info ii = { .mode = mode, .mtime = famfs_now() };
	int rc;

	ii.ctime = ii.mtime;
	rc = famfs_fs_mknode(&fs, path, &ii, 0, NULL, target, &why);
	return rc ? die(path, rc) : 0;
}

static int setxattr(const char *path, const char *name, const char *value,
		    uint32_t flags)
{
	int rc = famfs_fs_setxattr(&fs, path, name, value,
				   value ? (uint32_t)strlen(value) : 0, flags,
				   &why);

	return rc ? die(path, rc) : 0;
}

static int setattr(const char *path, uint32_t mode, char **ug)
{
	struct famfs_attr_info at = {
		.valid = FAMFS_ATTR_MODE | FAMFS_ATTR_MTIME | FAMFS_ATTR_CTIME,
		.mode = mode, .mtime = famfs_now(),
	};
	int rc;

	at.ctime = at.mtime;
	if (ug) {
		at.valid |= FAMFS_ATTR_UID | FAMFS_ATTR_GID;
		at.uid = (uint32_t)num(ug[0]);
		at.gid = (uint32_t)num(ug[1]);
	}
	rc = famfs_fs_setattr(&fs, path, &at, &why);
	return rc ? die(path, rc) : 0;
}

/* An entry the master would refuse, logged as a broken writer would. */
static int cmd_raw(const char *cmd, char **a)
{
	static struct famfs_entry e;

	famfs_entry_set_path(&e, a[0]);
	if (!strcmp(cmd, "rawlink")) {
		e.type = FAMFS_ENTRY_LINK;
		famfs_entry_set_target(&e, a[1]);
	} else if (!strcmp(cmd, "rawxattr")) {
		e.type = FAMFS_ENTRY_XATTR;
		e.xattr.name_len = (uint32_t)strlen(a[1]);
		memcpy(e.xattr.name, a[1], e.xattr.name_len + 1);
		e.xattr.value_len = (uint32_t)strlen(a[2]);
		memcpy(e.xattr.value, a[2], e.xattr.value_len);
	} else {
		e.type = FAMFS_ENTRY_ATTR;
		e.attr.valid = FAMFS_ATTR_MODE;
		e.attr.mode = (uint32_t)strtoul(a[1], NULL, 8) & 07777;
	}
	return append_raw(&e);
}

/* @n of every root-tree kind under @prefix: the fidelity mix for tests. */
static int cmd_kinds(const char *prefix, uint64_t n)
{
	char p[FAMFS_PATH_MAX + 1], q[FAMFS_PATH_MAX + 1];
	int rc = 0;

	if (!famfs_ns_lookup(&fs.ns, prefix, strlen(prefix)))
		rc = mknode(prefix, S_IFDIR | 0755, NULL);
	for (uint64_t i = 0; !rc && i < n; i++) {
		snprintf(q, sizeof(q), "%s/f%" PRIu64, prefix, i);
		rc = famfs_fs_mkfile(&fs, q, 4096, 0644, 0, 0, &why);
		if (rc)
			return die(q, rc);
		snprintf(p, sizeof(p), "%s/e%" PRIu64, prefix, i);
		rc = mknode(p, S_IFREG | 0600, NULL);
		snprintf(p, sizeof(p), "%s/l%" PRIu64, prefix, i);
		if (!rc)
			rc = mknode(p, S_IFLNK | 0777, q + strlen(prefix) + 1);
		snprintf(p, sizeof(p), "%s/h%" PRIu64, prefix, i);
		if (!rc && famfs_fs_link(&fs, p, q, &why))
			rc = die(p, -EIO);
		snprintf(p, sizeof(p), "%s/p%" PRIu64, prefix, i);
		if (!rc)
			rc = mknode(p, S_IFIFO | 0644, NULL);
		if (!rc)
			rc = setxattr(q, "user.kind", "regular", 0);
		if (!rc)
			rc = setattr(q, 0640, NULL);
	}
	return rc;
}

static int name_cmp(const void *a, const void *b)
{
	const struct famfs_node *x = *(const struct famfs_node *const *)a;
	const struct famfs_node *y = *(const struct famfs_node *const *)b;

	return strcmp(x->path, y->path);
}

/*
 * The replayed namespace as text, one name a line in path order; no
 * times, no extents: two logs that made the same tree dump the same.
 */
static int cmd_dump(void)
{
	struct famfs_node **v = calloc(fs.ns.names + 1, sizeof(*v));
	uint64_t n = 0;

	if (!v)
		return die("dump", -ENOMEM);
	for (uint64_t h = 0; h < fs.ns.hcap; h++)
		for (struct famfs_node *nd = fs.ns.htab[h]; nd; nd = nd->hnext)
			if (n < fs.ns.names)
				v[n++] = nd;
	qsort(v, n, sizeof(*v), name_cmp);
	for (uint64_t i = 0; i < n; i++) {
		const struct famfs_node *in = famfs_ns_inode(v[i]);

		printf("%s %06o %u:%u size %" PRIu64 " links %u inode %s",
		       v[i]->path, in->ifmt | in->mode, in->uid, in->gid,
		       in->size, in->nlink, in->path);
		if (in->target)
			printf(" -> %s", in->target);
		if (in->rdev_major || in->rdev_minor)
			printf(" dev %u,%u", in->rdev_major, in->rdev_minor);
		for (const struct famfs_xattr *x = in->xattrs; x; x = x->next) {
			printf(" %s=", x->name);
			for (uint32_t k = 0; k < x->value_len; k++)
				printf("%02x", x->value[k]);
		}
		putchar('\n');
	}
	free(v);
	return 0;
}

static int cmd_files(char **a)
{
	uint64_t n = num(a[0]), size = num(a[2]);
	char path[FAMFS_PATH_MAX + 1];
	int rc;

	if (!famfs_ns_lookup(&fs.ns, a[1], strlen(a[1]))) {
		rc = famfs_fs_mkdir(&fs, a[1], 0755, 0, 0, &why);
		if (rc)
			return die(a[1], rc);
	}
	for (uint64_t i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/f%" PRIu64, a[1], i);
		rc = famfs_fs_mkfile(&fs, path, size, 0644, 0, 0, &why);
		if (rc)
			return die(path, rc);
	}
	return 0;
}

/*
 * Where the tree verb stores its next entry: entries go one after another
 * from the published tail, unflushed and unpublished until tree_end().
 */
struct tree_pos {
	uint64_t start, off, seq;
};

static int tree_put(struct famfs_entry *e, struct tree_pos *t)
{
	enum famfs_apply_err kind;
	int len, rc;

	e->seq = t->seq;
	len = famfs_log_entry_fits(&fs.log, e, &why);
	if (len >= 0 && t->off + (uint64_t)len > fs.log.info.log_len) {
		famfs_why_set(&why, "log is full at entry %" PRIu64, t->seq);
		len = -ENOSPC;
	}
	if (len >= 0)
		len = famfs_entry_encode(e, fs.log.info.seed,
					 fs.log.base + t->off,
					 fs.log.info.log_len - t->off, &why);
	if (len < 0)
		return die(e->path, len);
	rc = famfs_fs_apply(&fs, e, &kind, &why);
	if (rc)
		return die(e->path, rc);
	t->off += (uint64_t)len;
	t->seq++;
	fs.applied_seq = t->seq;
	fs.applied_off = t->off;
	return 0;
}

/* One file of @size bytes at @path, from device 0's allocator. */
static int tree_file(struct famfs_entry *e, const char *path, uint64_t size,
		     struct tree_pos *t)
{
	uint64_t g = famfs_sb_granule(&fs.sb), n = (size + g - 1) / g, s;

	famfs_entry_set_path(e, path);
	e->type = FAMFS_ENTRY_FILE;
	e->file = (struct famfs_file_info){ .size = size, .mode = 0644,
					    .nextents = 1 };
	if (famfs_bitmap_alloc(&fs.bmap[0], n, &s)) {
		famfs_why_set(&why, "no space");
		return die(path, -ENOSPC);
	}
	famfs_bitmap_clear(&fs.bmap[0], s, n);	/* apply sets the bits */
	e->file.ext[0] = (struct famfs_extent){ 0, s * g, n * g };
	return tree_put(e, t);
}

/* Zero the window after the last entry, flush, publish the tail once. */
static int tree_end(struct tree_pos *t)
{
	uint64_t win = t->off + fs.log.info.entry_max;
	int rc;

	famfs_log_zero_range(&fs.log, t->off, win < fs.log.info.log_len ?
			     win : fs.log.info.log_len);
	famfs_flush(fs.log.base + t->start, t->off - t->start);
	rc = famfs_log_publish(&fs.log, t->off, t->seq);
	return rc ? die("publish", rc) : 0;
}

/*
 * famfs-testgen IMG tree DIRS PER SIZE: directories d0..d<DIRS-1>, each
 * holding f0..f<PER-1> of SIZE bytes, as FILE and MKDIR entries stored
 * straight into the log of an image nobody has mounted.
 */
static int cmd_tree(char **a)
{
	uint64_t dirs = num(a[0]), per = num(a[1]), size = num(a[2]);
	struct tree_pos t = { fs.log.tail.next_off, fs.log.tail.next_off,
			      fs.log.tail.next_seq };
	static struct famfs_entry e;
	char path[64];
	int rc = 0;

	for (uint64_t d = 0; d < dirs && !rc; d++) {
		snprintf(path, sizeof(path), "d%" PRIu64, d);
		memset(&e, 0, sizeof(e));
		famfs_entry_set_path(&e, path);
		e.type = FAMFS_ENTRY_MKDIR;
		e.dir.mode = 0755;
		rc = tree_put(&e, &t);
		for (uint64_t f = 0; f < per && !rc; f++) {
			snprintf(path, sizeof(path), "d%" PRIu64 "/f%" PRIu64,
				 d, f);
			rc = tree_file(&e, path, size, &t);
		}
	}
	return rc ? rc : tree_end(&t);
}

static int run(const char *cmd, int argc, char **a)
{
	int rc;

	if (!strcmp(cmd, "mkdir")) {
		for (int i = 0; i < argc; i++) {
			rc = famfs_fs_mkdir(&fs, a[i], 0755, 0, 0, &why);
			if (rc)
				return die(a[i], rc);
		}
		return 0;
	}
	if (!strcmp(cmd, "file") && argc == 2) {
		rc = famfs_fs_mkfile(&fs, a[0], num(a[1]), 0644, 0, 0, &why);
		return rc ? die(a[0], rc) : 0;
	}
	if (!strcmp(cmd, "empty")) {
		for (int i = 0; i < argc; i++) {
			struct famfs_inode_info in = {
				.mode = S_IFREG | 0644, .mtime = famfs_now(),
			};

			in.ctime = in.mtime;
			rc = famfs_fs_mknode(&fs, a[i], &in, 0, NULL, NULL, &why);
			if (rc)
				return die(a[i], rc);
		}
		return 0;
	}
	if (!strcmp(cmd, "ifile") && argc == 4) {
		struct famfs_layout lay = { (uint32_t)num(a[2]), num(a[3]) };

		rc = famfs_fs_mkfile_layout(&fs, a[0], num(a[1]), 0644, 0, 0,
					    &lay, &why);
		return rc ? die(a[0], rc) : 0;
	}
	if (!strcmp(cmd, "files") && argc == 3)
		return cmd_files(a);
	if (!strcmp(cmd, "tree") && argc == 3)
		return cmd_tree(a);
	if (!strcmp(cmd, "rawfile") && argc == 5)
		return cmd_rawfile(a);
	if (!strcmp(cmd, "clone") && argc == 2)
		return cmd_clone(a);
	if (!strcmp(cmd, "torn") && argc == 2)
		return cmd_torn(a);
	if (!strcmp(cmd, "badpath") && argc == 2)
		return cmd_badpath(a);
	if (!strcmp(cmd, "symlink") && argc == 2)
		return mknode(a[0], S_IFLNK | 0777, a[1]);
	if (!strcmp(cmd, "empty") && argc == 1)
		return mknode(a[0], S_IFREG | 0644, NULL);
	if (!strcmp(cmd, "link") && argc == 2) {
		rc = famfs_fs_link(&fs, a[0], a[1], &why);
		return rc ? die(a[0], rc) : 0;
	}
	if (!strcmp(cmd, "mknod") && (argc == 2 || argc == 4))
		return cmd_mknod(a, argc);
	if (!strcmp(cmd, "xattr") && argc == 3)
		return setxattr(a[0], a[1], a[2], 0);
	if (!strcmp(cmd, "rmxattr") && argc == 2)
		return setxattr(a[0], a[1], NULL, FAMFS_XATTR_REMOVE);
	if (!strcmp(cmd, "attr") && (argc == 2 || argc == 4))
		return setattr(a[0], (uint32_t)strtoul(a[1], NULL, 8) & 07777,
			       argc == 4 ? a + 2 : NULL);
	if (!strcmp(cmd, "kinds") && argc == 2)
		return cmd_kinds(a[0], num(a[1]));
	if ((!strcmp(cmd, "rawlink") || !strcmp(cmd, "rawattr")) && argc == 2)
		return cmd_raw(cmd, a);
	if (!strcmp(cmd, "rawxattr") && argc == 3)
		return cmd_raw(cmd, a);
	if (!strcmp(cmd, "longsymlink") && argc == 2)
		return cmd_longsymlink(a);
	if (!strcmp(cmd, "bigxattr") && argc == 3)
		return cmd_bigxattr(a);
	if (!strcmp(cmd, "tornsb") && argc == 2)
		return cmd_tornsb(a);
	if (!strcmp(cmd, "features") && argc == 2)
		return cmd_features(a);
	if (!strcmp(cmd, "dump"))
		return cmd_dump();
	if (!strcmp(cmd, "tail")) {
		printf("%" PRIu64 " %" PRIu64 " %" PRIu64 "\n",
		       fs.log.tail.next_off, fs.log.tail.next_seq,
		       fs.sb.log_offset);
		return 0;
	}
	fprintf(stderr, "famfs-testgen: bad command or arguments\n");
	return 2;
}

/*
 * famfs-testgen FILE ctl-chmod MODE: change FILE's mode through its
 * server's control file (a logged SETATTR), not through the VFS: what a
 * change made on another host looks like to this host's kernel.
 */
static int ctl_chmod(const char *file, const char *mode)
{
	static struct famfs_ctl_req q = { .op = FAMFS_CTL_SETATTR };
	static struct famfs_ctl_rep r;
	char mnt[PATH_MAX];
	int rc;

	rc = famfs_client_resolve(file, mnt, sizeof(mnt), q.path,
				  sizeof(q.path), &why);
	if (!rc) {
		q.valid = FAMFS_CTL_A_MODE;
		q.mode = (uint32_t)strtoul(mode, NULL, 8) & 07777;
		rc = famfs_client_request(mnt, &q, &r, &why);
	}
	if (!rc && r.err)
		rc = -r.err;
	return rc ? die(file, rc) : 0;
}

int main(int argc, char **argv)
{
	int rc;

	if (argc < 3) {
		fprintf(stderr, "usage: famfs-testgen IMG CMD [ARGS]\n");
		return 2;
	}
	if (argc == 4 && !strcmp(argv[2], "ctl-chmod"))
		return ctl_chmod(argv[1], argv[3]);
	rc = famfs_fs_open(&fs, argv[1], FAMFS_DEV_RDWR | FAMFS_DEV_EXCL, &why);
	if (rc)
		return die(argv[1], rc);
	rc = famfs_fs_replay(&fs, &(struct famfs_scan){ 0 }, &why);
	/* the raw verbs damage on top of damage: a refused entry is fine */
	if (rc < 0 && strncmp(argv[2], "raw", 3))
		return die("replay", rc);
	/* secondary devices: the files beside the image, as famfs does */
	rc = famfs_fs_set_scan(&fs, NULL, 0, 1);
	if (rc)
		return die("scan", rc);
	rc = run(argv[2], argc - 3, argv + 3);
	famfs_fs_close(&fs);
	return rc;
}
