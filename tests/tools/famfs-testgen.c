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
 *   famfs-testgen IMG ifile PATH SIZE N CHUNK  interleaved over N strips
 *   famfs-testgen IMG rawfile PATH SIZE DEV OFFSET LEN   any extent
 *   famfs-testgen IMG clone SRC DST            DST shares SRC's extents
 *   famfs-testgen IMG torn PATH SIZE           entry after the tail, unpublished
 *   famfs-testgen IMG badpath file|dir PATH    a committed entry with any path
 *   famfs-testgen IMG tail                     print next_off next_seq log_offset
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "famfs_config.h"
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
	if (!strcmp(cmd, "rawfile") && argc == 5)
		return cmd_rawfile(a);
	if (!strcmp(cmd, "clone") && argc == 2)
		return cmd_clone(a);
	if (!strcmp(cmd, "torn") && argc == 2)
		return cmd_torn(a);
	if (!strcmp(cmd, "badpath") && argc == 2)
		return cmd_badpath(a);
	if (!strcmp(cmd, "tail")) {
		printf("%" PRIu64 " %" PRIu64 " %" PRIu64 "\n",
		       fs.log.tail.next_off, fs.log.tail.next_seq,
		       fs.sb.log_offset);
		return 0;
	}
	fprintf(stderr, "famfs-testgen: bad command or arguments\n");
	return 2;
}

int main(int argc, char **argv)
{
	int rc;

	if (argc < 3) {
		fprintf(stderr, "usage: famfs-testgen IMG CMD [ARGS]\n");
		return 2;
	}
	rc = famfs_fs_open(&fs, argv[1], FAMFS_DEV_RDWR | FAMFS_DEV_EXCL, &why);
	if (rc)
		return die(argv[1], rc);
	rc = famfs_fs_replay(&fs, &(struct famfs_scan){ 0 }, &why);
	if (rc < 0)
		return die("replay", rc);
	/* secondary devices: the files beside the image, as famfs does */
	rc = famfs_fs_set_scan(&fs, NULL, 0, 1);
	if (rc)
		return die("scan", rc);
	rc = run(argv[2], argc - 3, argv + 3);
	famfs_fs_close(&fs);
	return rc;
}
