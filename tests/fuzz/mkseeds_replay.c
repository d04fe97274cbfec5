// SPDX-License-Identifier: Apache-2.0
/*
 * Seed corpus for fuzz_replay: filesystems made by the library itself (mkfs,
 * mkdir, mkfile with contiguous and interleaved layouts, an ADD_DAXDEV entry
 * and a file on that device, made by the first release's format so they
 * hold FILE and MKDIR entries; root trees with every INODE kind, hard
 * links, xattrs and attribute changes, on a filesystem made with every
 * feature and on a first-release one that gets them on first use; the
 * longest symlink and xattr entries) on a 38 MiB memory image, cut down to the
 * input format of fuzz_replay.c: flags, superblock, log header, tail slots,
 * the committed entries.  Usage: mkseeds_replay DIR
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "famfs_fs.h"
#include "famfs_mkfs.h"

#define DEV_SIZE	(38ull << 20)	/* as fuzz_replay.c */
#define MiB		(1ull << 20)
#define FLAGS_FIX	0x1f		/* every checksum and sequence fixed */
#define FLAG_REPAIR	0x20

static char img[64];
static int img_fd = -1;

static void die(const char *what, int rc, const struct famfs_why *why)
{
	fprintf(stderr, "mkseeds_replay: %s: %d %s\n", what, rc,
		why ? why->msg : "");
	exit(1);
}

static void mkimg(uint64_t log_len, uint64_t au, int first_release)
{
	struct famfs_mkfs_opts o = {
		.log_len = log_len, .alloc_unit = au,
		.first_release = first_release,
		.master_uuid = { 0x5a, 1, 2, 3 },
		.fs_uuid = { 0xf5, 0x11, 0x22, 0x33, 4, 5, 6, 7, 8, 9, 10 },
		.dev_uuid = { 0xde, 0x77, 1, 2, 3, 4, 5, 6, 7, 8, 9 },
		.mkfs_time = 1700000000,
	};
	struct famfs_why why = { "" };
	struct famfs_sb_info sbi;
	struct famfs_dev dev;
	int rc;

	if (img_fd >= 0)
		close(img_fd);
	img_fd = memfd_create("famfs-seed", MFD_CLOEXEC);
	if (img_fd < 0 || ftruncate(img_fd, (off_t)DEV_SIZE))
		die("memfd", -1, NULL);
	snprintf(img, sizeof(img), "/proc/self/fd/%d", img_fd);
	rc = famfs_dev_open(&dev, img, FAMFS_DEV_RDWR | FAMFS_DEV_EXCL, &why);
	if (!rc)
		rc = famfs_mkfs_plan(&dev, &o, &sbi, &why);
	if (!rc)
		rc = famfs_mkfs_write(&dev, &sbi, &why);
	if (rc)
		die("mkfs", rc, &why);
	famfs_dev_close(&dev);
}

/* Write the seed: the image cut to fuzz_replay's input layout. */
static void save(const char *dir, const char *name, int flags)
{
	struct famfs_why why = { "" };
	struct famfs_fs *fs = calloc(1, sizeof(*fs));
	char path[4096];
	uint8_t *log;
	FILE *f;
	int rc;

	if (!fs)
		die("calloc", -ENOMEM, NULL);
	rc = famfs_fs_open(fs, img, 0, &why);
	if (!rc)
		rc = famfs_log_read_tail(&fs->log, &why);
	if (rc)
		die("open", rc, &why);
	log = fs->log.base;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "we");
	if (!f || fputc(flags, f) == EOF ||
	    fwrite(fs->dev.base, 1, FAMFS_SB_SIZE, f) != FAMFS_SB_SIZE ||
	    fwrite(log, 1, FAMFS_LOG_HDR_SIZE, f) != FAMFS_LOG_HDR_SIZE ||
	    fwrite(log + FAMFS_LOG_TAIL0, 1, 128, f) != 128 ||
	    fwrite(log + FAMFS_LOG_ENTRIES, 1,
		   fs->log.tail.next_off - FAMFS_LOG_ENTRIES, f) !=
	    fs->log.tail.next_off - FAMFS_LOG_ENTRIES || fclose(f))
		die(path, -EIO, NULL);
	famfs_fs_close(fs);
	free(fs);
}

static struct famfs_fs *open_rw(void)
{
	struct famfs_why why = { "" };
	struct famfs_fs *fs = calloc(1, sizeof(*fs));
	struct famfs_scan res;
	int rc;

	if (!fs)
		die("calloc", -ENOMEM, NULL);
	rc = famfs_fs_open(fs, img, FAMFS_DEV_RDWR, &why);
	if (!rc && famfs_fs_replay(fs, &res, &why) < 0)
		rc = -1;
	if (rc)
		die("open", rc, &why);
	return fs;
}

static void close_fs(struct famfs_fs *fs)
{
	famfs_fs_close(fs);
	free(fs);
}

static void tree(struct famfs_fs *fs, uint64_t au)
{
	struct famfs_layout lay = { .nstrips = 3, .chunk = au };
	struct famfs_why why = { "" };
	int rc;

	rc = famfs_fs_mkdir(fs, "a", 0755, 0, 0, &why);
	if (!rc)
		rc = famfs_fs_mkdir(fs, "a/b", 0700, 1000, 1000, &why);
	if (!rc)
		rc = famfs_fs_mkfile(fs, "a/f1", 5000, 0644, 0, 0, &why);
	if (!rc)
		rc = famfs_fs_mkfile(fs, "a/b/f2", 3 * au + 1, 0600, 1, 2, &why);
	if (!rc)
		rc = famfs_fs_mkfile_layout(fs, "striped", 7 * au, 0644, 0, 0,
					    &lay, &why);
	if (!rc)
		rc = famfs_fs_mkfile(fs, "top", 1, 04755, 0, 0, &why);
	if (rc)
		die("tree", rc, &why);
}

/* A second device in the log, and a file with a strip on each device. */
static void two_devices(struct famfs_fs *fs)
{
	struct famfs_entry *e = calloc(1, sizeof(*e));
	struct famfs_why why = { "" };
	int rc;

	if (!e)
		die("calloc", -ENOMEM, NULL);
	e->type = FAMFS_ENTRY_ADD_DAXDEV;
	memcpy(e->dev.uuid, "second-device-01", 16);
	e->dev.size = 64 * MiB;
	e->dev.index = 1;
	rc = famfs_log_append(&fs->log, e, &why);
	memset(e, 0, sizeof(*e));
	e->type = FAMFS_ENTRY_FILE;
	famfs_entry_set_path(e, "both");
	e->file = (struct famfs_file_info){
		.size = 8 * MiB, .chunk = 2 * MiB, .mode = 0644,
		.ext_type = FAMFS_EXT_INTERLEAVE, .nextents = 2,
		.ext = { { 0, 34 * MiB, 4 * MiB }, { 1, 4 * MiB, 4 * MiB } },
	};
	if (!rc)
		rc = famfs_log_append(&fs->log, e, &why);
	if (rc)
		die("two devices", rc, &why);
	free(e);
}

/* Fixed times keep the seeds reproducible. */
static void node(struct famfs_fs *fs, const char *path, uint32_t mode,
		 uint64_t size, const char *target)
{
	struct famfs_inode_info a = {
		.mode = mode, .uid = 1000, .gid = 100,
		.mtime = { 1700000000, 1 }, .ctime = { 1700000000, 2 },
	};
	struct famfs_why why = { "" };
	int rc;

	if (S_ISCHR(mode) || S_ISBLK(mode)) {
		a.rdev_major = 8;
		a.rdev_minor = 1;
	}
	rc = famfs_fs_mknode(fs, path, &a, size, NULL, target, &why);
	if (rc)
		die(path, rc, &why);
}

/* Every kind a root tree holds. */
static void root_tree(struct famfs_fs *fs)
{
	struct famfs_attr_info at = {
		.valid = FAMFS_ATTR_MODE | FAMFS_ATTR_GID | FAMFS_ATTR_MTIME,
		.mode = 02755, .gid = 50, .mtime = { -1, 999999999 },
	};
	struct famfs_why why = { "" };
	int rc;

	node(fs, "etc", S_IFDIR | 0755, 0, NULL);
	node(fs, "etc/passwd", S_IFREG | 0644, 1500, NULL);
	node(fs, "etc/empty", S_IFREG | 0600, 0, NULL);
	node(fs, "etc/localtime", S_IFLNK | 0777, 0, "/usr/share/zoneinfo/UTC");
	node(fs, "etc/fifo", S_IFIFO | 0644, 0, NULL);
	node(fs, "etc/sock", S_IFSOCK | 0755, 0, NULL);
	node(fs, "etc/sda1", S_IFBLK | 0660, 0, NULL);
	node(fs, "etc/tty", S_IFCHR | 0620, 0, NULL);
	rc = famfs_fs_link(fs, "etc/passwd-", "etc/passwd", &why);
	if (!rc)
		rc = famfs_fs_link(fs, "etc/lt2", "etc/localtime", &why);
	if (!rc)
		rc = famfs_fs_setxattr(fs, "etc/passwd", "security.selinux",
				       "system_u:object_r:etc_t:s0", 26, 0, &why);
	if (!rc)
		rc = famfs_fs_setxattr(fs, "etc/passwd-", "user.a", "\0\1\2", 3,
				       0, &why);
	if (!rc)
		rc = famfs_fs_setxattr(fs, "etc/passwd", "user.a", NULL, 0,
				       FAMFS_XATTR_REMOVE, &why);
	if (!rc)
		rc = famfs_fs_setxattr(fs, "etc", "trusted.t", "", 0, 0, &why);
	if (!rc)
		rc = famfs_fs_setattr(fs, "etc/lt2", &at, &why);
	if (rc)
		die("root tree", rc, &why);
}

/* The longest symlink (5 KiB entry) and a 8 KiB xattr value. */
static void long_entries(struct famfs_fs *fs)
{
	static char target[FAMFS_SYMLINK_MAX + 1], value[FAMFS_XATTR_VALUE_MAX];
	struct famfs_why why = { "" };
	int rc;

	memset(target, 't', FAMFS_SYMLINK_MAX);
	memset(value, 'v', sizeof(value));
	node(fs, "long", S_IFLNK | 0777, 0, target);
	rc = famfs_fs_setxattr(fs, "long", "user.big", value, sizeof(value), 0,
			       &why);
	if (rc)
		die("long entries", rc, &why);
}

int main(int argc, char **argv)
{
	struct famfs_fs *fs;

	if (argc != 2)
		return 2;
	mkimg(2 * MiB, 2 * MiB, 1);
	save(argv[1], "empty", FLAGS_FIX);
	fs = open_rw();
	tree(fs, 2 * MiB);
	close_fs(fs);
	save(argv[1], "tree-2m", FLAGS_FIX);
	save(argv[1], "tree-2m-repair", FLAGS_FIX | FLAG_REPAIR);
	save(argv[1], "tree-2m-raw", 0);
	fs = open_rw();
	two_devices(fs);
	close_fs(fs);
	save(argv[1], "two-devices", FLAGS_FIX);

	mkimg(4 * MiB, 4096, 1);
	fs = open_rw();
	tree(fs, 4096);
	close_fs(fs);
	save(argv[1], "tree-4k-log4m", FLAGS_FIX | FLAG_REPAIR);

	mkimg(2 * MiB, 2 * MiB, 0);
	fs = open_rw();
	root_tree(fs);
	close_fs(fs);
	save(argv[1], "roottree", FLAGS_FIX);
	save(argv[1], "roottree-repair", FLAGS_FIX | FLAG_REPAIR);
	fs = open_rw();
	long_entries(fs);
	close_fs(fs);
	save(argv[1], "roottree-long", FLAGS_FIX);

	mkimg(2 * MiB, 2 * MiB, 1);		/* bits turned on by first use */
	fs = open_rw();
	tree(fs, 2 * MiB);
	root_tree(fs);
	close_fs(fs);
	save(argv[1], "roottree-upgraded", FLAGS_FIX);
	return 0;
}
