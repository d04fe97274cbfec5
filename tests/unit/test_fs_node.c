// SPDX-License-Identifier: Apache-2.0
/*
 * Root trees on an opened filesystem (create_node.c, ns.c, ns_attr.c,
 * fs.c): hard links share an inode and count nlink; links to directories
 * or missing names are refused; xattrs are set, replaced and removed
 * within the 64 KiB list limit; ATTR changes; a symlink's size; every
 * refusal of the master API writes nothing; a first-release filesystem
 * gets exactly the feature bit an entry needs, keeps FILE and MKDIR
 * entries and refuses an entry over 4 KiB; a replayer reads the
 * superblock again for a new feature, and refuses an entry whose feature
 * the superblock lacks; unknown incompat bits are named.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "unit_fs.h"

static struct uimg im;
static struct famfs_fs *fs, *fs2;
static uint8_t *meta;			/* superblock + log copy */

static int setup(void **state)
{
	(void)state;
	fs = calloc(1, sizeof(*fs));
	fs2 = calloc(1, sizeof(*fs2));
	im.fd = -1;
	if (!fs || !fs2)
		return -1;
	fs->dev.fd = fs2->dev.fd = -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	famfs_fs_close(fs);
	famfs_fs_close(fs2);
	free(fs);
	free(fs2);
	fs = fs2 = NULL;
	free(meta);
	meta = NULL;
	uimg_destroy(&im);
	return 0;
}

/* A 64 MiB image made by mkfs, or by the first release's mkfs. */
static void new_fs(int first_release)
{
	struct famfs_mkfs_opts o = {
		.master_uuid = { 0x5a, 1, 2, 3 },
		.mkfs_time = 1700000000,
		.first_release = first_release,
	};
	struct famfs_why why = { "" };
	struct famfs_dev dev;

	uimg_create(&im, 64 * UNIT_MiB);
	assert_int_equal(famfs_dev_open(&dev, im.path,
					FAMFS_DEV_RDWR | FAMFS_DEV_EXCL,
					&why), 0);
	assert_int_equal(famfs_mkfs_plan(&dev, &o, &im.sb, &why), 0);
	assert_int_equal(famfs_mkfs_write(&dev, &im.sb, &why), 0);
	famfs_dev_close(&dev);
	ufs_open(fs, &im, FAMFS_DEV_RDWR);
}

/* Remember the superblock and log; unchanged() compares with them. */
static void snap(void)
{
	free(meta);
	meta = malloc(im.sb.data_offset);
	assert_non_null(meta);
	uimg_read(&im, 0, meta, im.sb.data_offset);
}

static void unchanged(void)
{
	uint8_t *now = malloc(im.sb.data_offset);

	assert_non_null(now);
	uimg_read(&im, 0, now, im.sb.data_offset);
	assert_memory_equal(now, meta, im.sb.data_offset);
	free(now);
}

static struct famfs_inode_info ii(uint32_t mode)
{
	return (struct famfs_inode_info){ .mode = mode,
		.mtime = { 1700000000, 5 }, .ctime = { 1700000001, 6 } };
}

static void mknode(const char *path, uint32_t mode, const char *target)
{
	struct famfs_inode_info a = ii(mode);
	struct famfs_why why = { "" };
	int rc = famfs_fs_mknode(fs, path, &a, 0, NULL, target, &why);

	if (rc)
		print_error("mknode %s: %d %s\n", path, rc, why.msg);
	assert_int_equal(rc, 0);
}

static void link_ok(const char *path, const char *existing)
{
	struct famfs_why why = { "" };
	int rc = famfs_fs_link(fs, path, existing, &why);

	if (rc)
		print_error("link %s: %d %s\n", path, rc, why.msg);
	assert_int_equal(rc, 0);
}

static int setx(const char *path, const char *name, const char *val,
		uint32_t len, uint32_t flags)
{
	struct famfs_why why = { "" };

	return famfs_fs_setxattr(fs, path, name, val, len, flags, &why);
}

static struct famfs_node *inode(struct famfs_fs *f, const char *path)
{
	struct famfs_node *n = ufs_lookup(f, path);

	assert_non_null(n);
	return famfs_ns_inode(n);
}

/* Replay the image in fs2, from scratch. */
static void reopen2(void)
{
	famfs_fs_close(fs2);
	memset(fs2, 0, sizeof(*fs2));
	fs2->dev.fd = -1;
	ufs_open(fs2, &im, 0);
}

/* ---- namespace semantics ------------------------------------------------ */

static void test_hard_links(void **state)
{
	struct famfs_node *a, *h;

	(void)state;
	new_fs(0);
	ufs_mkdir(fs, "d");
	ufs_mkfile(fs, "d/a", 4096);
	link_ok("h", "d/a");
	link_ok("d/h2", "h");			/* through another link */
	for (int pass = 0; pass < 2; pass++) {
		struct famfs_fs *f = pass ? fs2 : fs;

		if (pass)
			reopen2();
		a = ufs_lookup(f, "d/a");
		h = ufs_lookup(f, "h");
		assert_non_null(a);
		assert_non_null(h);
		assert_ptr_equal(famfs_ns_inode(h), a);
		assert_int_equal(h->ino, a->ino);
		assert_int_equal(inode(f, "d/h2")->ino, a->ino);
		assert_int_equal(a->nlink, 3);
		assert_int_equal(f->ns.nhardlinks, 2);
		assert_int_equal(f->ns.nfiles, 1);
		assert_int_equal(f->ns.names, 4);	/* d, d/a, h, d/h2 */
	}
}

static void test_link_refused(void **state)
{
	struct famfs_why why = { "" };

	(void)state;
	new_fs(0);
	ufs_mkdir(fs, "d");
	ufs_mkfile(fs, "a", 4096);
	snap();
	assert_int_equal(famfs_fs_link(fs, "x", "d", &why), -EPERM);
	assert_non_null(strstr(why.msg, "directory"));
	assert_int_equal(famfs_fs_link(fs, "x", "nosuch", &why), -ENOENT);
	assert_int_equal(famfs_fs_link(fs, "d", "a", &why), -EEXIST);
	assert_int_equal(famfs_fs_link(fs, "nodir/x", "a", &why), -ENOENT);
	unchanged();
	assert_null(ufs_lookup(fs, "x"));
	assert_int_equal(inode(fs, "a")->nlink, 1);
}

static void test_xattrs(void **state)
{
	const struct famfs_xattr *x;
	struct famfs_node *a;

	(void)state;
	new_fs(0);
	ufs_mkfile(fs, "a", 4096);
	link_ok("h", "a");
	assert_int_equal(setx("a", "user.one", "1", 1, 0), 0);
	assert_int_equal(setx("h", "user.one", "22", 2, 0), 0);	/* replace */
	assert_int_equal(setx("a", "trusted.t", "", 0, 0), 0);	/* empty value */
	a = inode(fs, "a");
	x = famfs_ns_getxattr(a, "user.one");
	assert_non_null(x);
	assert_int_equal(x->value_len, 2);
	assert_memory_equal(x->value, "22", 2);
	assert_int_equal(a->xattr_bytes, 9 + 2 + 10);
	assert_int_equal(fs->ns.nxattrs, 2);
	snap();
	assert_int_equal(setx("a", "user.one", "3", 1, FAMFS_SETX_CREATE), -EEXIST);
	assert_int_equal(setx("a", "user.two", "3", 1, FAMFS_SETX_REPLACE), -ENODATA);
	assert_int_equal(setx("a", "user.two", NULL, 0, FAMFS_XATTR_REMOVE), -ENODATA);
	assert_int_equal(setx("nosuch", "user.x", "3", 1, 0), -ENOENT);
	assert_int_equal(setx("a", "bad.x", "3", 1, 0), -EOPNOTSUPP);
	assert_int_equal(setx("a", "user.x", "3", FAMFS_XATTR_VALUE_MAX + 1, 0),
			 -E2BIG);
	unchanged();
	assert_int_equal(setx("h", "user.one", NULL, 0, FAMFS_XATTR_REMOVE), 0);
	assert_null(famfs_ns_getxattr(a, "user.one"));
	assert_int_equal(a->xattr_bytes, 10);
	reopen2();
	a = inode(fs2, "h");
	assert_null(famfs_ns_getxattr(a, "user.one"));
	assert_non_null(famfs_ns_getxattr(a, "trusted.t"));
	assert_int_equal(fs2->ns.nxattrs, 1);
}

/* The names, their NULs and the values of one inode: at most 65536. */
static void test_xattr_list_limit(void **state)
{
	char *v = malloc(FAMFS_XATTR_VALUE_MAX), name[24];
	struct famfs_node *a;
	uint32_t left;

	(void)state;
	assert_non_null(v);
	memset(v, 'v', FAMFS_XATTR_VALUE_MAX);
	new_fs(0);
	ufs_mkfile(fs, "a", 4096);
	/* 7 of "user.aN" + NUL + 8192 = 57400 bytes */
	for (int i = 0; i < 7; i++) {
		snprintf(name, sizeof(name), "user.a%d", i);
		assert_int_equal(setx("a", name, v, FAMFS_XATTR_VALUE_MAX, 0), 0);
	}
	a = inode(fs, "a");
	assert_int_equal(a->xattr_bytes, 7 * (7 + 1 + FAMFS_XATTR_VALUE_MAX));
	left = FAMFS_XATTR_LIST_MAX - a->xattr_bytes;	/* 8136 */
	snap();
	/* "user.b" + NUL + value: one byte over */
	assert_int_equal(setx("a", "user.b", v, left - 7 + 1, 0), -ENOSPC);
	unchanged();
	assert_int_equal(setx("a", "user.b", v, left - 7, 0), 0);
	assert_int_equal(a->xattr_bytes, FAMFS_XATTR_LIST_MAX);
	/* a replace is measured without the old value */
	assert_int_equal(setx("a", "user.a0", v, FAMFS_XATTR_VALUE_MAX, 0), 0);
	assert_int_equal(setx("a", "user.a0", v, FAMFS_XATTR_VALUE_MAX, 0), 0);
	snap();
	assert_int_equal(setx("a", "user.c", "x", 1, 0), -ENOSPC);
	unchanged();
	reopen2();
	assert_int_equal(inode(fs2, "a")->xattr_bytes, FAMFS_XATTR_LIST_MAX);
	free(v);
}

static void test_setattr(void **state)
{
	struct famfs_attr_info at = {
		.valid = FAMFS_ATTR_MODE | FAMFS_ATTR_UID | FAMFS_ATTR_MTIME,
		.mode = 04750, .uid = 42, .mtime = { -1, 999999999 },
	};
	struct famfs_why why = { "" };
	struct famfs_node *n;

	(void)state;
	new_fs(0);
	ufs_mkfile(fs, "a", 4096);		/* uid, gid 1000 */
	link_ok("h", "a");
	assert_int_equal(famfs_fs_setattr(fs, "h", &at, &why), 0);
	for (int pass = 0; pass < 2; pass++) {
		if (pass)
			reopen2();
		n = inode(pass ? fs2 : fs, "a");
		assert_int_equal(n->mode, 04750);
		assert_int_equal(n->uid, 42);
		assert_int_equal(n->gid, 1000);	/* not named: kept */
		assert_int_equal(n->mtime.sec, -1);
		assert_int_equal(n->mtime.nsec, 999999999);
		assert_int_equal(n->ifmt, S_IFREG);
	}
	snap();
	assert_int_equal(famfs_fs_setattr(fs, "nosuch", &at, &why), -ENOENT);
	at.valid = 0;
	assert_int_equal(famfs_fs_setattr(fs, "a", &at, &why), -EINVAL);
	at.valid = FAMFS_ATTR_MODE;
	at.mode = S_IFDIR | 0755;		/* the type never changes */
	assert_int_equal(famfs_fs_setattr(fs, "a", &at, &why), -EINVAL);
	at = (struct famfs_attr_info){ .valid = FAMFS_ATTR_CTIME,
				       .ctime = { 1, 1000000000 } };
	assert_int_equal(famfs_fs_setattr(fs, "a", &at, &why), -EINVAL);
	at.valid = 0x20;
	assert_int_equal(famfs_fs_setattr(fs, "a", &at, &why), -EINVAL);
	unchanged();
}

static void test_symlink_and_special(void **state)
{
	struct famfs_inode_info a = ii(S_IFCHR | 0666);
	struct famfs_why why = { "" };
	struct famfs_node *n;

	(void)state;
	new_fs(0);
	mknode("s", S_IFLNK | 0777, "some/where/else");
	mknode("e", S_IFREG | 0600, NULL);
	a.rdev_major = 1;
	a.rdev_minor = 3;
	assert_int_equal(famfs_fs_mknode(fs, "null", &a, 0, NULL, NULL, &why), 0);
	mknode("fifo", S_IFIFO | 0644, NULL);
	for (int pass = 0; pass < 2; pass++) {
		struct famfs_fs *f = pass ? fs2 : fs;

		if (pass)
			reopen2();
		n = inode(f, "s");
		assert_int_equal(n->ifmt, S_IFLNK);
		assert_int_equal(n->size, 15);
		assert_string_equal(n->target, "some/where/else");
		assert_int_equal(n->mtime.sec, 1700000000);
		assert_int_equal(n->ctime.nsec, 6);
		n = inode(f, "e");
		assert_int_equal(n->ifmt, S_IFREG);
		assert_int_equal(n->size, 0);
		n = inode(f, "null");
		assert_int_equal(n->ifmt, S_IFCHR);
		assert_int_equal(n->rdev_major, 1);
		assert_int_equal(n->rdev_minor, 3);
		assert_int_equal(f->ns.nsymlinks, 1);
		assert_int_equal(f->ns.nspecial, 2);
	}
}

static void test_mknode_refused(void **state)
{
	struct famfs_inode_info a;
	struct famfs_why why = { "" };
	char *longt = malloc(FAMFS_SYMLINK_MAX + 2);

	(void)state;
	assert_non_null(longt);
	memset(longt, 't', FAMFS_SYMLINK_MAX + 1);
	longt[FAMFS_SYMLINK_MAX + 1] = 0;
	new_fs(0);
	ufs_mkfile(fs, "f", 4096);
	snap();
	a = ii(0170000 | 0644);
	assert_int_equal(famfs_fs_mknode(fs, "x", &a, 0, NULL, NULL, &why), -EINVAL);
	a = ii(S_IFIFO | 0644);
	a.rdev_minor = 1;
	assert_int_equal(famfs_fs_mknode(fs, "x", &a, 0, NULL, NULL, &why), -EINVAL);
	a = ii(S_IFIFO | 0644);
	a.mtime.nsec = 1000000000;
	assert_int_equal(famfs_fs_mknode(fs, "x", &a, 0, NULL, NULL, &why), -EINVAL);
	a = ii(S_IFLNK | 0777);
	assert_int_equal(famfs_fs_mknode(fs, "x", &a, 0, NULL, NULL, &why), -EINVAL);
	assert_int_equal(famfs_fs_mknode(fs, "x", &a, 0, NULL, "", &why), -ENOENT);
	assert_int_equal(famfs_fs_mknode(fs, "x", &a, 0, NULL, longt, &why),
			 -ENAMETOOLONG);
	a = ii(S_IFREG | 0644);
	assert_int_equal(famfs_fs_mknode(fs, "x", &a, 0, NULL, "t", &why), -EINVAL);
	a = ii(S_IFDIR | 0755);
	assert_int_equal(famfs_fs_mknode(fs, "x", &a, 4096, NULL, NULL, &why), -EINVAL);
	assert_int_equal(famfs_fs_mknode(fs, "f", &a, 0, NULL, NULL, &why), -EEXIST);
	assert_int_equal(famfs_fs_mknode(fs, "f/x", &a, 0, NULL, NULL, &why), -ENOTDIR);
	a = ii(S_IFREG | 0644);
	assert_int_equal(famfs_fs_mknode(fs, "x", &a, 1ull << 40, NULL, NULL, &why),
			 -EINVAL);
	unchanged();
	free(longt);
}

/* ---- first-release filesystems ----------------------------------------- */

static int type_cb(void *arg, const struct famfs_entry *e, uint64_t off)
{
	uint32_t *types = arg;

	(void)off;
	types[e->seq] = e->type;
	return 0;
}

static void log_types(struct famfs_fs *f, uint32_t *types)
{
	struct famfs_scan res;

	assert_int_equal(famfs_log_read_tail(&f->log, NULL), 0);
	assert_int_equal(famfs_log_scan(&f->log, f->log.info.entries_off, 0,
					f->log.tail.next_off, type_cb, types,
					&res), 0);
	assert_int_equal(res.err, 0);
}

/* The incompat mask of the superblock on the image. */
static uint32_t sb_incompat(void)
{
	uint8_t buf[FAMFS_SB_SIZE];
	struct famfs_sb_info sb;
	struct famfs_why why = { "" };

	uimg_read(&im, 0, buf, sizeof(buf));
	assert_int_equal(famfs_sb_decode(buf, im.size, &sb, &why), 0);
	return sb.incompat;
}

static void test_first_release_features(void **state)
{
	uint32_t types[16] = { 0 };
	struct famfs_why why = { "" };
	struct famfs_node *n;

	(void)state;
	new_fs(1);
	assert_int_equal(sb_incompat(), 0);
	assert_int_equal(fs->log.info.entry_max, FAMFS_ENTRY_MAX_V1);
	ufs_mkdir(fs, "d");
	ufs_mkfile(fs, "d/a", 4096);
	assert_int_equal(sb_incompat(), 0);
	mknode("d/s", S_IFLNK | 0777, "a");
	assert_int_equal(sb_incompat(), FAMFS_FEATURE_INODE | FAMFS_FEATURE_SYMLINK);
	assert_int_equal(fs->sb.incompat, FAMFS_FEATURE_INODE | FAMFS_FEATURE_SYMLINK);
	/*
	 * once INODE is on, plain files and directories get INODE entries
	 * (with times): the bit already shuts the first release out
	 */
	ufs_mkdir(fs, "e");
	ufs_mkfile(fs, "e/b", 4096);
	link_ok("e/h", "d/a");
	assert_int_equal(sb_incompat(), FAMFS_FEATURE_INODE |
			 FAMFS_FEATURE_SYMLINK | FAMFS_FEATURE_HARDLINK);
	assert_int_equal(setx("d/a", "user.x", "y", 1, 0), 0);
	assert_int_equal(famfs_fs_setattr(fs, "d/a",
		&(struct famfs_attr_info){ .valid = FAMFS_ATTR_MODE,
					   .mode = 0600 }, &why), 0);
	mknode("d/e", S_IFREG | 0600, NULL);
	mknode("d/p", S_IFIFO | 0600, NULL);
	assert_int_equal(sb_incompat(), FAMFS_FEATURE_INCOMPAT_SUPP &
			 ~FAMFS_FEATURE_MKFS_ONLY);
	log_types(fs, types);
	assert_int_equal(types[0], FAMFS_ENTRY_MKDIR);
	assert_int_equal(types[1], FAMFS_ENTRY_FILE);
	assert_int_equal(types[2], FAMFS_ENTRY_INODE);
	assert_int_equal(types[3], FAMFS_ENTRY_INODE);
	assert_int_equal(types[4], FAMFS_ENTRY_INODE);
	assert_int_equal(types[5], FAMFS_ENTRY_LINK);
	assert_int_equal(types[6], FAMFS_ENTRY_XATTR);
	assert_int_equal(types[7], FAMFS_ENTRY_ATTR);
	reopen2();
	n = inode(fs2, "e/h");
	assert_int_equal(n->nlink, 2);
	assert_int_equal(n->mode, 0600);
	assert_int_equal(fs2->log.info.entry_max, FAMFS_ENTRY_MAX_V1);
}

/* An entry over 4 KiB: refused, and neither the log nor a bit written. */
static void test_first_release_e2big(void **state)
{
	char *t = malloc(4001);
	struct famfs_inode_info a = ii(S_IFLNK | 0777);
	struct famfs_why why = { "" };

	(void)state;
	assert_non_null(t);
	memset(t, 't', 4000);
	t[4000] = 0;
	new_fs(1);
	ufs_mkfile(fs, "a", 4096);
	snap();
	assert_int_equal(famfs_fs_mknode(fs, "s", &a, 0, NULL, t, &why), -E2BIG);
	assert_non_null(strstr(why.msg, "large_entry"));
	unchanged();
	assert_int_equal(fs->sb.incompat, 0);
	assert_null(ufs_lookup(fs, "s"));
	/* the same on a filesystem with LARGE_ENTRY is fine */
	teardown(state);
	setup(state);
	new_fs(0);
	assert_int_equal(famfs_fs_mknode(fs, "s", &a, 0, NULL, t, &why), 0);
	assert_int_equal(inode(fs, "s")->size, 4000);
	free(t);
}

/* A replayer opened before the bit was set reads the superblock again. */
static void test_replayer_rereads(void **state)
{
	struct famfs_scan res;
	struct famfs_why why = { "" };

	(void)state;
	new_fs(1);
	ufs_mkfile(fs, "a", 4096);
	ufs_open(fs2, &im, 0);
	assert_int_equal(fs2->sb.incompat, 0);
	mknode("s", S_IFLNK | 0777, "a");
	link_ok("h", "a");
	assert_int_equal(famfs_fs_replay(fs2, &res, &why), 2);
	assert_int_equal(fs2->sb.incompat, FAMFS_FEATURE_INODE |
			 FAMFS_FEATURE_SYMLINK | FAMFS_FEATURE_HARDLINK);
	assert_string_equal(inode(fs2, "s")->target, "a");
	assert_int_equal(inode(fs2, "h")->nlink, 2);
}

/* An entry the superblock has no feature for is refused by replay. */
static void test_feature_refused(void **state)
{
	struct famfs_entry *e = calloc(1, sizeof(*e));
	enum famfs_apply_err kind;
	struct famfs_why why = { "" };
	struct famfs_scan res;

	(void)state;
	assert_non_null(e);
	new_fs(1);
	ufs_mkfile(fs, "a", 4096);
	e->type = FAMFS_ENTRY_INODE;
	e->ino = ii(S_IFIFO | 0644);
	assert_int_equal(famfs_entry_set_path(e, "p"), 0);
	assert_int_equal(famfs_fs_apply(fs, e, &kind, &why), -EUCLEAN);
	assert_int_equal(kind, FAMFS_AE_FEATURE);
	assert_non_null(strstr(why.msg, "inode,special_file"));
	assert_null(ufs_lookup(fs, "p"));
	/* logged by a writer that skipped the superblock: replay stops there */
	uimg_append(&im, e);
	assert_int_equal(famfs_fs_open(fs2, im.path, 0, &why), 0);
	assert_int_equal(famfs_fs_replay(fs2, &res, &why), -EUCLEAN);
	assert_non_null(strstr(why.msg, "needs the feature inode,special_file"));
	assert_int_equal(fs2->applied_seq, 1);
	free(e);
}

/* famfs_sb_decode names the incompat bits it does not know. */
static void test_unknown_incompat(void **state)
{
	uint8_t buf[FAMFS_SB_SIZE];
	struct famfs_sb_info sb;
	struct famfs_why why = { "" };

	(void)state;
	new_fs(0);
	sb = fs->sb;
	sb.incompat |= 0x200 | 0x4000;
	famfs_sb_encode(&sb, buf);
	assert_int_equal(famfs_sb_decode(buf, im.size, &sb, &why), -EOPNOTSUPP);
	assert_non_null(strstr(why.msg, "bit9,bit14"));
	assert_non_null(strstr(why.msg, "0x4200"));
	sb = fs->sb;
	famfs_sb_encode(&sb, buf);
	assert_int_equal(famfs_sb_decode(buf, im.size, &sb, &why), 0);
	assert_int_equal(sb.incompat, FAMFS_FEATURE_INCOMPAT_MKFS);
}

/*
 * A superblock store that turns features on, cut anywhere but inside an
 * aligned word: the old superblock, the new one, or one whose checksum is
 * of the other mask, which decode takes with both masks; any other damage
 * is still a bad checksum.
 */
static void test_torn_feature_write(void **state)
{
	uint8_t old[FAMFS_SB_SIZE], new[FAMFS_SB_SIZE], t[FAMFS_SB_SIZE];
	struct famfs_sb_info sb;
	struct famfs_why why = { "" };

	(void)state;
	new_fs(1);
	sb = fs->sb;
	famfs_sb_encode(&sb, old);
	sb.incompat = FAMFS_FEATURE_INODE | FAMFS_FEATURE_XATTR;
	famfs_sb_encode(&sb, new);
	for (size_t n = 0; n <= FAMFS_SB_SIZE; n++) {
		if (n > 0x1fc && n < FAMFS_SB_SIZE)
			continue;		/* inside the aligned CRC word */
		memcpy(t, new, n);		/* stored in address order */
		memcpy(t + n, old + n, FAMFS_SB_SIZE - n);
		assert_int_equal(famfs_sb_decode(t, im.size, &sb, &why), 0);
		if (n <= 0x14 || n == FAMFS_SB_SIZE) {
			assert_int_equal(sb.torn_features, 0);
		} else {
			assert_int_equal(sb.torn_features, sb.incompat);
			assert_int_equal(sb.incompat, FAMFS_FEATURE_INODE |
					 FAMFS_FEATURE_XATTR);
		}
		memcpy(t, old, n);		/* and the other way round */
		memcpy(t + n, new + n, FAMFS_SB_SIZE - n);
		assert_int_equal(famfs_sb_decode(t, im.size, &sb, &why), 0);
		assert_int_equal(sb.incompat & (FAMFS_FEATURE_INODE |
						FAMFS_FEATURE_XATTR),
				 n == FAMFS_SB_SIZE ? 0 :	/* all old */
				 FAMFS_FEATURE_INODE | FAMFS_FEATURE_XATTR);
	}
	memcpy(t, new, 0x100);
	memcpy(t + 0x100, old + 0x100, FAMFS_SB_SIZE - 0x100);
	t[0x88] ^= 1;				/* and a flipped bit elsewhere */
	assert_int_equal(famfs_sb_decode(t, im.size, &sb, &why), -EFSBADCRC);
	/* large_entry is never turned on later: not a torn write */
	sb = fs->sb;
	sb.incompat = FAMFS_FEATURE_LARGE_ENTRY;
	famfs_sb_encode(&sb, new);
	memcpy(t, new, 0x100);
	memcpy(t + 0x100, old + 0x100, FAMFS_SB_SIZE - 0x100);
	assert_int_equal(famfs_sb_decode(t, im.size, &sb, &why), -EFSBADCRC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_hard_links, setup, teardown),
		cmocka_unit_test_setup_teardown(test_link_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_xattrs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_xattr_list_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_setattr, setup, teardown),
		cmocka_unit_test_setup_teardown(test_symlink_and_special, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mknode_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_first_release_features, setup, teardown),
		cmocka_unit_test_setup_teardown(test_first_release_e2big, setup, teardown),
		cmocka_unit_test_setup_teardown(test_replayer_rereads, setup, teardown),
		cmocka_unit_test_setup_teardown(test_feature_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_incompat, setup, teardown),
		cmocka_unit_test_setup_teardown(test_torn_feature_write, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
