// SPDX-License-Identifier: Apache-2.0
/*
 * famfs mkmeta and famfs check: two verbs of upstream famfs's standalone
 * (v1) kernel module mode, kept so its scripts run.  Here the server of
 * a mount serves .meta/.superblock and .meta/.log itself, and every file
 * of the namespace has its map from the log: mkmeta checks that the meta
 * files are there, and check walks a mount asking the server for the map
 * of every file.
 */
#include <dirent.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cmd.h"
#include "famfs_client.h"
#include "famfs_ctl.h"

const char famfs_mkmeta_usage[] =
	"usage: famfs mkmeta [options] DEVICE\n\n"
	"Upstream famfs's legacy verb: in its v1 mode it made the .meta files\n"
	"of a mounted filesystem.  Here the mount's server serves\n"
	".meta/.superblock and .meta/.log from the moment it mounts, so mkmeta\n"
	"only checks that DEVICE is mounted and that both files are there.\n\n"
	"Options:\n"
	"  -v, --verbose   say where the files are\n"
	"  -h, -?, --help  this text\n\n"
	"Exit: 0 the meta files are there, 1 DEVICE is not mounted as famfs (or\n"
	"a meta file is missing), 2 usage error.\n";

const char famfs_check_usage[] =
	"usage: famfs check [options] MOUNTPOINT\n\n"
	"Upstream famfs's check of a mounted filesystem: walk every directory\n"
	"under MOUNTPOINT and ask the server for the map of every regular file;\n"
	"a file without one is an error.  Also checks that .meta/.superblock\n"
	"and .meta/.log are there.  famfs fsck checks the log itself.\n\n"
	"Options:\n"
	"  -v, --verbose   name every file checked\n"
	"  -h, -?, --help  this text\n\n"
	"Exit (as upstream, bits or'ed): 0 every file is mapped, 1 a file without\n"
	"a map, 2 .meta/.superblock missing, 4 .meta/.log missing; 8 MOUNTPOINT\n"
	"is not a famfs mount, 16 usage error.\n";

#define CHECK_UNMAPPED	1
#define CHECK_NO_SB	2
#define CHECK_NO_LOG	4
#define CHECK_NOTFAMFS	8
#define CHECK_USAGE	16

static const struct option compat_opts[] = {
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* The one operand after -v/-h; 0, -1 after the help, or the usage code. */
static int one_operand(struct famfs_ctx *ctx, int argc, char **argv,
		       const char *what)
{
	int opt;

	while ((opt = famfs_getopt(argc, argv, compat_opts)) != -1) {
		switch (opt) {
		case 'v': ctx->verbose++; break;
		case 'h': case FAMFS_OPT_HELP: return famfs_show_help(ctx);
		default: return famfs_bad_option(ctx);
		}
	}
	if (argc - optind != 1)
		return famfs_usage_error(ctx, "need one %s", what);
	return 0;
}

/* Bits for the .meta files of @mnt that are missing (reported). */
static int meta_files(const struct famfs_ctx *ctx, const char *mnt)
{
	static const char *const name[] = { ".superblock", ".log" };
	static const int bit[] = { CHECK_NO_SB, CHECK_NO_LOG };
	char path[PATH_MAX + 32];
	struct stat st;
	int bad = 0;

	for (int i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/%s/%s", mnt,
			 FAMFS_META_DIR_NAME, name[i]);
		if (stat(path, &st) || !S_ISREG(st.st_mode) || !st.st_size) {
			famfs_err(ctx, "%s: missing or empty", path);
			bad |= bit[i];
		} else {
			famfs_verbose(ctx, "%s: %lld bytes", path,
				      (long long)st.st_size);
		}
	}
	return bad;
}

int famfs_cmd_mkmeta(struct famfs_ctx *ctx, int argc, char **argv)
{
	char mnt[PATH_MAX];
	const char *dev;
	int rc = one_operand(ctx, argc, argv, "DEVICE");

	if (rc)
		return rc < 0 ? FAMFS_EXIT_OK : rc;
	dev = argv[optind];
	rc = famfs_dev_famfs_mount(dev, mnt, sizeof(mnt));
	if (rc <= 0) {
		famfs_err(ctx, "%s: %s", dev, rc < 0 ? strerror(-rc) :
			  "not mounted as famfs: famfs mount makes the .meta files (nothing done)");
		return FAMFS_EXIT_FAIL;
	}
	if (meta_files(ctx, mnt))
		return FAMFS_EXIT_FAIL;
	printf("famfs mkmeta: %s: mounted at %s; its .meta files are served by the mount\n",
	       dev, mnt);
	return FAMFS_EXIT_OK;
}

struct check_walk {
	struct famfs_ctx *ctx;
	const char *mnt;
	uint64_t files, dirs, unmapped;
};

/* Ask the server for the map of @rel; 0 when it has one. */
static int file_mapped(struct check_walk *w, const char *rel, const char *path)
{
	struct famfs_ctl_req q = { .op = FAMFS_CTL_GETMAP };
	struct famfs_why why = { "" };
	struct famfs_ctl_rep *r = malloc(sizeof(*r));
	int rc = -ENOMEM;

	if (strlen(rel) >= sizeof(q.path)) {
		famfs_why_set(&why, "path longer than %zu bytes", sizeof(q.path) - 1);
		rc = -ENAMETOOLONG;
	} else if (r) {
		memcpy(q.path, rel, strlen(rel) + 1);
		rc = famfs_client_request(w->mnt, &q, r, &why);
	}
	free(r);
	if (rc)
		famfs_err(w->ctx, "%s: no map: %s", path,
			  why.msg[0] ? why.msg : strerror(-rc));
	else
		famfs_verbose(w->ctx, "%s: mapped", path);
	return rc;
}

static void walk_dir(struct check_walk *w, const char *rel);

static void walk_entry(struct check_walk *w, const char *rel, const char *name)
{
	char crel[PATH_MAX], path[2 * PATH_MAX];
	struct stat st;

	snprintf(crel, sizeof(crel), "%s%s%s", rel, *rel ? "/" : "", name);
	snprintf(path, sizeof(path), "%s/%s", w->mnt, crel);
	if (lstat(path, &st)) {
		famfs_err(w->ctx, "%s: %s", path, strerror(errno));
		w->unmapped++;
	} else if (S_ISDIR(st.st_mode)) {
		walk_dir(w, crel);
	} else if (S_ISREG(st.st_mode)) {
		w->files++;
		w->unmapped += file_mapped(w, crel, path) != 0;
	}
}

/* Every entry under @rel of the mount, but the .meta directory. */
static void walk_dir(struct check_walk *w, const char *rel)
{
	char path[2 * PATH_MAX];
	struct dirent **ents = NULL;
	int n;

	snprintf(path, sizeof(path), "%s%s%s", w->mnt, *rel ? "/" : "", rel);
	n = scandir(path, &ents, NULL, alphasort);
	if (n < 0) {
		famfs_err(w->ctx, "%s: %s", path, strerror(errno));
		w->unmapped++;
		return;
	}
	w->dirs++;
	for (int i = 0; i < n; i++) {
		const char *name = ents[i]->d_name;

		if (strcmp(name, ".") && strcmp(name, "..") &&
		    (*rel || strcmp(name, FAMFS_META_DIR_NAME)))
			walk_entry(w, rel, name);
		free(ents[i]);
	}
	free(ents);
}

int famfs_cmd_check(struct famfs_ctx *ctx, int argc, char **argv)
{
	char mnt[PATH_MAX], rel[FAMFS_PATH_MAX + 1];
	struct famfs_why why = { "" };
	struct check_walk w = { .ctx = ctx, .mnt = mnt };
	int rc = one_operand(ctx, argc, argv, "MOUNTPOINT");

	if (rc)
		return rc < 0 ? FAMFS_EXIT_OK : rc;
	if (famfs_client_resolve(argv[optind], mnt, sizeof(mnt), rel,
				 sizeof(rel), &why)) {
		famfs_err(ctx, "%s: not a famfs mount (%s)", argv[optind], why.msg);
		return CHECK_NOTFAMFS;
	}
	rc = meta_files(ctx, mnt);
	walk_dir(&w, rel);
	printf("famfs check: %s: %" PRIu64 " files in %" PRIu64 " directories, %" PRIu64 " without a map\n",
	       mnt, w.files, w.dirs, w.unmapped);
	return rc | (w.unmapped ? CHECK_UNMAPPED : 0);
}
