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
	"  -h, -?, --help  this text\n\n"
	"Upstream famfs's other flags, accepted so its scripts run unchanged:\n"
	"  -m, --mmap      read the log through a mapping: what the server\n"
	"                  always does; no effect\n"
	"  -r, --read      upstream reads the log with read(2) instead; the\n"
	"                  server's replay is the same: no effect (not with -m)\n"
	"  -c, --client    replay as a client: the server replays in the role\n"
	"                  it was mounted with (a client's files are read-only\n"
	"                  already); no effect\n"
	"  -s, --shadowtest, -S, --shadow PATH\n"
	"                  upstream's shadow YAML tree, which famfs does not\n"
	"                  have (the server holds the namespace): no effect\n"
	"  -M, --mock      upstream's test hook: no effect\n"
	"      --set-daxmode  upstream switches --daxdev's device to famfs mode:\n"
	"                  no effect (the mounted filesystem's device is in\n"
	"                  the mode its mount chose)\n"
	"  -d, --daxdev DEV  refused: replaying an unmounted device into a\n"
	"                  shadow tree; mount DEV, or list it with famfs fsck\n\n"
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
	{ "mmap", no_argument, NULL, 'm' },
	{ "read", no_argument, NULL, 'r' },
	{ "client", no_argument, NULL, 'c' },
	{ "shadowtest", no_argument, NULL, 's' },
	{ "shadow", required_argument, NULL, 'S' },
	{ "mock", no_argument, NULL, 'M' },
	{ "set-daxmode", no_argument, NULL, 'M' },
	{ "daxdev", required_argument, NULL, 'd' },
	{ NULL, 0, NULL, 0 },
};

int famfs_cmd_logplay(struct famfs_ctx *ctx, int argc, char **argv)
{
	int opt, dry = 0, verbose = 0, how = 0;

	while ((opt = famfs_getopt(argc, argv, logplay_opts)) != -1) {
		switch (opt) {
		case 'n': dry = 1; break;
		case 'v': verbose = 1; break;
		/* how upstream reads the log, its client mode, its shadow
		 * tree and its test hook: nothing to change here */
		case 'm': case 'r':
			if (how && how != opt)
				return famfs_usage_error(ctx, "-m/--mmap and -r/--read exclude each other");
			how = opt;
			break;
		case 'c': case 's': case 'S': case 'M':
			break;
		case 'd':
			return famfs_usage_error(ctx, "-d/--daxdev %s: replaying an unmounted device into a shadow tree is not supported (famfs has no shadow tree); mount it, or list it with famfs fsck",
						 optarg);
		case 'h': case FAMFS_OPT_HELP: fputs(famfs_logplay_usage, stdout); return 0;
		default: return famfs_bad_option(ctx);
		}
	}
	if (argc - optind != 1)
		return famfs_usage_error(ctx, "need one MOUNTPOINT");
	return logplay_run(ctx, argv[optind], dry, verbose);
}
