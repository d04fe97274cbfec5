// SPDX-License-Identifier: Apache-2.0
/*
 * famfs clone: a test tool.  DST becomes a second file over SRC's extents,
 * a deliberate cross-link that fsck must find.  Only the master can do it.
 */
#include <getopt.h>
#include <limits.h>
#include <string.h>

#include "cmd.h"
#include "famfs_client.h"

const char famfs_clone_usage[] =
	"usage: famfs clone [options] SRC DST\n\n"
	"Test tool: create DST as a new file that shares SRC's extents (same\n"
	"size, same memory).  This is a deliberate cross-link, so that fsck has\n"
	"something to find; never use it on data you care about.  Both files\n"
	"must be in the same famfs mount; only the master can create, and only\n"
	"root can ask the server.\n\n"
	"Options:\n"
	"  -v, --verbose   say what was made\n"
	"  -h, --help      this text\n\n"
	"Exit: 0 cloned, 1 failed, 2 usage error.\n";

static const struct option clone_opts[] = {
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* Mount and famfs path of @path; reports failures. */
static int locate(struct famfs_ctx *ctx, const char *what, const char *path,
		  char *mnt, char *rel)
{
	struct famfs_why why = { "" };
	int rc = famfs_client_resolve(path, mnt, PATH_MAX, rel,
				      FAMFS_PATH_MAX + 1, &why);

	if (rc == -ENOTTY)
		famfs_err(ctx, "%s '%s' is not inside a famfs filesystem", what,
			  path);
	else if (rc)
		famfs_err(ctx, "%s '%s': %s", what, path, why.msg);
	return rc;
}

static int clone_run(struct famfs_ctx *ctx, const char *src, const char *dst,
		     int verbose)
{
	struct famfs_ctl_req q = { .op = FAMFS_CTL_CLONE };
	struct famfs_why why = { "" };
	char smnt[PATH_MAX], dmnt[PATH_MAX];
	struct famfs_ctl_rep r;

	if (locate(ctx, "source", src, smnt, q.src) ||
	    locate(ctx, "destination", dst, dmnt, q.path))
		return FAMFS_EXIT_FAIL;
	if (strcmp(smnt, dmnt)) {
		famfs_err(ctx, "'%s' (in %s) and '%s' (in %s) are in different famfs mounts",
			  src, smnt, dst, dmnt);
		return FAMFS_EXIT_FAIL;
	}
	if (famfs_client_request(dmnt, &q, &r, &why)) {
		famfs_err(ctx, "cannot clone '%s' to '%s': %s", src, dst, why.msg);
		return FAMFS_EXIT_FAIL;
	}
	if (verbose)
		printf("famfs clone: '%s' now shares the extents of '%s' (a cross-link)\n",
		       dst, src);
	return FAMFS_EXIT_OK;
}

int famfs_cmd_clone(struct famfs_ctx *ctx, int argc, char **argv)
{
	int opt, verbose = 0;

	while ((opt = famfs_getopt(argc, argv, clone_opts)) != -1) {
		switch (opt) {
		case 'v': verbose = 1; break;
		case 'h': case FAMFS_OPT_HELP: fputs(famfs_clone_usage, stdout); return 0;
		default: return famfs_bad_option(ctx);
		}
	}
	if (argc - optind != 2)
		return famfs_usage_error(ctx, "need SRC and DST");
	return clone_run(ctx, argv[optind], argv[optind + 1], verbose);
}
