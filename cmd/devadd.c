// SPDX-License-Identifier: Apache-2.0
/*
 * famfs devadd: add a memory device to a mounted filesystem.  The master's
 * server does the work through the control file (.meta/.ctl): under the
 * log lock it writes the device's secondary superblock, then appends the
 * ADD_DAXDEV entry that gives it the next index.  Other hosts learn of it
 * by replay and find the device by its UUID when a file on it is opened.
 */
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "famfs_client.h"
#include "famfs_ctl.h"

const char famfs_devadd_usage[] =
	"usage: famfs devadd [options] MOUNTPOINT DEVICE\n\n"
	"Add DEVICE (a memory image file, /dev/pmemN or /dev/daxN.M) to the famfs\n"
	"filesystem mounted at MOUNTPOINT, on its master.  DEVICE gets a secondary\n"
	"superblock and the next device index; new files may be placed on it at\n"
	"once.  Other hosts find it by its UUID among their candidate devices\n"
	"(see famfs mount -h).  A device that holds a famfs superblock is\n"
	"refused (with -f: unless it is already a device of this filesystem).\n\n"
	"Options:\n"
	"  -f, --force     overwrite another famfs superblock on DEVICE\n"
	"  -h, --help      this text\n\n"
	"Exit: 0 added, 1 refused or failed (DEVICE is unchanged when refused),\n"
	"2 usage error.\n";

static int devadd_run(struct famfs_ctx *ctx, const char *path,
		      const char *dev, int force)
{
	struct famfs_ctl_req *q = calloc(1, sizeof(*q));
	struct famfs_ctl_rep *r = calloc(1, sizeof(*r));
	char mnt[PATH_MAX], rel[FAMFS_PATH_MAX + 1], abs[PATH_MAX];
	struct famfs_why why = { "" };
	int rc = FAMFS_EXIT_FAIL;

	if (!q || !r)
		goto out;
	if (!realpath(dev, abs)) {
		famfs_err(ctx, "device '%s': %s", dev, strerror(errno));
		goto out;
	}
	if (strlen(abs) > FAMFS_PATH_MAX) {
		famfs_err(ctx, "device '%s': path longer than %u bytes", dev,
			  FAMFS_PATH_MAX);
		goto out;
	}
	if (famfs_client_resolve(path, mnt, sizeof(mnt), rel, sizeof(rel),
				 &why)) {
		famfs_err(ctx, "'%s' is not a famfs mount", path);
		goto out;
	}
	q->op = FAMFS_CTL_DEVADD;
	q->flags = force ? FAMFS_CTL_F_FORCE : 0;
	memcpy(q->path, abs, strlen(abs) + 1);
	if (famfs_client_request(mnt, q, r, &why)) {
		famfs_err(ctx, "%s: cannot add %s: %s", mnt, abs, why.msg);
		goto out;
	}
	printf("famfs devadd: %s: added %s as device %" PRIu64 "\n", mnt, abs,
	       r->count);
	rc = FAMFS_EXIT_OK;
out:
	free(q);
	free(r);
	return rc;
}

static const struct option devadd_opts[] = {
	{ "force", no_argument, NULL, 'f' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

int famfs_cmd_devadd(struct famfs_ctx *ctx, int argc, char **argv)
{
	int opt, force = 0;

	while ((opt = famfs_getopt(argc, argv, devadd_opts)) != -1) {
		switch (opt) {
		case 'f': force = 1; break;
		case 'h': case FAMFS_OPT_HELP: fputs(famfs_devadd_usage, stdout); return 0;
		default: return famfs_bad_option(ctx);
		}
	}
	if (argc - optind != 2)
		return famfs_usage_error(ctx, "need MOUNTPOINT and DEVICE");
	return devadd_run(ctx, argv[optind], argv[optind + 1], force);
}
