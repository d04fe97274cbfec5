// SPDX-License-Identifier: Apache-2.0
/*
 * famfs ln: a hard link (a second name of a file of the same famfs
 * mount) or, with -s, a symbolic link, made through the master's control
 * file like every other name.
 */
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "famfs_client.h"
#include "filemake.h"

const char famfs_ln_usage[] =
	"usage: famfs ln [options] TARGET LINKNAME\n\n"
	"Make LINKNAME, a new name in a mounted famfs filesystem (on its\n"
	"master), a hard link to TARGET: another name of the same file, which\n"
	"must be in the same famfs mount and must not be a directory.  With -s\n"
	"LINKNAME is a symbolic link whose target is TARGET exactly as given\n"
	"(at most 4095 bytes; it need not exist).  A TARGET that is itself a\n"
	"symbolic link is linked to, not followed.  An existing LINKNAME is\n"
	"never replaced.  Only root can ask the server.\n\n"
	"Options:\n"
	"  -s, --symbolic  make a symbolic link\n"
	"  -v, --verbose   say what was made\n"
	"  -h, -?, --help  this text\n\n"
	"Exit: 0 made, 1 refused or failed (LINKNAME exists, TARGET is missing,\n"
	"a directory or in another mount, the target is too long), 2 usage error.\n";

static const struct option ln_opts[] = {
	{ "symbolic", no_argument, NULL, 's' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/*
 * Mount and famfs path of @path, its last component not followed (a
 * symbolic link is the name itself).  Reports failures.
 */
static int locate(struct famfs_ctx *ctx, const char *path, char *mnt,
		  char *rel)
{
	struct famfs_why why = { "" };
	char *dir = strdup(path), *base = strdup(path), *r = NULL;
	struct stat st;
	int nofollow = !lstat(path, &st) && S_ISLNK(st.st_mode);
	int rc = -ENOMEM;

	if (dir && base)
		rc = famfs_client_resolve(nofollow ? dirname(dir) : path, mnt,
					  PATH_MAX, rel, FAMFS_PATH_MAX + 1, &why);
	if (!rc && nofollow) {
		r = famfs_path_join(rel, basename(base));
		rc = !r ? -ENOMEM : strlen(r) > FAMFS_PATH_MAX ? -ENAMETOOLONG : 0;
		if (!rc)
			memcpy(rel, r, strlen(r) + 1);
	}
	if (rc == -ENOTTY)
		famfs_err(ctx, "'%s' is not inside a famfs filesystem", path);
	else if (rc)
		famfs_err(ctx, "'%s': %s", path, why.msg[0] ? why.msg : strerror(-rc));
	free(dir);
	free(base);
	free(r);
	return rc;
}

/* The request for a hard link to @target; 0 or the exit code. */
static int hard_req(struct famfs_ctx *ctx, const char *target,
		    const char *mnt, struct famfs_ctl_req *q)
{
	char tmnt[PATH_MAX];
	struct stat st;

	if (lstat(target, &st)) {
		famfs_err(ctx, "'%s': %s", target, strerror(errno));
		return FAMFS_EXIT_FAIL;
	}
	if (S_ISDIR(st.st_mode)) {
		famfs_err(ctx, "'%s' is a directory: no hard links to directories",
			  target);
		return FAMFS_EXIT_FAIL;
	}
	if (locate(ctx, target, tmnt, q->src))
		return FAMFS_EXIT_FAIL;
	if (strcmp(tmnt, mnt)) {
		famfs_err(ctx, "'%s' is in %s, not in the famfs mount %s: a hard link stays in its mount",
			  target, tmnt, mnt);
		return FAMFS_EXIT_FAIL;
	}
	q->op = FAMFS_CTL_LINK;
	return 0;
}

/* The request for a symbolic link to @target; 0 or the exit code. */
static int sym_req(struct famfs_ctx *ctx, const char *target,
		   struct famfs_ctl_req *q)
{
	struct timespec now;
	size_t n = strlen(target);

	if (!n || n > FAMFS_SYMLINK_MAX) {
		famfs_err(ctx, "symbolic link target of %zu bytes: 1 to %u are allowed",
			  n, FAMFS_SYMLINK_MAX);
		return FAMFS_EXIT_FAIL;
	}
	clock_gettime(CLOCK_REALTIME, &now);
	q->op = FAMFS_CTL_MKNODE;
	q->mode = S_IFLNK | 0777;
	q->uid = (uint32_t)geteuid();
	q->gid = (uint32_t)getegid();
	q->mtime.sec = now.tv_sec;
	q->mtime.nsec = (uint32_t)now.tv_nsec;
	q->data_len = (uint32_t)n;
	memcpy(q->data, target, n + 1);
	return 0;
}

static int ln_run(struct famfs_ctx *ctx, const char *target,
		  const char *name, int sym, int verbose)
{
	struct famfs_ctl_req *q = calloc(1, sizeof(*q));
	struct famfs_ctl_rep *r = calloc(1, sizeof(*r));
	struct famfs_why why = { "" };
	char mnt[PATH_MAX];
	int rc = FAMFS_EXIT_FAIL;

	if (!q || !r) {
		famfs_err(ctx, "out of memory");
		goto out;
	}
	if (locate(ctx, name, mnt, q->path))
		goto out;
	rc = sym ? sym_req(ctx, target, q) : hard_req(ctx, target, mnt, q);
	if (rc)
		goto out;
	if (!*q->path) {
		famfs_err(ctx, "'%s' is the root of the famfs filesystem", name);
		rc = FAMFS_EXIT_FAIL;
	} else if (famfs_client_request(mnt, q, r, &why)) {
		famfs_err(ctx, "cannot make '%s': %s", name, why.msg);
		rc = FAMFS_EXIT_FAIL;
	} else if (verbose) {
		printf("famfs ln: '%s' %s '%s'\n", name,
		       sym ? "->" : "is a hard link to", target);
	}
out:
	free(q);
	free(r);
	return rc;
}

int famfs_cmd_ln(struct famfs_ctx *ctx, int argc, char **argv)
{
	int opt, sym = 0, verbose = 0;

	while ((opt = famfs_getopt(argc, argv, ln_opts)) != -1) {
		switch (opt) {
		case 's': sym = 1; break;
		case 'v': verbose = 1; break;
		case 'h': case FAMFS_OPT_HELP: fputs(famfs_ln_usage, stdout); return 0;
		default: return famfs_bad_option(ctx);
		}
	}
	if (argc - optind != 2)
		return famfs_usage_error(ctx, "need TARGET and LINKNAME");
	return ln_run(ctx, argv[optind], argv[optind + 1], sym, verbose);
}
