// SPDX-License-Identifier: Apache-2.0
/*
 * famfs mkdir: directories in a mounted famfs, made by its server (the
 * master logs one MKDIR entry each).  With -p, as mkdir(1) -p: missing
 * parents are made and an existing directory is not an error.  A path is
 * resolved on this host first, so one that leaves the filesystem (through
 * "..", a symlink or a different mount) is refused by name.
 */
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"
#include "famfs_client.h"

const char famfs_mkdir_usage[] =
	"usage: famfs mkdir [options] DIR...\n\n"
	"Create directories in a mounted famfs filesystem.  Only the master host\n"
	"can create; each directory is one entry of the metadata log, and other\n"
	"hosts see it when they next look it up.  Only root can ask the server.\n\n"
	"Options:\n"
	"  -p, --parents      make missing parent directories as needed; an\n"
	"                     existing directory (the mount point too) is fine\n"
	"  -m, --mode MODE    permission bits, octal (default 0755)\n"
	"  -u, --uid UID      owner, numeric (default: the caller)\n"
	"  -g, --gid GID      group, numeric (default: the caller's)\n"
	"  -v, --verbose      print each directory made\n"
	"  -h, --help         this text\n\n"
	"Exit: 0 every DIR made (or, with -p, present), 1 one or more failed,\n"
	"2 usage error.\n";

struct mkdir_cmd {
	struct famfs_ctx *ctx;
	int parents, verbose;
	uint32_t mode, uid, gid;
};

/* Ask the server to make @rel in @mnt; @shown is the user's name for it. */
static int make_rel(const struct mkdir_cmd *m, const char *mnt,
		    const char *rel, const char *shown, uint32_t flags)
{
	struct famfs_ctl_req q = {
		.op = FAMFS_CTL_MKDIR, .flags = flags, .mode = m->mode,
		.uid = m->uid, .gid = m->gid,
	};
	struct famfs_why why = { "" };
	struct famfs_ctl_rep r;
	int rc;

	if (strlen(rel) >= sizeof(q.path)) {
		famfs_err(m->ctx, "cannot create directory '%s': path longer than %u bytes",
			  shown, FAMFS_PATH_MAX);
		return -ENAMETOOLONG;
	}
	memcpy(q.path, rel, strlen(rel) + 1);
	rc = famfs_client_request(mnt, &q, &r, &why);
	if (rc) {
		famfs_err(m->ctx, "cannot create directory '%s': %s", shown,
			  why.msg);
		return rc;
	}
	if (m->verbose)
		printf("famfs mkdir: created directory '%s'%s\n", shown,
		       (flags & FAMFS_CTL_F_PARENTS) && r.count > 1 ?
		       " and its parents" : "");
	return 0;
}

/* The famfs mount of @path and its path there; refuses paths outside. */
static int locate(const struct mkdir_cmd *m, const char *path, char *mnt,
		  size_t mntlen, char *rel, size_t rellen)
{
	struct famfs_why why = { "" };
	int rc = famfs_client_resolve(path, mnt, mntlen, rel, rellen, &why);

	if (rc == -ENOTTY)
		famfs_err(m->ctx, "cannot create directory '%s': it is not inside a famfs filesystem",
			  path);
	else if (rc)
		famfs_err(m->ctx, "cannot create directory '%s': %s", path,
			  why.msg);
	return rc;
}

static int make_one(const struct mkdir_cmd *m, const char *path)
{
	char mnt[PATH_MAX], rel[FAMFS_PATH_MAX + 1];
	int rc = locate(m, path, mnt, sizeof(mnt), rel, sizeof(rel));

	if (rc)
		return rc;
	if (!rel[0]) {
		famfs_err(m->ctx, "cannot create directory '%s': File exists (it is the mount point of a famfs filesystem)",
			  path);
		return -EEXIST;
	}
	return make_rel(m, mnt, rel, path, 0);
}

/*
 * @rest, the components after the first missing one, as "a/b/c" in @out;
 * -EINVAL if it holds "." or ".." (then components are made one by one).
 */
static int plain_rest(const char *rest, char *out, size_t len)
{
	size_t n = 0;

	while (*rest) {
		size_t c = strcspn(rest, "/");

		if ((c == 1 && rest[0] == '.') ||
		    (c == 2 && rest[0] == '.' && rest[1] == '.'))
			return -EINVAL;
		if (c && n + c + 2 > len)
			return -ENAMETOOLONG;
		if (c) {
			if (n)
				out[n++] = '/';
			memcpy(out + n, rest, c);
			n += c;
		}
		rest += c + strspn(rest + c, "/");
	}
	out[n] = 0;
	return 0;
}

/* Make the missing prefix @pre of @path and, if they are plain, the rest. */
static int make_missing(const struct mkdir_cmd *m, const char *path,
			const char *pre, const char *rest, int *done)
{
	char mnt[PATH_MAX], rel[FAMFS_PATH_MAX + 1], tail[FAMFS_PATH_MAX + 1];
	size_t n;
	int rc = locate(m, pre, mnt, sizeof(mnt), rel, sizeof(rel));

	if (rc)
		return rc;
	rc = plain_rest(rest, tail, sizeof(tail));
	if (rc == -EINVAL)		/* "." or "..": one at a time */
		return make_rel(m, mnt, rel, pre, 0);
	n = strlen(rel);
	if (rc || (tail[0] && n + 1 + strlen(tail) >= sizeof(rel))) {
		famfs_err(m->ctx, "cannot create directory '%s': path longer than %u bytes",
			  path, FAMFS_PATH_MAX);
		return -ENAMETOOLONG;
	}
	if (tail[0]) {
		rel[n] = '/';
		memcpy(rel + n + 1, tail, strlen(tail) + 1);
	}
	*done = 1;
	return make_rel(m, mnt, rel, path, FAMFS_CTL_F_PARENTS);
}

/* The whole of @path exists: fine if it is a directory inside famfs. */
static int check_existing(const struct mkdir_cmd *m, const char *path)
{
	char mnt[PATH_MAX], rel[FAMFS_PATH_MAX + 1];
	struct stat st;
	int rc = locate(m, path, mnt, sizeof(mnt), rel, sizeof(rel));

	if (rc)
		return rc;
	if (stat(path, &st) || !S_ISDIR(st.st_mode)) {
		famfs_err(m->ctx, "cannot create directory '%s': it exists and is not a directory",
			  path);
		return -EEXIST;
	}
	return 0;
}

/* mkdir -p: walk the components; make the first missing one and on. */
static int make_parents(const struct mkdir_cmd *m, const char *path)
{
	size_t len = strlen(path);
	char *buf = strdup(path);
	struct stat st;
	int rc = 0, done = 0;

	if (!buf)
		return -ENOMEM;
	for (size_t i = 1; i <= len && !rc && !done; i++) {
		char save = buf[i];

		if ((i < len && save != '/') || buf[i - 1] == '/')
			continue;
		buf[i] = 0;
		if (stat(buf, &st) == 0) {
			if (!S_ISDIR(st.st_mode)) {
				famfs_err(m->ctx, "cannot create directory '%s': '%s' is not a directory",
					  path, buf);
				rc = -ENOTDIR;
			}
		} else if (errno == ENOENT) {
			rc = make_missing(m, path, buf, path + i, &done);
		} else {
			rc = -errno;
			famfs_err(m->ctx, "cannot create directory '%s': %s: %s",
				  path, buf, strerror(errno));
		}
		buf[i] = save;
	}
	free(buf);
	if (!rc && !done)
		rc = check_existing(m, path);
	return rc;
}

static int parse_num(const char *s, int base, unsigned long max,
		     uint32_t *out)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(s, &end, base);
	if (errno || end == s || *end || v > max || s[0] == '-')
		return -EINVAL;
	*out = (uint32_t)v;
	return 0;
}

static const struct option mkdir_opts[] = {
	{ "parents", no_argument, NULL, 'p' },
	{ "mode", required_argument, NULL, 'm' },
	{ "uid", required_argument, NULL, 'u' },
	{ "gid", required_argument, NULL, 'g' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* Returns 0 to go on, -1 after -h, or the usage exit code. */
static int mkdir_args(struct mkdir_cmd *m, int argc, char **argv)
{
	struct famfs_ctx *ctx = m->ctx;
	int opt;

	while ((opt = famfs_getopt(argc, argv, mkdir_opts)) != -1) {
		switch (opt) {
		case 'p': m->parents = 1; break;
		case 'v': m->verbose = 1; break;
		case 'h': case FAMFS_OPT_HELP: fputs(famfs_mkdir_usage, stdout); return -1;
		case 'm':
			if (parse_num(optarg, 8, 07777, &m->mode))
				return famfs_usage_error(ctx, "bad mode '%s' (octal, at most 07777)",
							 optarg);
			break;
		case 'u':
		case 'g':
			if (parse_num(optarg, 10, UINT32_MAX - 1,
				      opt == 'u' ? &m->uid : &m->gid))
				return famfs_usage_error(ctx, "bad %s '%s' (a number)",
							 opt == 'u' ? "uid" : "gid",
							 optarg);
			break;
		default:
			return famfs_bad_option(ctx);
		}
	}
	if (optind >= argc)
		return famfs_usage_error(ctx, "no directory given");
	return 0;
}

int famfs_cmd_mkdir(struct famfs_ctx *ctx, int argc, char **argv)
{
	struct mkdir_cmd m = {
		.ctx = ctx, .mode = 0755, .uid = (uint32_t)geteuid(),
		.gid = (uint32_t)getegid(),
	};
	int rc = mkdir_args(&m, argc, argv), failed = 0;

	if (rc)
		return rc < 0 ? 0 : rc;
	for (int i = optind; i < argc; i++) {
		rc = m.parents ? make_parents(&m, argv[i]) : make_one(&m, argv[i]);
		if (rc == -ENOMEM)
			famfs_err(ctx, "out of memory");
		failed |= rc != 0;
	}
	return failed ? FAMFS_EXIT_FAIL : FAMFS_EXIT_OK;
}
