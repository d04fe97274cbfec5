// SPDX-License-Identifier: Apache-2.0
/*
 * Making files, for creat and cp (verify parses the same numbers): the
 * options they share (mode, owner, threads, interleave), and files and
 * directories made through the mount's control file.  Their data is
 * written afterwards by the fan-out of dataio.c.
 */
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"
#include "batch.h"
#include "famfs_client.h"
#include "filemake.h"

#define MAKE_MAX_BUCKETS	64u	/* -B: accepted as upstream bounds it */

/* ----------------------------------------------------------------------
 * Options
 */

static unsigned int nproc(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	if (n < 1)
		return 1;
	return n > (long)FAMFS_MAX_THREADS ? FAMFS_MAX_THREADS : (unsigned int)n;
}

void famfs_make_opts_init(struct famfs_make_opts *o, uint32_t mode)
{
	memset(o, 0, sizeof(*o));
	o->mode = mode;
	o->uid = (uint32_t)geteuid();
	o->gid = (uint32_t)getegid();
	o->chunk = 2ull << 20;
	o->threads = nproc();
}

/* A whole unsigned number in @base (0: C rules) no larger than @max. */
int famfs_parse_num(const char *s, int base, uint64_t max, uint64_t *out)
{
	unsigned long long v;
	char *end;

	if (!s || !*s || *s == '-' || *s == '+' || *s == ' ' || *s == '\t')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, base);
	if (errno || *end || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

int famfs_parse_seed(const char *s, uint64_t *seed)
{
	return famfs_parse_num(s, 0, UINT64_MAX, seed);
}

int famfs_parse_threads(const struct famfs_ctx *ctx, const char *s,
			unsigned int *threads)
{
	uint64_t v;

	if (famfs_parse_num(s, 10, FAMFS_MAX_THREADS, &v))
		return famfs_usage_error(ctx, "bad thread count '%s' (0..%u)",
					 s, FAMFS_MAX_THREADS);
	*threads = (unsigned int)v;
	return 0;
}

static int parse_id(const struct famfs_ctx *ctx, const char *what,
		    const char *s, uint32_t *id)
{
	uint64_t v;

	if (famfs_parse_num(s, 10, UINT32_MAX - 1, &v))
		return famfs_usage_error(ctx, "bad %s '%s': a number is needed",
					 what, s);
	*id = (uint32_t)v;
	return 0;
}

static int parse_layout(const struct famfs_ctx *ctx, int opt, const char *s,
			struct famfs_make_opts *o)
{
	uint64_t v;

	if (opt == 'C') {
		if (famfs_parse_size(s, &v) || v < 4096 || (v & (v - 1)))
			return famfs_usage_error(ctx, "bad chunk size '%s': a power of two of at least 4K",
						 s);
		o->chunk = v;
	} else if (opt == 'N') {
		if (famfs_parse_num(s, 10, FAMFS_MAX_STRIPS, &v))
			return famfs_usage_error(ctx, "bad strip count '%s' (0..%u)",
						 s, FAMFS_MAX_STRIPS);
		o->nstrips = (uint32_t)v;
	} else {
		if (famfs_parse_num(s, 10, MAKE_MAX_BUCKETS, &v) || !v)
			return famfs_usage_error(ctx, "bad bucket count '%s' (1..%u)",
						 s, MAKE_MAX_BUCKETS);
		o->nbuckets = (uint32_t)v;
	}
	return 0;
}

/*
 * The options creat and cp share: -m -u -g -t -N -B -C.  Returns 0 when
 * @opt was one of them, -1 when it is not, or the usage exit code.
 */
int famfs_make_opt(const struct famfs_ctx *ctx, int opt, const char *arg,
		   struct famfs_make_opts *o)
{
	uint64_t v;

	switch (opt) {
	case 'm':
		if (famfs_parse_num(arg, 8, 07777, &v))
			return famfs_usage_error(ctx, "bad mode '%s': octal, at most 7777",
						 arg);
		o->mode = (uint32_t)v;
		return 0;
	case 'u':
		return parse_id(ctx, "uid", arg, &o->uid);
	case 'g':
		return parse_id(ctx, "gid", arg, &o->gid);
	case 't':
		return famfs_parse_threads(ctx, arg, &o->threads);
	case 'N':
	case 'B':
	case 'C':
		return parse_layout(ctx, opt, arg, o);
	}
	return -1;
}

/* Checks across options, once all are parsed. */
int famfs_make_opts_check(const struct famfs_ctx *ctx,
			  const struct famfs_make_opts *o)
{
	if (o->nbuckets && o->nbuckets < o->nstrips)
		return famfs_usage_error(ctx, "-B/--nbuckets (%u) must be at least -N/--nstrips (%u)",
					 o->nbuckets, o->nstrips);
	return 0;
}

/* "a/b", or "b" when @a is empty (the filesystem root); malloc'ed. */
char *famfs_path_join(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	char *s;

	while (la > 1 && a[la - 1] == '/')
		la--;
	s = malloc(la + lb + 2);
	if (!s)
		return NULL;
	memcpy(s, a, la);
	s[la] = '/';
	memcpy(s + (la ? la + (a[la - 1] != '/') : 0), b, lb + 1);
	return s;
}

/* ----------------------------------------------------------------------
 * Files and directories through the control file
 */

struct famfs_make_ctl {
	struct famfs_client cl;		/* fd < 0: none open */
};

struct famfs_make_ctl *famfs_make_ctl_new(void)
{
	struct famfs_make_ctl *c = calloc(1, sizeof(*c));

	if (c)
		c->cl.fd = -1;
	return c;
}

void famfs_make_ctl_free(struct famfs_make_ctl *c)
{
	if (!c)
		return;
	famfs_client_close(&c->cl);
	free(c);
}

struct famfs_client *famfs_make_client(struct famfs_make_ctl *c)
{
	return &c->cl;
}

const char *famfs_make_mnt(const struct famfs_make_ctl *c)
{
	return c->cl.mnt;
}

/*
 * Find the famfs mount @path is in, make its control file the current one
 * and return @path relative to the filesystem root in @rel.  Errors are
 * reported; returns 0 or -errno.
 */
int famfs_make_target(const struct famfs_ctx *ctx, struct famfs_make_ctl *c,
		      const char *path, char *rel, size_t rellen)
{
	struct famfs_why why = { "" };
	char mnt[PATH_MAX];
	int rc;

	rc = famfs_client_resolve(path, mnt, sizeof(mnt), rel, rellen, &why);
	if (rc) {
		famfs_err(ctx, "%s", why.msg);
		return rc;
	}
	if (c->cl.fd >= 0 && !strcmp(c->cl.mnt, mnt))
		return 0;
	famfs_client_close(&c->cl);
	rc = famfs_client_open(&c->cl, mnt, &why);
	if (rc)
		famfs_err(ctx, "%s: %s", path, why.msg);
	return rc;
}

/*
 * Before @path's mount becomes the current one: send the batch @b when
 * @path is in another mount than the current one.  0, or -errno.
 */
int famfs_make_flush_if_other(struct famfs_make_ctl *c, const char *path,
			      struct famfs_batch *b)
{
	struct famfs_why why = { "" };
	char mnt[PATH_MAX], rel[PATH_MAX];

	if (c->cl.fd < 0 ||
	    famfs_client_resolve(path, mnt, sizeof(mnt), rel, sizeof(rel), &why) ||
	    !strcmp(mnt, c->cl.mnt))
		return 0;
	return famfs_batch_flush(b);
}

/* Explain a failed create of @io (shown as @shown) of @size bytes. */
void famfs_make_explain(const struct famfs_ctx *ctx, const char *io,
			const char *shown, uint64_t size, int rc,
			const char *msg)
{
	struct stat st;

	if (rc == -EEXIST && io && !stat(io, &st) &&
	    (S_ISDIR(st.st_mode) || (uint64_t)st.st_size != size)) {
		if (S_ISDIR(st.st_mode))
			famfs_err(ctx, "%s: already exists and is a directory",
				  shown);
		else
			famfs_err(ctx, "%s: already exists with size %lld (asked for %" PRIu64 ")",
				  shown, (long long)st.st_size, size);
	} else {
		famfs_err(ctx, "%s: %s", shown, msg);
	}
}

static void create_failed(const struct famfs_ctx *ctx,
			  const struct famfs_make_ctl *c, const char *rel,
			  const char *shown, uint64_t size, int rc,
			  const char *msg)
{
	char *io = famfs_path_join(c->cl.mnt, rel);

	famfs_make_explain(ctx, io, shown, size, rc, msg);
	free(io);
}

/* Build @q for @op on @rel; -ENAMETOOLONG (reported, naming @shown). */
static int ctl_req(const struct famfs_ctx *ctx, struct famfs_ctl_req *q,
		   uint32_t op, const char *rel, const char *shown,
		   uint32_t mode, const struct famfs_make_opts *o)
{
	if (strlen(rel) > FAMFS_PATH_MAX) {
		famfs_err(ctx, "%s: path longer than %u bytes", shown,
			  FAMFS_PATH_MAX);
		return -ENAMETOOLONG;
	}
	memset(q, 0, sizeof(*q));
	q->op = op;
	q->mode = mode & 07777;
	q->uid = o->uid;
	q->gid = o->gid;
	snprintf(q->path, sizeof(q->path), "%s", rel);
	return 0;
}

/* Send @q to the current mount: 0 and the reply's count, or -errno. */
int famfs_make_request(struct famfs_make_ctl *c, const struct famfs_ctl_req *q,
		       uint64_t *count, struct famfs_why *why)
{
	struct famfs_ctl_rep r;		/* 3 KiB: the stack, not the heap */
	int rc = famfs_client_call(&c->cl, q, &r, why);

	*count = rc ? 0 : r.count;
	return rc;
}

/*
 * Create file @rel of @size bytes in the current mount; an existing file
 * of that size is reused.  Returns 1 created, 0 reused, or -errno
 * (reported, naming @shown).
 */
int famfs_make_file(const struct famfs_ctx *ctx, struct famfs_make_ctl *c,
		    const char *rel, const char *shown, uint64_t size,
		    uint32_t mode, const struct famfs_make_opts *o)
{
	struct famfs_ctl_req q;
	struct famfs_why why = { "" };
	uint64_t made;
	int rc;

	if (!*rel) {
		famfs_err(ctx, "%s: is the root of the famfs filesystem", shown);
		return -EISDIR;
	}
	rc = ctl_req(ctx, &q, FAMFS_CTL_CREATE, rel, shown, mode, o);
	if (rc)
		return rc;
	q.flags = FAMFS_CTL_F_EXIST_OK;
	q.size = size;
	if (o->nstrips) {
		q.nstrips = o->nstrips;
		q.chunk = o->chunk;
	}
	rc = famfs_make_request(c, &q, &made, &why);
	if (rc)
		create_failed(ctx, c, rel, shown, size, rc, why.msg);
	return rc ? rc : made ? 1 : 0;
}

/* mkdir -p @rel in the current mount.  Returns 0 or -errno (reported). */
int famfs_make_dirs(const struct famfs_ctx *ctx, struct famfs_make_ctl *c,
		    const char *rel, const char *shown, uint32_t mode,
		    const struct famfs_make_opts *o)
{
	struct famfs_ctl_req q;
	struct famfs_why why = { "" };
	uint64_t made;
	int rc;

	if (!*rel)			/* the root exists */
		return 0;
	rc = ctl_req(ctx, &q, FAMFS_CTL_MKDIR, rel, shown, mode, o);
	if (rc)
		return rc;
	q.flags = FAMFS_CTL_F_PARENTS;
	rc = famfs_make_request(c, &q, &made, &why);
	if (rc)
		famfs_err(ctx, "%s: %s", shown, why.msg);
	return rc;
}
