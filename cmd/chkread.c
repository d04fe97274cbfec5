// SPDX-License-Identifier: Apache-2.0
/*
 * famfs chkread: a test tool that reads a famfs file twice through its
 * mount, with read() and through mmap(), and reports the first byte where
 * they differ.  With -s or -l the file is the superblock or the log
 * (.meta/.superblock, .meta/.log) and is also decoded, with the library's
 * decoders, and printed.
 */
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "famfs_client.h"

#define CHUNK	(1u << 20)

const char famfs_chkread_usage[] =
	"usage: famfs chkread [options] FILE\n\n"
	"Test tool: read the famfs FILE with read() and map it with mmap(), both\n"
	"through the mount, and compare the two byte by byte; the first\n"
	"difference is reported.\n\n"
	"Options:\n"
	"  -s, --superblock   FILE is MOUNTPOINT/.meta/.superblock: also decode\n"
	"                     and print it (magic, UUIDs, sizes, features)\n"
	"  -l, --log          FILE is MOUNTPOINT/.meta/.log: also decode and print\n"
	"                     its header, both tail records and every entry\n"
	"  -h, --help         this text\n\n"
	"Exit: 0 read() and mmap() agree (and the file decodes), 1 they differ,\n"
	"the file cannot be mapped or does not decode, 2 usage error.\n";

struct chkread_cmd {
	struct famfs_ctx *ctx;
	const char *path;
	int as_sb, as_log;
	char mnt[PATH_MAX];
	uint64_t size;
	const uint8_t *map;
};

static int read_all(int fd, uint8_t *buf, size_t len, uint64_t off)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = pread(fd, buf + done, len - done, (off_t)(off + done));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -ENODATA;
		done += (size_t)n;
	}
	return 0;
}

static int report_diff(const struct chkread_cmd *c, const uint8_t *buf,
		       uint64_t off, size_t len)
{
	size_t i = 0;

	while (i < len && buf[i] == c->map[off + i])
		i++;
	famfs_err(c->ctx, "%s: read() and mmap() differ first at offset %#" PRIx64
		  ": read() gives 0x%02x, mmap() gives 0x%02x",
		  c->path, off + i, buf[i], c->map[off + i]);
	return 1;
}

/* Compare read() of @fd with the mapping, chunk by chunk. */
static int compare(const struct chkread_cmd *c, int fd)
{
	uint8_t *buf = malloc(CHUNK);
	uint64_t off;
	int rc = 0;

	if (!buf) {
		famfs_err(c->ctx, "out of memory");
		return 1;
	}
	for (off = 0; off < c->size && !rc; off += CHUNK) {
		size_t n = c->size - off < CHUNK ? (size_t)(c->size - off) : CHUNK;

		rc = read_all(fd, buf, n, off);
		if (rc) {
			famfs_err(c->ctx, "%s: read() at offset %#" PRIx64 " failed: %s",
				  c->path, off, rc == -ENODATA ?
				  "end of file before the file's size" : strerror(-rc));
			rc = 1;
		} else if (memcmp(buf, c->map + off, n)) {
			rc = report_diff(c, buf, off, n);
		}
	}
	free(buf);
	if (!rc)
		printf("%s: read() and mmap() agree on all %" PRIu64 " bytes\n",
		       c->path, c->size);
	return rc;
}

static void print_uuid(const char *label, const uint8_t u[16])
{
	char s[37];

	famfs_uuid_str(u, s);
	printf("  %-13s %s\n", label, s);
}

static void print_sb(const struct famfs_sb_info *s)
{
	char h[32], t[64], names[160];
	time_t when = (time_t)s->mkfs_time;
	struct tm tm;

	printf("superblock\n  magic         %#llx (valid, checksum ok)\n",
	       (unsigned long long)FAMFS_SB_MAGIC);
	printf("  version       %u\n", s->version);
	printf("  device        %s, index %u\n",
	       famfs_sb_is_primary(s) ? "primary" : "secondary", s->dev_index);
	print_uuid("fs uuid", s->fs_uuid);
	print_uuid("device uuid", s->dev_uuid);
	print_uuid("master uuid", s->master_uuid);
	if (!famfs_sb_is_primary(s))
		print_uuid("primary uuid", s->primary_uuid);
	printf("  device size   %" PRIu64 " (%s)\n", s->dev_size,
	       famfs_human(s->dev_size, h, sizeof(h)));
	printf("  alloc unit    %" PRIu64 " (%s)\n", s->alloc_unit,
	       famfs_human(s->alloc_unit, h, sizeof(h)));
	printf("  log           offset %#" PRIx64 ", length %" PRIu64 " (%s)\n",
	       s->log_offset, s->log_len, famfs_human(s->log_len, h, sizeof(h)));
	printf("  data offset   %#" PRIx64 "\n", s->data_offset);
	famfs_features_str(s->incompat, names, sizeof(names));
	printf("  features      compat %#x, incompat %#x (%s), ro_compat %#x\n",
	       s->compat, s->incompat, s->incompat ? names : "none",
	       s->ro_compat);
	if (!gmtime_r(&when, &tm) ||
	    !strftime(t, sizeof(t), "%Y-%m-%d %H:%M:%S UTC", &tm))
		snprintf(t, sizeof(t), "%" PRIu64, s->mkfs_time);
	printf("  created       %s\n", t);
}

/* The superblock of FILE's mount, from .meta/.superblock. */
static int load_sb(const struct chkread_cmd *c, struct famfs_sb_info *sbi)
{
	char path[PATH_MAX + 32];
	uint8_t buf[FAMFS_SB_SIZE];
	struct famfs_why why = { "" };
	int fd, rc;

	snprintf(path, sizeof(path), "%s/%s/.superblock", c->mnt,
		 FAMFS_META_DIR_NAME);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	rc = fd < 0 ? -errno : read_all(fd, buf, sizeof(buf), 0);
	if (fd >= 0)
		close(fd);
	if (rc) {
		famfs_err(c->ctx, "cannot read %s: %s", path, strerror(-rc));
		return rc;
	}
	rc = famfs_sb_decode(buf, 0, sbi, &why);
	if (rc)
		famfs_err(c->ctx, "%s: %s", path, why.msg);
	return rc;
}

static int show_sb(const struct chkread_cmd *c)
{
	struct famfs_why why = { "" };
	struct famfs_sb_info sbi;

	if (c->size < FAMFS_SB_SIZE || famfs_sb_decode(c->map, 0, &sbi, &why)) {
		famfs_err(c->ctx, "%s: not a famfs superblock: %s", c->path,
			  why.msg[0] ? why.msg : "too short");
		return 1;
	}
	print_sb(&sbi);
	return 0;
}

static void print_map(const struct famfs_file_info *f)
{
	if (!f->nextents) {
		printf("empty\n");
		return;
	}
	if (f->ext_type == FAMFS_EXT_INTERLEAVE)
		printf("interleaved, chunk %#" PRIx64 ",", f->chunk);
	else
		printf("simple,");
	for (uint32_t i = 0; i < f->nextents; i++)
		printf(" [dev %u %#" PRIx64 " +%#" PRIx64 "]", f->ext[i].dev,
		       f->ext[i].offset, f->ext[i].len);
	putchar('\n');
}

static const char *kind_name(uint32_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFREG:	return "file";
	case S_IFDIR:	return "mkdir";
	case S_IFLNK:	return "symlink";
	case S_IFIFO:	return "fifo";
	case S_IFSOCK:	return "socket";
	case S_IFCHR:	return "chardev";
	}
	return "blockdev";
}

/* An INODE entry: the words of a FILE or MKDIR entry, and the rest. */
static void print_inode(const struct famfs_entry *e)
{
	const struct famfs_inode_info *i = &e->ino;

	printf("%s '%s'", kind_name(i->mode), e->path);
	if (S_ISREG(i->mode))
		printf(" size %" PRIu64, e->file.size);
	printf(" mode %04o uid %u gid %u mtime %" PRId64 ".%09u ctime %" PRId64 ".%09u",
	       i->mode & 07777, i->uid, i->gid, i->mtime.sec, i->mtime.nsec,
	       i->ctime.sec, i->ctime.nsec);
	if (S_ISCHR(i->mode) || S_ISBLK(i->mode))
		printf(" rdev %u:%u", i->rdev_major, i->rdev_minor);
	if (S_ISLNK(i->mode))
		printf(" -> '%s'", e->target);
	if (!S_ISREG(i->mode)) {
		putchar('\n');
		return;
	}
	printf(", ");
	print_map(&e->file);
}

static void print_change(const struct famfs_entry *e)
{
	const struct famfs_attr_info *a = &e->attr;

	if (e->type == FAMFS_ENTRY_LINK) {
		printf("link '%s' to '%s'\n", e->path, e->target);
		return;
	}
	if (e->type == FAMFS_ENTRY_XATTR) {
		if (e->xattr.flags & FAMFS_XATTR_REMOVE)
			printf("xattr '%s' remove %s\n", e->path, e->xattr.name);
		else
			printf("xattr '%s' set %s (%u bytes)\n", e->path,
			       e->xattr.name, e->xattr.value_len);
		return;
	}
	printf("attr '%s'", e->path);
	if (a->valid & FAMFS_ATTR_MODE)
		printf(" mode %04o", a->mode);
	if (a->valid & FAMFS_ATTR_UID)
		printf(" uid %u", a->uid);
	if (a->valid & FAMFS_ATTR_GID)
		printf(" gid %u", a->gid);
	if (a->valid & FAMFS_ATTR_MTIME)
		printf(" mtime %" PRId64 ".%09u", a->mtime.sec, a->mtime.nsec);
	if (a->valid & FAMFS_ATTR_CTIME)
		printf(" ctime %" PRId64 ".%09u", a->ctime.sec, a->ctime.nsec);
	putchar('\n');
}

static void print_entry(const struct famfs_entry *e, uint64_t off)
{
	const struct famfs_file_info *f = &e->file;
	char u[37];

	printf("  entry %" PRIu64 " at %#" PRIx64 ": ", e->seq, off);
	switch (e->type) {
	case FAMFS_ENTRY_FILE:
		printf("file '%s' size %" PRIu64 " mode %04o uid %u gid %u, ",
		       e->path, f->size, f->mode, f->uid, f->gid);
		print_map(f);
		break;
	case FAMFS_ENTRY_MKDIR:
		printf("mkdir '%s' mode %04o uid %u gid %u\n", e->path,
		       e->dir.mode, e->dir.uid, e->dir.gid);
		break;
	case FAMFS_ENTRY_ADD_DAXDEV:
		famfs_uuid_str(e->dev.uuid, u);
		printf("add device %u uuid %s size %" PRIu64 "\n", e->dev.index,
		       u, e->dev.size);
		break;
	case FAMFS_ENTRY_INODE:
		print_inode(e);
		break;
	default:
		print_change(e);
	}
}

/* Print both tail records; the newest valid one in @best (-1: none). */
static int show_tails(const struct chkread_cmd *c,
		      const struct famfs_log_info *li, struct famfs_tail *best)
{
	static const uint32_t at[2] = { FAMFS_LOG_TAIL0, FAMFS_LOG_TAIL1 };
	struct famfs_tail t;
	int found = -1;

	for (int s = 0; s < 2; s++) {
		int rc = famfs_tail_decode(c->map + at[s], li, &t);

		if (!rc && (t.gen & 1) != (uint64_t)s)
			rc = -EFSCORRUPTED;
		if (rc) {
			printf("  tail slot %d   not valid (unused or damaged: %s)\n", s,
			       rc == -EFSBADCRC ? "bad checksum" : "bad contents");
			continue;
		}
		printf("  tail slot %d   generation %" PRIu64 ", next entry %" PRIu64
		       " at %#" PRIx64 "\n", s, t.gen, t.next_seq, t.next_off);
		if (found < 0 || t.gen > best->gen) {
			*best = t;
			found = s;
		}
	}
	return found;
}

/* Decode the committed entries; 0 if every one decodes. */
static int show_entries(const struct chkread_cmd *c,
			const struct famfs_log_info *li,
			const struct famfs_tail *tail)
{
	struct famfs_entry *e = malloc(sizeof(*e));
	struct famfs_why why = { "" };
	uint64_t off = li->entries_off, seq = 0;
	int rc = 0;

	if (!e)
		return -ENOMEM;
	while (off < tail->next_off && !rc) {
		rc = famfs_entry_decode(c->map + off, tail->next_off - off, seq,
					li->seed, e, &why);
		if (rc)
			break;
		print_entry(e, off);
		off += e->len;
		seq++;
	}
	free(e);
	if (rc)
		famfs_err(c->ctx, "%s: log entry %" PRIu64 " at %#" PRIx64 ": %s",
			  c->path, seq, off, why.msg);
	else
		printf("  %" PRIu64 " entries, %" PRIu64 " bytes of the log used\n",
		       seq, tail->next_off);
	return rc;
}

static int show_log(const struct chkread_cmd *c)
{
	struct famfs_why why = { "" };
	struct famfs_log_info li;
	struct famfs_sb_info sbi;
	struct famfs_tail tail;
	char u[37], h[32];

	if (load_sb(c, &sbi))
		return 1;
	if (c->size < sbi.log_len ||
	    famfs_log_hdr_decode(c->map, &sbi, &li, &why)) {
		famfs_err(c->ctx, "%s: not the log of this filesystem: %s",
			  c->path, why.msg[0] ? why.msg : "shorter than the log");
		return 1;
	}
	famfs_uuid_str(li.fs_uuid, u);
	printf("log\n  magic         %#llx (valid, checksum ok)\n",
	       (unsigned long long)FAMFS_LOG_MAGIC);
	printf("  fs uuid       %s\n", u);
	printf("  length        %" PRIu64 " (%s), entries from %#" PRIx64
	       ", largest entry %u bytes\n", li.log_len,
	       famfs_human(li.log_len, h, sizeof(h)), li.entries_off,
	       li.entry_max);
	if (show_tails(c, &li, &tail) < 0) {
		famfs_err(c->ctx, "%s: both tail records are damaged", c->path);
		return 1;
	}
	return show_entries(c, &li, &tail) ? 1 : 0;
}

/* Open and map FILE, compare, then decode if asked. */
static int chkread_run(struct chkread_cmd *c)
{
	char rel[FAMFS_PATH_MAX + 1];
	struct famfs_why why = { "" };
	struct stat st;
	void *map;
	int fd, rc;

	if (famfs_client_resolve(c->path, c->mnt, sizeof(c->mnt), rel,
				 sizeof(rel), &why)) {
		famfs_err(c->ctx, "%s", why.msg);
		return 1;
	}
	fd = open(c->path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) || !S_ISREG(st.st_mode) || !st.st_size) {
		famfs_err(c->ctx, "%s: %s", c->path, fd < 0 ? strerror(errno) :
			  "not a regular file with data");
		if (fd >= 0)
			close(fd);
		return 1;
	}
	c->size = (uint64_t)st.st_size;
	map = mmap(NULL, c->size, PROT_READ, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED) {
		rc = errno;
		famfs_err(c->ctx, "%s: mmap() refused: %s%s", c->path, strerror(rc),
			  rc == ENODEV ? " (this kernel cannot mmap FUSE direct-I/O files: it needs FUSE_DIRECT_IO_ALLOW_MMAP, Linux 6.6 or later, or the famfs DAX patches)" : "");
		close(fd);
		return 1;
	}
	c->map = map;
	rc = compare(c, fd);
	if (!rc && c->as_sb)
		rc = show_sb(c);
	else if (!rc && c->as_log)
		rc = show_log(c);
	munmap(map, c->size);
	close(fd);
	return rc;
}

static const struct option chkread_opts[] = {
	{ "superblock", no_argument, NULL, 's' },
	{ "log", no_argument, NULL, 'l' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

int famfs_cmd_chkread(struct famfs_ctx *ctx, int argc, char **argv)
{
	struct chkread_cmd c = { .ctx = ctx };
	int opt;

	while ((opt = famfs_getopt(argc, argv, chkread_opts)) != -1) {
		switch (opt) {
		case 's': c.as_sb = 1; break;
		case 'l': c.as_log = 1; break;
		case 'h': case FAMFS_OPT_HELP: fputs(famfs_chkread_usage, stdout); return 0;
		default: return famfs_bad_option(ctx);
		}
	}
	if (c.as_sb && c.as_log)
		return famfs_usage_error(ctx, "-s and -l exclude each other");
	if (argc - optind != 1)
		return famfs_usage_error(ctx, "need one FILE");
	c.path = argv[optind];
	return chkread_run(&c);
}
