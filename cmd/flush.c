// SPDX-License-Identifier: Apache-2.0
/*
 * famfs flush: fsync() famfs files through their mount.  The server writes
 * each file's memory back out of the CPU caches (on shared memory) or to
 * the image (on an image file), so that other hosts see what this one
 * stored through a mapping.  As upstream, the exit code counts errors.
 */
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"
#include "famfs_client.h"

#define FLUSH_MAX_EXIT	125	/* the error count is capped here */

const char famfs_flush_usage[] =
	"usage: famfs flush [options] FILE...\n\n"
	"Write the memory of each famfs FILE back from the CPU caches (fsync\n"
	"through the mount), so that other hosts sharing the memory see this\n"
	"host's stores.  Applications that share famfs files between hosts that\n"
	"are not cache-coherent call this (or fsync) after writing.\n\n"
	"Options:\n"
	"  -v, --verbose   print each file flushed\n"
	"  -h, --help      this text\n\n"
	"Exit: the number of FILEs that could not be flushed (0 = all were,\n"
	"at most 125); a FILE that is not a regular file in famfs counts as\n"
	"one.  A usage error exits 2.\n";

static int flush_one(struct famfs_ctx *ctx, const char *path, int verbose)
{
	char mnt[PATH_MAX], rel[FAMFS_PATH_MAX + 1], h[32];
	struct famfs_why why = { "" };
	struct stat st;
	int fd, rc;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0 || fstat(fd, &st)) {
		famfs_err(ctx, "cannot open '%s': %s", path, strerror(errno));
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		famfs_err(ctx, "'%s' is not a regular file", path);
		goto fail;
	}
	rc = famfs_client_resolve(path, mnt, sizeof(mnt), rel, sizeof(rel), &why);
	if (rc) {
		famfs_err(ctx, "'%s' is not a famfs file: %s", path, why.msg);
		goto fail;
	}
	if (fsync(fd)) {
		famfs_err(ctx, "cannot flush '%s': %s", path, strerror(errno));
		goto fail;
	}
	close(fd);
	if (verbose)
		printf("famfs flush: flushed '%s' (%s)\n", path,
		       famfs_human((uint64_t)st.st_size, h, sizeof(h)));
	return 0;
fail:
	if (fd >= 0)
		close(fd);
	return -1;
}

static const struct option flush_opts[] = {
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

int famfs_cmd_flush(struct famfs_ctx *ctx, int argc, char **argv)
{
	int opt, verbose = 0, errors = 0;

	while ((opt = famfs_getopt(argc, argv, flush_opts)) != -1) {
		switch (opt) {
		case 'v': verbose = 1; break;
		case 'h': case FAMFS_OPT_HELP: fputs(famfs_flush_usage, stdout); return 0;
		default: return famfs_bad_option(ctx);
		}
	}
	if (optind >= argc)
		return famfs_usage_error(ctx, "no file given");
	for (int i = optind; i < argc; i++)
		if (flush_one(ctx, argv[i], verbose))
			errors++;
	return errors > FLUSH_MAX_EXIT ? FLUSH_MAX_EXIT : errors;
}
