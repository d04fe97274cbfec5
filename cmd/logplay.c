// SPDX-License-Identifier: Apache-2.0
/*
 * famfs logplay: make the server of a mount replay the log now (a client
 * also does this by itself when a lookup misses or a directory is read).
 */
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>

#include "cmd.h"
#include "famfs_client.h"

const char famfs_logplay_usage[] =
	"usage: famfs logplay [options] MOUNTPOINT\n\n"
	"Replay the metadata log into the famfs server of MOUNTPOINT now, and\n"
	"print how many new entries were applied.  A client host also replays\n"
	"by itself when a lookup misses or a directory is listed; this forces\n"
	"it.  Only root can ask the server.\n\n"
	"Options:\n"
	"  -n, --dryrun    only count the entries a replay would apply\n"
	"  -v, --verbose   also say which mount was replayed\n"
	"  -h, --help      this text\n\n"
	"Exit: 0 replayed (or counted), 1 failed (not a famfs mount, or the log\n"
	"cannot be replayed), 2 usage error.\n";

static int logplay_run(struct famfs_ctx *ctx, const char *path, int dry,
		       int verbose)
{
	struct famfs_ctl_req q = {
		.op = FAMFS_CTL_LOGPLAY, .flags = dry ? FAMFS_CTL_F_DRYRUN : 0,
	};
	struct famfs_why why = { "" };
	struct famfs_ctl_rep r;
	char mnt[PATH_MAX], rel[FAMFS_PATH_MAX + 1];
	int rc;

	rc = famfs_client_resolve(path, mnt, sizeof(mnt), rel, sizeof(rel), &why);
	if (rc == -ENOTTY) {
		famfs_err(ctx, "'%s' is not a famfs mount", path);
		return FAMFS_EXIT_FAIL;
	}
	if (!rc)
		rc = famfs_client_request(mnt, &q, &r, &why);
	if (rc) {
		famfs_err(ctx, "cannot replay the log of '%s': %s", path, why.msg);
		return FAMFS_EXIT_FAIL;
	}
	if (verbose)
		printf("famfs logplay: %s: replayed the log of %s\n", path, mnt);
	if (dry)
		printf("%s: %" PRIu64 " log entr%s to apply (dry run: nothing applied)\n",
		       mnt, r.count, r.count == 1 ? "y" : "ies");
	else
		printf("%s: %" PRIu64 " log entr%s applied\n", mnt, r.count,
		       r.count == 1 ? "y" : "ies");
	return FAMFS_EXIT_OK;
}

static const struct option logplay_opts[] = {
	{ "dryrun", no_argument, NULL, 'n' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

int famfs_cmd_logplay(struct famfs_ctx *ctx, int argc, char **argv)
{
	int opt, dry = 0, verbose = 0;

	while ((opt = getopt_long(argc, argv, "nvh", logplay_opts, NULL)) != -1) {
		switch (opt) {
		case 'n': dry = 1; break;
		case 'v': verbose = 1; break;
		case 'h': fputs(famfs_logplay_usage, stdout); return 0;
		default: return famfs_bad_option(ctx);
		}
	}
	if (argc - optind != 1)
		return famfs_usage_error(ctx, "need one MOUNTPOINT");
	return logplay_run(ctx, argv[optind], dry, verbose);
}
