// SPDX-License-Identifier: Apache-2.0
/*
 * famfs creat: create preallocated files in a mounted famfs (on the master)
 * through the mount's control file, and optionally fill them with the
 * test-data stream of a seed, which `famfs verify` checks later.
 * Re-creating a file with its current size is a success (restartable
 * scripts); another size is refused.
 */
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "batch.h"
#include "cmd.h"
#include "dataio.h"
#include "famfs_ctl.h"
#include "filemake.h"
#include "famfs_prng.h"

const char famfs_creat_usage[] =
	"usage: famfs creat [options] -s SIZE FILE\n"
	"       famfs creat -r -S SEED FILE\n"
	"       famfs creat [options] -M NAME,SIZE[,SEED] [-M ...]\n\n"
	"Create FILE, of a fixed SIZE, in a mounted famfs filesystem (on its\n"
	"master).  Its memory is allocated and logged; the file is visible in\n"
	"the mount when the command returns.  An existing file of the same size\n"
	"is reused (and re-randomized with -r), whatever its layout; another size\n"
	"is an error.  Without -s, and with SIZE 0 in -M, the size is that of\n"
	"the existing file: -r -S SEED FILE re-randomizes it (as upstream).\n\n"
	"Options:\n"
	"  -s, --size SIZE        file size: bytes, 0x hex, or k/m/g suffixes (not 0)\n"
	"  -r, --randomize        fill the file with the test data of a seed\n"
	"                         (-S, or a random seed that is printed)\n"
	"  -S, --seed N           the seed for -r (needs -r; 0 = do not fill)\n"
	"  -M, --multi NAME,SIZE[,SEED]\n"
	"                         create several files (repeatable; not with -s/-S\n"
	"                         or FILE); a nonzero SEED fills that file;\n"
	"                         NAME may not contain a comma\n"
	"  -m, --mode OCTAL       permissions (default 0644 minus the umask)\n"
	"  -u, --uid N            owner (numeric; default: the caller)\n"
	"  -g, --gid N            group (numeric; default: the caller)\n"
	"  -t, --threads N        threads that fill files, 0..256 (default: one per\n"
	"                         CPU; 0 = fill in the calling thread)\n"
	"      --threadct N       the same as --threads\n"
	"  -N, --nstrips N        interleave the file over N strips (0..32; 0 =\n"
	"                         contiguous)\n"
	"  -C, --chunksize SIZE   interleave chunk (default 2M; used with -N)\n"
	"  -B, --nbuckets N       accepted for compatibility: N >= nstrips, <= 64\n"
	"  -v, --verbose          say what was created or reused\n"
	"  -h, -?, --help         this text\n\n"
	"Files are read back with 'famfs verify -f FILE -S SEED'.\n"
	"Exit: 0 every file created (or reused), 1 a failure, 2 usage error.\n";

struct creat_item {
	char *name;			/* as given (owned: strdup of -M) */
	uint64_t size, seed;
};

struct creat_args {
	struct famfs_make_opts o;
	struct creat_item *it;
	size_t n, cap;			/* items, and room for them */
	int multi, randomize, seed_set, size_set;
	uint64_t size, seed;
};

struct creat_tally {
	size_t created, reused, randomized, failed;
	struct famfs_dataio_file *fill;	/* files to randomize */
	size_t nfill;
};

static int add_item(struct creat_args *a, const char *name, size_t len,
		    uint64_t size, uint64_t seed)
{
	struct creat_item *it;

	if (a->n == a->cap) {
		size_t cap = a->cap ? 2 * a->cap : 16;

		it = realloc(a->it, cap * sizeof(*it));
		if (!it)
			return FAMFS_EXIT_FAIL;
		a->it = it;
		a->cap = cap;
	}
	it = &a->it[a->n];
	it->name = strndup(name, len);
	if (!it->name)
		return FAMFS_EXIT_FAIL;
	it->size = size;
	it->seed = seed;
	a->n++;
	return 0;
}

static int parse_size(const struct famfs_ctx *ctx, const char *s,
		      uint64_t *size)
{
	if (famfs_parse_size(s, size) || !*size)
		return famfs_usage_error(ctx, "bad size '%s': a nonzero size like 4096, 4k, 2M or 0x1000",
					 s);
	return 0;
}

/* -M NAME,SIZE[,SEED]; SIZE 0 is the existing file's size */
static int add_multi(const struct famfs_ctx *ctx, struct creat_args *a,
		     const char *arg)
{
	const char *c1 = strchr(arg, ','), *c2;
	char size[64];
	uint64_t sz, seed = 0;
	size_t sl;
	int rc;

	if (!c1 || c1 == arg)
		return famfs_usage_error(ctx, "bad -M '%s': NAME,SIZE[,SEED] is needed",
					 arg);
	c2 = strchr(c1 + 1, ',');
	sl = (size_t)((c2 ? c2 : c1 + strlen(c1)) - c1 - 1);
	if (sl >= sizeof(size))
		return famfs_usage_error(ctx, "bad size in -M '%s'", arg);
	memcpy(size, c1 + 1, sl);	/* no snprintf: this runs per file */
	size[sl] = 0;
	sz = 0;
	rc = strcmp(size, "0") ? parse_size(ctx, size, &sz) : 0;
	if (rc)
		return rc;
	if (c2 && famfs_parse_seed(c2 + 1, &seed))
		return famfs_usage_error(ctx, "bad seed in -M '%s'", arg);
	a->multi = 1;
	return add_item(a, arg, (size_t)(c1 - arg), sz, seed);
}

static const struct option creat_opts[] = {
	{ "size", required_argument, NULL, 's' },
	{ "randomize", no_argument, NULL, 'r' },
	{ "seed", required_argument, NULL, 'S' },
	{ "multi", required_argument, NULL, 'M' },
	{ "mode", required_argument, NULL, 'm' },
	{ "uid", required_argument, NULL, 'u' },
	{ "gid", required_argument, NULL, 'g' },
	{ "threads", required_argument, NULL, 't' },
	{ "threadct", required_argument, NULL, 't' },
	{ "nstrips", required_argument, NULL, 'N' },
	{ "chunksize", required_argument, NULL, 'C' },
	{ "nbuckets", required_argument, NULL, 'B' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static int creat_opt(struct famfs_ctx *ctx, struct creat_args *a, int opt)
{
	int rc = famfs_make_opt(ctx, opt, optarg, &a->o);

	if (rc >= 0)
		return rc;
	switch (opt) {
	case 's':
		a->size_set = 1;
		return parse_size(ctx, optarg, &a->size);
	case 'S':
		a->seed_set = 1;
		if (famfs_parse_seed(optarg, &a->seed))
			return famfs_usage_error(ctx, "bad seed '%s': a number is needed",
						 optarg);
		return 0;
	case 'r': a->randomize = 1; return 0;
	case 'M': return add_multi(ctx, a, optarg);
	case 'v': ctx->verbose++; return 0;
	case 'h': case FAMFS_OPT_HELP: fputs(famfs_creat_usage, stdout); return -1;
	}
	return famfs_bad_option(ctx);
}

/* A seed for -r without -S: nonzero, different on every call. */
static uint64_t fresh_seed(void)
{
	struct timespec ts;
	uint64_t s;

	clock_gettime(CLOCK_REALTIME, &ts);
	s = famfs_splitmix64(((uint64_t)ts.tv_sec * 1000000000ull +
			      (uint64_t)ts.tv_nsec) ^ ((uint64_t)getpid() << 40));
	return s ? s : 1;
}

/* The single-file form: -s SIZE [-r [-S SEED]] FILE */
static int single_args(struct famfs_ctx *ctx, struct creat_args *a,
		       int argc, char **argv)
{
	uint64_t seed = 0;

	if (optind >= argc)
		return famfs_usage_error(ctx, "no file given");
	if (optind + 1 < argc)
		return famfs_usage_error(ctx, "one FILE only (use -M for several)");
	if (!a->size_set && !a->randomize)
		return famfs_usage_error(ctx, "no size given (-s SIZE)");
	if (a->randomize)
		seed = a->seed_set ? a->seed : fresh_seed();
	return add_item(a, argv[optind], strlen(argv[optind]), a->size, seed);
}

static int creat_args(struct famfs_ctx *ctx, struct creat_args *a,
		      int argc, char **argv)
{
	int opt, rc;

	while ((opt = famfs_getopt(argc, argv, creat_opts)) != -1) {
		rc = creat_opt(ctx, a, opt);
		if (rc)
			return rc;
	}
	rc = famfs_make_opts_check(ctx, &a->o);
	if (rc)
		return rc;
	if (a->seed_set && !a->randomize)
		return famfs_usage_error(ctx, "-S/--seed needs -r/--randomize");
	if (!a->multi)
		return single_args(ctx, a, argc, argv);
	if (a->size_set || a->seed_set)
		return famfs_usage_error(ctx, "-M/--multi cannot be combined with -s or -S");
	if (optind < argc)
		return famfs_usage_error(ctx, "-M/--multi takes no FILE argument ('%s')",
					 argv[optind]);
	return 0;
}

static int add_fill(struct creat_tally *t, const char *mnt, const char *rel,
		    const struct creat_item *it)
{
	struct famfs_dataio_file *f = realloc(t->fill,
					      (t->nfill + 1) * sizeof(*f));

	if (!f)
		return -ENOMEM;
	t->fill = f;
	f = &t->fill[t->nfill];
	memset(f, 0, sizeof(*f));
	f->path = famfs_path_join(mnt, rel);
	if (!f->path)
		return -ENOMEM;
	f->src = it->name;		/* the name the user gave, for messages */
	f->size = it->size;
	f->seed = it->seed;
	t->nfill++;
	return 0;
}

/* No size given (0): the existing file's; 0 or -errno (reported). */
static int existing_size(struct famfs_ctx *ctx, struct creat_item *it)
{
	struct stat st;

	if (it->size)
		return 0;
	if (stat(it->name, &st) || !S_ISREG(st.st_mode) || !st.st_size) {
		famfs_err(ctx, "%s: no size given (-s SIZE, or a nonzero size in -M) and %s",
			  it->name, errno == ENOENT ? "the file does not exist" :
			  "it is not an existing famfs file");
		return -EINVAL;
	}
	it->size = (uint64_t)st.st_size;
	return 0;
}

static void create_one(struct famfs_ctx *ctx, struct famfs_make_ctl *c,
		       const struct creat_args *a, struct creat_item *it,
		       struct creat_tally *t)
{
	size_t len = strlen(it->name);
	char rel[PATH_MAX];
	int rc = -EISDIR;

	errno = 0;
	if (existing_size(ctx, it))
		rc = -EINVAL;
	else if (len && it->name[len - 1] == '/')
		famfs_err(ctx, "%s: not a file name (ends with '/')", it->name);
	else
		rc = famfs_make_target(ctx, c, it->name, rel, sizeof(rel));
	if (!rc)
		rc = famfs_make_file(ctx, c, rel, it->name, it->size,
				     a->o.mode, &a->o);
	if (rc < 0) {
		t->failed++;
		return;
	}
	famfs_verbose(ctx, "%s: %s, %" PRIu64 " bytes", it->name,
		      rc ? "created" : "exists with that size: reused",
		      it->size);
	if (rc)
		t->created++;
	else
		t->reused++;
	if (it->seed && add_fill(t, famfs_make_mnt(c), rel, it)) {
		famfs_err(ctx, "%s: out of memory", it->name);
		t->failed++;
	}
}

/* What the outcome of a batched -M create needs (creat_done). */
struct creat_batch {
	struct famfs_ctx *ctx;
	struct famfs_make_ctl *c;
	struct creat_args *a;
	struct creat_tally *t;
	struct famfs_batch *b;
	struct famfs_ctl_req *q;	/* one request for all (10 KiB: not a
					 * malloc, nor a memset, per file) */
	char mnt[PATH_MAX];		/* the mount of the queued creates */
	char dir[PATH_MAX];		/* the last name's directory as given */
	char reldir[PATH_MAX];		/* and relative to the mount root */
};

/*
 * @name in the directory of the name before it: its path relative to the
 * mount root without resolving it again (mountinfo is read per resolve).
 */
static int same_dir(struct creat_batch *cb, const char *name, char *rel,
		    size_t len)
{
	const char *slash = strrchr(name, '/');
	size_t dl = slash ? (size_t)(slash - name) : 0, rl, bl;

	if (!slash || !cb->dir[0] || strlen(cb->dir) != dl ||
	    strncmp(cb->dir, name, dl) || !slash[1] || !strcmp(slash + 1, ".") ||
	    !strcmp(slash + 1, ".."))
		return 0;
	rl = strlen(cb->reldir);
	bl = strlen(slash + 1);
	if (rl + 1 + bl >= len)
		return 0;
	memcpy(rel, cb->reldir, rl);	/* reldir/base, without snprintf */
	rel[rl] = '/';
	memcpy(rel + rl + !!rl, slash + 1, bl + 1);
	return 1;
}

/* Remember the directory of @name (resolved to @rel) for same_dir. */
static void note_dir(struct creat_batch *cb, const char *name, const char *rel)
{
	const char *slash = strrchr(name, '/'), *rs = strrchr(rel, '/');

	cb->dir[0] = 0;
	if (!slash || (size_t)(slash - name) >= sizeof(cb->dir))
		return;
	snprintf(cb->dir, sizeof(cb->dir), "%.*s", (int)(slash - name), name);
	snprintf(cb->reldir, sizeof(cb->reldir), "%.*s",
		 rs ? (int)(rs - rel) : 0, rel);
}

static int creat_done(void *arg, struct famfs_batch_item *bi, int rc,
		      int made, const char *msg)
{
	struct creat_batch *cb = arg;
	struct creat_item *it = &cb->a->it[bi->tag];

	if (rc) {
		char *io = famfs_path_join(cb->mnt, bi->dst);

		famfs_make_explain(cb->ctx, io, it->name, it->size, rc, msg);
		free(io);
		cb->t->failed++;
		return 0;
	}
	famfs_verbose(cb->ctx, "%s: %s, %" PRIu64 " bytes", it->name,
		      made ? "created" : "exists with that size: reused",
		      it->size);
	if (made)
		cb->t->created++;
	else
		cb->t->reused++;
	if (it->seed && add_fill(cb->t, cb->mnt, bi->dst, it)) {
		famfs_err(cb->ctx, "%s: out of memory", it->name);
		cb->t->failed++;
	}
	return 0;
}

/* The CREATE request every -M file shares but for its size and path. */
static struct famfs_ctl_req *new_req(const struct creat_args *a)
{
	struct famfs_ctl_req *q = calloc(1, sizeof(*q));

	if (!q)
		return NULL;
	q->op = FAMFS_CTL_CREATE;
	q->flags = FAMFS_CTL_F_EXIST_OK;
	q->mode = a->o.mode & 07777;
	q->uid = a->o.uid;
	q->gid = a->o.gid;
	q->nstrips = a->o.nstrips;
	q->chunk = q->nstrips ? a->o.chunk : 0;
	return q;
}

/*
 * -M: the creates of each mount are sent in batches (one control request
 * and one log commit for many files); a change of mount sends the batch.
 */
static void queue_one(struct creat_batch *cb, size_t i)
{
	struct creat_item *it = &cb->a->it[i];
	struct famfs_ctl_req *q = cb->q;
	struct famfs_batch_item bi = { .tag = (int)i, .size = it->size };
	size_t len = strlen(it->name);
	char rel[PATH_MAX];
	int rc = -EINVAL;

	if (q && !existing_size(cb->ctx, it)) {
		if (len && it->name[len - 1] == '/')
			famfs_err(cb->ctx, "%s: not a file name (ends with '/')", it->name);
		else if (same_dir(cb, it->name, rel, sizeof(rel)))
			rc = 0;
		else if (cb->b && famfs_make_flush_if_other(cb->c, it->name,
							    cb->b))
			rc = -EIO;
		else if (!(rc = famfs_make_target(cb->ctx, cb->c, it->name, rel,
						  sizeof(rel))))
			note_dir(cb, it->name, rel);
	}
	if (!rc && (!*rel || strlen(rel) > FAMFS_PATH_MAX)) {
		famfs_err(cb->ctx, "%s: %s", it->name, *rel ? "path too long" :
			  "is the root of the famfs filesystem");
		rc = -EINVAL;
	}
	if (!rc && !cb->b)
		cb->b = famfs_batch_new(cb->c, creat_done, cb);
	if (!rc && cb->b) {
		const char *mnt = famfs_make_mnt(cb->c);

		q->size = it->size;	/* the rest is set by new_req() */
		memcpy(q->path, rel, strlen(rel) + 1);
		if (strcmp(cb->mnt, mnt))
			snprintf(cb->mnt, sizeof(cb->mnt), "%s", mnt);
		bi.dst = strdup(rel);
		rc = bi.dst ? famfs_batch_add(cb->b, q, &bi) : -ENOMEM;
	}
	if (rc)
		cb->t->failed++;
}

/* Fill the files that have a seed; report each outcome. */
static void randomize(struct famfs_ctx *ctx, const struct creat_args *a,
		      struct creat_tally *t)
{
	famfs_dataio_run(ctx, FAMFS_DATAIO_FILL, t->fill, t->nfill,
			 a->o.threads, 0);
	for (size_t i = 0; i < t->nfill; i++) {
		struct famfs_dataio_file *f = &t->fill[i];

		if (f->rc) {
			famfs_dataio_report(ctx, f);
			t->failed++;
			continue;
		}
		t->randomized++;
		if (!a->multi || ctx->verbose)
			printf("famfs creat: %s: randomized %" PRIu64 " bytes with seed %" PRIu64 "\n",
			       f->src, f->size, f->seed);
	}
}

static void free_all(struct creat_args *a, struct creat_tally *t)
{
	for (size_t i = 0; i < a->n; i++)
		free(a->it[i].name);
	free(a->it);
	for (size_t i = 0; i < t->nfill; i++)
		free(t->fill[i].path);
	free(t->fill);
}

int famfs_cmd_creat(struct famfs_ctx *ctx, int argc, char **argv)
{
	struct creat_args a = { .it = NULL };
	struct creat_tally t = { 0 };
	struct famfs_make_ctl *c = famfs_make_ctl_new();
	int rc;

	famfs_make_opts_init(&a.o, 0644 & ~(uint32_t)ctx->umask);
	rc = c ? creat_args(ctx, &a, argc, argv) : FAMFS_EXIT_FAIL;
	if (rc) {
		famfs_make_ctl_free(c);
		free_all(&a, &t);
		return rc < 0 ? FAMFS_EXIT_OK : rc;
	}
	if (a.multi) {
		struct creat_batch cb = { .ctx = ctx, .c = c, .a = &a, .t = &t,
					  .q = new_req(&a) };

		for (size_t i = 0; i < a.n; i++)
			queue_one(&cb, i);
		free(cb.q);
		if (cb.b)
			famfs_batch_flush(cb.b);
		famfs_batch_free(cb.b);
	} else {
		create_one(ctx, c, &a, &a.it[0], &t);
	}
	famfs_make_ctl_free(c);
	randomize(ctx, &a, &t);
	if (a.multi)
		printf("famfs creat: %zu file(s): %zu created, %zu reused, %zu randomized, %zu failed\n",
		       a.n, t.created, t.reused, t.randomized, t.failed);
	free_all(&a, &t);
	return t.failed ? FAMFS_EXIT_FAIL : FAMFS_EXIT_OK;
}
