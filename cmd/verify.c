// SPDX-License-Identifier: Apache-2.0
/*
 * famfs verify: read files through the mount and compare them with the
 * test-data stream of their seed (famfs_prng.h), as `famfs creat -r` and
 * `-M NAME,SIZE,SEED` wrote it.  Files are checked in parallel segments;
 * the first bad offset of each file is reported.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cmd.h"
#include "dataio.h"
#include "filemake.h"

const char famfs_verify_usage[] =
	"usage: famfs verify [options] -f FILE -S SEED\n"
	"       famfs verify [options] -m FILE,SEED [-m FILE,SEED ...]\n\n"
	"Read each FILE (through the famfs mount) and compare it with the test\n"
	"data that 'famfs creat -r -S SEED' wrote; report the first offset that\n"
	"differs.  Any regular file can be checked.\n\n"
	"Options:\n"
	"  -f, --filename FILE    the file to verify (with -S)\n"
	"  -S, --seed N           its seed (decimal or 0x hex, not 0)\n"
	"  -m, --multi FILE,SEED  verify several files (repeatable; not with -f/-S)\n"
	"  -t, --threads N        worker threads, 0..256 (default: one per CPU;\n"
	"                         0 = verify in the calling thread)\n"
	"      --threadct N       the same as --threads\n"
	"  -q, --quiet            print nothing for files that match\n"
	"  -v, --verbose          more detail\n"
	"  -h, --help             this text\n\n"
	"Exit: 0 every file matches, 1 a mismatch or an error, 2 usage error.\n";

struct verify_args {
	struct famfs_dataio_file *f;
	size_t n;
	const char *file;
	uint64_t seed;
	int seed_set, quiet;
	unsigned int threads;
};

static int add_file(struct verify_args *a, char *path, uint64_t seed)
{
	struct famfs_dataio_file *f = realloc(a->f, (a->n + 1) * sizeof(*f));

	if (!f)
		return FAMFS_EXIT_FAIL;
	a->f = f;
	f = &a->f[a->n++];
	memset(f, 0, sizeof(*f));
	f->path = path;
	f->seed = seed;
	return 0;
}

static int parse_seed(const struct famfs_ctx *ctx, const char *s,
		      uint64_t *seed)
{
	if (famfs_parse_seed(s, seed) || !*seed)
		return famfs_usage_error(ctx, "bad seed '%s': a nonzero number is needed",
					 s);
	return 0;
}

/* -m FILE,SEED: the seed is after the last comma. */
static int add_multi(const struct famfs_ctx *ctx, struct verify_args *a,
		     char *arg)
{
	char *comma = strrchr(arg, ',');
	uint64_t seed;
	int rc;

	if (!comma || comma == arg)
		return famfs_usage_error(ctx, "bad -m '%s': FILE,SEED is needed",
					 arg);
	rc = parse_seed(ctx, comma + 1, &seed);
	if (rc)
		return rc;
	*comma = 0;			/* argv strings are ours to split */
	return add_file(a, arg, seed);
}

static const struct option verify_opts[] = {
	{ "filename", required_argument, NULL, 'f' },
	{ "seed", required_argument, NULL, 'S' },
	{ "multi", required_argument, NULL, 'm' },
	{ "threads", required_argument, NULL, 't' },
	{ "threadct", required_argument, NULL, 't' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static int verify_opt(struct famfs_ctx *ctx, struct verify_args *a, int opt)
{
	switch (opt) {
	case 'f': a->file = optarg; return 0;
	case 'S':
		a->seed_set = 1;
		return parse_seed(ctx, optarg, &a->seed);
	case 'm': return add_multi(ctx, a, optarg);
	case 't': return famfs_parse_threads(ctx, optarg, &a->threads);
	case 'q': a->quiet = 1; return 0;
	case 'v': ctx->verbose++; return 0;
	case 'h': case FAMFS_OPT_HELP: fputs(famfs_verify_usage, stdout); return -1;
	}
	return famfs_bad_option(ctx);
}

static int verify_args(struct famfs_ctx *ctx, struct verify_args *a,
		       int argc, char **argv)
{
	int opt, rc;

	while ((opt = famfs_getopt(argc, argv, verify_opts)) != -1) {
		rc = verify_opt(ctx, a, opt);
		if (rc)
			return rc;
	}
	if (optind < argc)
		return famfs_usage_error(ctx, "unexpected argument '%s'",
					 argv[optind]);
	if (a->n && (a->file || a->seed_set))
		return famfs_usage_error(ctx, "-m/--multi cannot be combined with -f or -S");
	if (a->n)
		return 0;
	if (!a->file || !a->seed_set)
		return famfs_usage_error(ctx, "%s", a->file ? "no seed given (-S)" :
					 "no file given (-f FILE -S SEED or -m FILE,SEED)");
	return add_file(a, (char *)a->file, a->seed);
}

/* Size each file; one that cannot be verified is reported and marked. */
static void size_files(const struct famfs_ctx *ctx, struct verify_args *a)
{
	struct stat st;

	for (size_t i = 0; i < a->n; i++) {
		struct famfs_dataio_file *f = &a->f[i];
		const char *why = NULL;

		if (stat(f->path, &st))
			why = strerror(errno);
		else if (!S_ISREG(st.st_mode))
			why = S_ISDIR(st.st_mode) ? "is a directory" :
			      "not a regular file";
		else if (!st.st_size)
			why = "is empty: nothing to verify";
		if (why) {
			famfs_err(ctx, "%s: %s", f->path, why);
			f->rc = -EINVAL;	/* skipped by the fan-out */
		}
		f->size = why ? 0 : (uint64_t)st.st_size;
	}
}

static void verify_report(const struct famfs_ctx *ctx,
			  const struct verify_args *a)
{
	for (size_t i = 0; i < a->n; i++) {
		const struct famfs_dataio_file *f = &a->f[i];

		if (f->rc && !f->what)
			continue;		/* reported by size_files() */
		if (f->rc)
			famfs_dataio_report(ctx, f);
		else if (f->bad != UINT64_MAX)
			famfs_err(ctx, "%s: mismatch at offset %" PRIu64,
				  f->path, f->bad);
		else if (!a->quiet)
			printf("famfs verify: %s: %" PRIu64 " bytes match seed %" PRIu64 "\n",
			       f->path, f->size, f->seed);
	}
}

int famfs_cmd_verify(struct famfs_ctx *ctx, int argc, char **argv)
{
	struct verify_args a = { .f = NULL };
	struct famfs_make_opts o;
	size_t bad;
	int rc;

	famfs_make_opts_init(&o, 0);
	a.threads = o.threads;
	rc = verify_args(ctx, &a, argc, argv);
	if (rc) {
		free(a.f);
		return rc < 0 ? FAMFS_EXIT_OK : rc;
	}
	size_files(ctx, &a);
	famfs_verbose(ctx, "verifying %zu file(s) with %u thread(s)", a.n,
		      a.threads);
	bad = famfs_dataio_run(ctx, FAMFS_DATAIO_VERIFY, a.f, a.n, a.threads,
			       0);
	verify_report(ctx, &a);
	free(a.f);
	return bad ? FAMFS_EXIT_FAIL : FAMFS_EXIT_OK;
}
