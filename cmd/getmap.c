// SPDX-License-Identifier: Apache-2.0
/*
 * famfs getmap: the extents of famfs files, as the server's namespace holds
 * them (FAMFS_CTL_GETMAP).  The exit code answers "is this a mapped famfs
 * file?" with upstream's meanings: 0 yes, 1 not in famfs, 2 in famfs but
 * not a mapped file.
 */
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cmd.h"
#include "famfs_client.h"
#include "famfs_json.h"

const char famfs_getmap_usage[] =
	"usage: famfs getmap [options] FILE...\n\n"
	"Print the size and the extents of famfs files as the metadata log\n"
	"records them: device index, offset and length of each extent, or for\n"
	"an interleaved file its chunk size and each strip.  Only root can ask\n"
	"the server.\n\n"
	"Options:\n"
	"  -q, --quiet      print nothing; the exit code answers\n"
	"  -c, --continue   go on with the next FILE after one that is not a\n"
	"                   mapped famfs file (default: stop there)\n"
	"  -h, --help       this text\n\n"
	"Exit: 0 every FILE is a mapped famfs file; otherwise the code of the\n"
	"first one that is not: 1 not in famfs (or missing, or the server did\n"
	"not answer), 2 in famfs but not a mapped file (a directory, a .meta\n"
	"file); 3 usage error.\n";

struct getmap_cmd {
	struct famfs_ctx *ctx;
	int quiet, cont;
};

static void print_extent(const char *obj, size_t len, unsigned int i,
			 int strip)
{
	char buf[256], h[32];
	uint64_t dev = 0, off = 0, n = 0;

	if (len >= sizeof(buf))
		len = sizeof(buf) - 1;
	memcpy(buf, obj, len);
	buf[len] = 0;
	famfs_json_u64(buf, "dev", &dev);
	famfs_json_u64(buf, "offset", &off);
	famfs_json_u64(buf, "len", &n);
	printf("  %s %u: dev %" PRIu64 " offset %#" PRIx64 " len %#" PRIx64 " (%s)\n",
	       strip ? "strip" : "extent", i, dev, off, n,
	       famfs_human(n, h, sizeof(h)));
}

/* Print the reply's map; returns the number of extents printed. */
static uint64_t print_map(const char *path, const struct famfs_ctl_rep *r)
{
	const char *p = famfs_json_value(r->msg, "extents"), *e;
	uint64_t size = 0, chunk = 0, n = 0;
	char type[32], h[32];
	int strip;

	famfs_json_u64(r->msg, "size", &size);
	famfs_json_u64(r->msg, "chunk", &chunk);
	if (famfs_json_str(r->msg, "ext_type", type, sizeof(type)))
		snprintf(type, sizeof(type), "?");
	strip = !strcmp(type, "interleave");
	printf("%s\n  size %" PRIu64 " (%s), ", path, size,
	       famfs_human(size, h, sizeof(h)));
	if (strip)
		printf("interleaved: %" PRIu64 " strips, chunk %#" PRIx64 " (%s)\n",
		       r->count, chunk, famfs_human(chunk, h, sizeof(h)));
	else
		printf("%s: %" PRIu64 " extent%s\n", type, r->count,
		       r->count == 1 ? "" : "s");
	while (p && (p = strchr(p, '{')) && (e = strchr(p, '}'))) {
		print_extent(p, (size_t)(e - p + 1), (unsigned int)n++, strip);
		p = e + 1;
	}
	return n;
}

/* The reply to a GETMAP that failed, as an exit code. */
static int failed(const struct getmap_cmd *g, const char *path, int rc,
		  const struct famfs_why *why)
{
	int code = rc == -EISDIR || rc == -ENOENT ? FAMFS_GETMAP_UNMAPPED :
		   FAMFS_GETMAP_NOTFAMFS;

	if (!g->quiet)
		famfs_err(g->ctx, "%s: %s%s", path, why->msg,
			  code == FAMFS_GETMAP_UNMAPPED ? " (in famfs, but not a mapped file)" : "");
	return code;
}

static int getmap_one(const struct getmap_cmd *g, const char *path)
{
	struct famfs_ctl_req q = { .op = FAMFS_CTL_GETMAP };
	struct famfs_why why = { "" };
	struct famfs_ctl_rep r;
	char mnt[PATH_MAX];
	struct stat st;
	int rc;

	if (stat(path, &st)) {
		if (!g->quiet)
			famfs_err(g->ctx, "%s: %s", path, strerror(errno));
		return FAMFS_GETMAP_NOTFAMFS;
	}
	rc = famfs_client_resolve(path, mnt, sizeof(mnt), q.path,
				  sizeof(q.path), &why);
	if (rc) {
		if (!g->quiet)
			famfs_err(g->ctx, "%s", why.msg);
		return FAMFS_GETMAP_NOTFAMFS;
	}
	if (!S_ISREG(st.st_mode)) {
		famfs_why_set(&why, "not a regular file");
		return failed(g, path, -EISDIR, &why);
	}
	rc = famfs_client_request(mnt, &q, &r, &why);
	if (rc == -ENOENT && !strncmp(q.path, FAMFS_META_DIR_NAME "/",
				      strlen(FAMFS_META_DIR_NAME) + 1))
		famfs_why_set(&why, "a metadata file of the filesystem, not in its log");
	else if (rc == -ENOENT)
		famfs_why_set(&why, "the server does not know it");
	if (rc == -ENOENT || rc == -EISDIR)
		return failed(g, path, rc, &why);
	if (rc) {
		if (!g->quiet)
			famfs_err(g->ctx, "%s: %s", path, why.msg);
		return FAMFS_GETMAP_NOTFAMFS;
	}
	if (!g->quiet && print_map(path, &r) != r.count)
		famfs_warn(g->ctx, "%s: the server's reply lists fewer extents than the file has (%" PRIu64 ")",
			   path, r.count);
	return FAMFS_GETMAP_MAPPED;
}

static const struct option getmap_opts[] = {
	{ "quiet", no_argument, NULL, 'q' },
	{ "continue", no_argument, NULL, 'c' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

int famfs_cmd_getmap(struct famfs_ctx *ctx, int argc, char **argv)
{
	struct getmap_cmd g = { .ctx = ctx };
	int opt, code = FAMFS_GETMAP_MAPPED;

	while ((opt = famfs_getopt(argc, argv, getmap_opts)) != -1) {
		switch (opt) {
		case 'q': g.quiet = 1; break;
		case 'c': g.cont = 1; break;
		case 'h': case FAMFS_OPT_HELP: fputs(famfs_getmap_usage, stdout); return 0;
		default: return famfs_bad_option(ctx);
		}
	}
	if (optind >= argc)
		return famfs_usage_error(ctx, "no file given");
	for (int i = optind; i < argc; i++) {
		int rc = getmap_one(&g, argv[i]);

		if (rc && !code)
			code = rc;
		if (rc && !g.cont)
			break;
	}
	return code;
}
